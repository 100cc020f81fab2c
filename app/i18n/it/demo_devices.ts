<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="it_IT" sourcelanguage="en">
  <context>
    <name>medirete</name>
    <message>
      <source>Point-of-care analyzer (demo)</source>
      <translation>Analizzatore point-of-care (demo)</translation>
    </message>
    <message>
      <source>Pulse oximeter (demo)</source>
      <translation>Saturimetro (demo)</translation>
    </message>
    <message>
      <source>Spirometer (demo)</source>
      <translation>Spirometro (demo)</translation>
    </message>
    <message>
      <source>a surname and a given name are needed</source>
      <translation>servono un cognome e un nome</translation>
    </message>
    <message>
      <source>astm, bp: seconds between messages or readings (bp: 5)</source>
      <translation>astm, bp: secondi tra un messaggio o una lettura e l'altra (bp: 5)</translation>
    </message>
    <message>
      <source>astm: seconds from the listener's arrival to the first message</source>
      <translation>astm: secondi dall'arrivo del ricevente al primo messaggio</translation>
    </message>
    <message>
      <source>astm: the patients to send results for (UTF-8, tab-separated)</source>
      <translation>astm: i pazienti di cui inviare i risultati (UTF-8, separati da tabulazioni)</translation>
    </message>
    <message>
      <source>cannot read the patients file {path}: {detail}</source>
      <translation>impossibile leggere il file dei pazienti {path}: {detail}</translation>
    </message>
    <message>
      <source>expected 5 or 6 tab-separated fields, found {count}</source>
      <translation>attesi 5 o 6 campi separati da tabulazioni, trovati {count}</translation>
    </message>
    <message>
      <source>no patients in {path}</source>
      <translation>nessun paziente in {path}</translation>
    </message>
    <message>
      <source>not a birth date (YYYYMMDD): {value}</source>
      <translation>non è una data di nascita (AAAAMMGG): {value}</translation>
    </message>
    <message>
      <source>not a codice fiscale: {value}</source>
      <translation>non è un codice fiscale: {value}</translation>
    </message>
    <message>
      <source>patients file {path}, line {line}: {problem}</source>
      <translation>file dei pazienti {path}, riga {line}: {problem}</translation>
    </message>
    <message>
      <source>sex must be M or F: {value}</source>
      <translation>il sesso deve essere M o F: {value}</translation>
    </message>
    <message>
      <source>unknown test code: {value}</source>
      <translation>codice di esame sconosciuto: {value}</translation>
    </message>
  </context>
</TS>
