<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="it_IT" sourcelanguage="en">
  <context>
    <name>medirete</name>
    <message>
      <source>The center has no patients to write about</source>
      <translation>Il centro non ha pazienti su cui scrivere</translation>
    </message>
    <message>
      <source>how many writes (a positive integer)</source>
      <translation>quante scritture (un intero positivo)</translation>
    </message>
    <message>
      <source>must be a positive integer, not {value}</source>
      <translation>deve essere un intero positivo, non {value}</translation>
    </message>
    <message>
      <source>simulate stopped after {attempts} attempts: only {done} of {wanted} writes were accepted (the log says why the others were refused)</source>
      <translation>simulate interrotto dopo {attempts} tentativi: accettate solo {done} scritture su {wanted} (il log dice perché le altre sono state rifiutate)</translation>
    </message>
    <message>
      <source>simulate: {writes} writes (visits {visits}, vitals {vitals}, demographics {demographics}, bookings {bookings}) in {seconds} s</source>
      <translation>simulate: {writes} scritture (visite {visits}, parametri {vitals}, anagrafiche {demographics}, prenotazioni {bookings}) in {seconds} s</translation>
    </message>
    <message>
      <source>the seed that picks patients, kinds and slots (default 0)</source>
      <translation>il seme che sceglie pazienti, tipi e orari (predefinito 0)</translation>
    </message>
    <message>
      <source>write N realistic changes as a user, through the services (synthetic data, for demos and load tests of center sync)</source>
      <translation>scrivi N modifiche realistiche come un utente, attraverso i servizi (dati sintetici, per dimostrazioni e prove di carico della sincronizzazione del centro)</translation>
    </message>
    <message>
      <source>write visits, vitals, demographics or bookings</source>
      <translation>scrivere visite, parametri, anagrafiche o prenotazioni</translation>
    </message>
  </context>
</TS>
