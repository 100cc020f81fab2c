<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="it_IT" sourcelanguage="en">
  <context>
    <name>medirete</name>
    <message>
      <source>ASTM analyzer</source>
      <translation>analizzatore ASTM</translation>
    </message>
    <message>
      <source>Accept into the chart</source>
      <translation>Accetta nella cartella</translation>
    </message>
    <message>
      <source>Acquire</source>
      <translation>Acquisisci</translation>
    </message>
    <message>
      <source>Acquire for the open patient...</source>
      <translation>Acquisisci per il paziente aperto...</translation>
    </message>
    <message>
      <source>Acquire from a device - {name}</source>
      <translation>Acquisizione da dispositivo - {name}</translation>
    </message>
    <message>
      <source>Acquire from a device...</source>
      <translation>Acquisisci da dispositivo...</translation>
    </message>
    <message>
      <source>Choose the device and press Acquire.</source>
      <translation>Scegliere il dispositivo e premere Acquisisci.</translation>
    </message>
    <message>
      <source>Device:</source>
      <translation>Dispositivo:</translation>
    </message>
    <message>
      <source>Devices of this workstation...</source>
      <translation>Dispositivi di questa postazione...</translation>
    </message>
    <message>
      <source>Devices page</source>
      <translation>Pagina dispositivi</translation>
    </message>
    <message>
      <source>Finger out of the probe: no reading taken.</source>
      <translation>Dito fuori dalla sonda: nessuna lettura registrata.</translation>
    </message>
    <message>
      <source>GDT program</source>
      <translation>programma GDT</translation>
    </message>
    <message>
      <source>Live oximeter: {name}</source>
      <translation>Saturimetro in tempo reale: {name}</translation>
    </message>
    <message>
      <source>No device is configured on this workstation.</source>
      <translation>Nessun dispositivo configurato su questa postazione.</translation>
    </message>
    <message>
      <source>No device is configured on this workstation. The center's administrator adds them from Devices &gt; Devices of this workstation.</source>
      <translation>Nessun dispositivo configurato su questa postazione. L'amministratore del centro li aggiunge da Dispositivi &gt; Dispositivi di questa postazione.</translation>
    </message>
    <message>
      <source>No device to ask.</source>
      <translation>Nessun dispositivo da interrogare.</translation>
    </message>
    <message>
      <source>No reading from the oximeter yet.</source>
      <translation>Nessuna lettura dal saturimetro per ora.</translation>
    </message>
    <message>
      <source>No valid SpO2 and pulse reading in the last seconds: keep the finger still.</source>
      <translation>Nessuna lettura valida di SpO2 e polso negli ultimi secondi: tenere fermo il dito.</translation>
    </message>
    <message>
      <source>Not accepted: {detail}</source>
      <translation>Non accettato: {detail}</translation>
    </message>
    <message>
      <source>Open a patient first.</source>
      <translation>Aprire prima un paziente.</translation>
    </message>
    <message>
      <source>Reading the oximeter...</source>
      <translation>Lettura del saturimetro in corso...</translation>
    </message>
    <message>
      <source>Request sent to {name}: run the test in the device's program. Waiting for the result...</source>
      <translation>Richiesta inviata a {name}: eseguire l'esame nel programma del dispositivo. In attesa del risultato...</translation>
    </message>
    <message>
      <source>Result received for this patient: check it and accept it.</source>
      <translation>Risultato ricevuto per questo paziente: controllarlo e accettarlo.</translation>
    </message>
    <message>
      <source>The device list of this workstation cannot be read: {detail}</source>
      <translation>Non è possibile leggere l'elenco dei dispositivi di questa postazione: {detail}</translation>
    </message>
    <message>
      <source>The reading could not be stored.</source>
      <translation>Non è stato possibile salvare la lettura.</translation>
    </message>
    <message>
      <source>The record did not store a device message in time</source>
      <translation>L'archivio non ha salvato in tempo un messaggio del dispositivo</translation>
    </message>
    <message>
      <source>The request could not be written: {detail}</source>
      <translation>Non è stato possibile scrivere la richiesta: {detail}</translation>
    </message>
    <message>
      <source>The result was already decided in the inbox.</source>
      <translation>Il risultato è già stato gestito nella posta dei risultati.</translation>
    </message>
    <message>
      <source>This device is not an oximeter.</source>
      <translation>Questo dispositivo non è un saturimetro.</translation>
    </message>
    <message>
      <source>This result is not matched to the open patient (sent for: {who}). It stays in the results inbox.</source>
      <translation>Questo risultato non è abbinato al paziente aperto (inviato per: {who}). Resta nella posta dei risultati.</translation>
    </message>
    <message>
      <source>Waiting for the next measurement from {name}...</source>
      <translation>In attesa della prossima misura da {name}...</translation>
    </message>
    <message>
      <source>blood pressure / scale</source>
      <translation>sfigmomanometro / bilancia</translation>
    </message>
    <message>
      <source>pulse oximeter</source>
      <translation>saturimetro</translation>
    </message>
    <message>
      <source>{count} device message(s) kept on disk are now in the results inbox.</source>
      <translation>Messaggi dei dispositivi conservati su disco e ora nella posta dei risultati: {count}.</translation>
    </message>
    <message>
      <source>{count} file(s) could not be read and were set aside.</source>
      <translation>File non leggibili messi da parte: {count}.</translation>
    </message>
    <message>
      <source>{count} result(s) accepted into the chart.</source>
      <translation>Risultati accettati nella cartella: {count}.</translation>
    </message>
    <message>
      <source>{device}: a result is in the inbox</source>
      <translation>{device}: un risultato è arrivato nella posta dei risultati</translation>
    </message>
    <message>
      <source>{device}: {error} (retrying)</source>
      <translation>{device}: {error} (nuovo tentativo in corso)</translation>
    </message>
  </context>
</TS>
