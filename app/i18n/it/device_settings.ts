<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="it_IT" sourcelanguage="en">
  <context>
    <name>medirete</name>
    <message>
      <source>A serial port of this computer</source>
      <translation>Una porta seriale di questo computer</translation>
    </message>
    <message>
      <source>Add...</source>
      <translation>Aggiungi...</translation>
    </message>
    <message>
      <source>Blood pressure monitor or scale</source>
      <translation>Sfigmomanometro o bilancia</translation>
    </message>
    <message>
      <source>Browse...</source>
      <translation>Sfoglia...</translation>
    </message>
    <message>
      <source>COM3, /dev/ttyUSB0 or socket://host:port</source>
      <translation>COM3, /dev/ttyUSB0 o socket://host:porta</translation>
    </message>
    <message>
      <source>Choose a folder</source>
      <translation>Scegliere una cartella</translation>
    </message>
    <message>
      <source>Data bits</source>
      <translation>Bit di dati</translation>
    </message>
    <message>
      <source>Defaults of this kind of device: {settings}</source>
      <translation>Valori predefiniti per questo tipo di dispositivo: {settings}</translation>
    </message>
    <message>
      <source>Device program through GDT (ECG, spirometer)</source>
      <translation>Programma del dispositivo via GDT (ECG, spirometro)</translation>
    </message>
    <message>
      <source>Device program's GDT id</source>
      <translation>ID GDT del dispositivo</translation>
    </message>
    <message>
      <source>Device: {name}</source>
      <translation>Dispositivo: {name}</translation>
    </message>
    <message>
      <source>Devices connected to the workstation {name}: results and readings go to the results inbox.</source>
      <translation>Dispositivi collegati alla postazione {name}: risultati e letture arrivano nella posta dei risultati.</translation>
    </message>
    <message>
      <source>Devices of the workstation {name} - Medirete</source>
      <translation>Dispositivi della postazione {name} - Medirete</translation>
    </message>
    <message>
      <source>Edit...</source>
      <translation>Modifica...</translation>
    </message>
    <message>
      <source>GDT folders must be full paths</source>
      <translation>le cartelle GDT devono essere percorsi completi</translation>
    </message>
    <message>
      <source>GDT ids are 1 to 8 letters or digits</source>
      <translation>gli ID GDT sono da 1 a 8 lettere o cifre</translation>
    </message>
    <message>
      <source>GDT ids {receiver} / {sender}</source>
      <translation>ID GDT {receiver} / {sender}</translation>
    </message>
    <message>
      <source>Kind of device</source>
      <translation>Tipo di dispositivo</translation>
    </message>
    <message>
      <source>Laboratory analyzer (ASTM)</source>
      <translation>Analizzatore di laboratorio (ASTM)</translation>
    </message>
    <message>
      <source>New device</source>
      <translation>Nuovo dispositivo</translation>
    </message>
    <message>
      <source>No serial port found on this computer.</source>
      <translation>Nessuna porta seriale trovata su questo computer.</translation>
    </message>
    <message>
      <source>Our GDT id</source>
      <translation>Nostro ID GDT</translation>
    </message>
    <message>
      <source>Parity</source>
      <translation>Parità</translation>
    </message>
    <message>
      <source>Port or folders</source>
      <translation>Porta o cartelle</translation>
    </message>
    <message>
      <source>Ports of this computer: {ports}</source>
      <translation>Porte di questo computer: {ports}</translation>
    </message>
    <message>
      <source>Pulse oximeter (Contec CMS50)</source>
      <translation>Saturimetro (Contec CMS50)</translation>
    </message>
    <message>
      <source>Read only: only the center's administrator changes the devices of a workstation.</source>
      <translation>Sola lettura: solo l'amministratore del centro modifica i dispositivi di una postazione.</translation>
    </message>
    <message>
      <source>Refresh ports</source>
      <translation>Aggiorna porte</translation>
    </message>
    <message>
      <source>Remove</source>
      <translation>Rimuovi</translation>
    </message>
    <message>
      <source>Request folder</source>
      <translation>Cartella delle richieste</translation>
    </message>
    <message>
      <source>Result folder</source>
      <translation>Cartella dei risultati</translation>
    </message>
    <message>
      <source>Saving replaces it.</source>
      <translation>Salvando lo si sostituisce.</translation>
    </message>
    <message>
      <source>Settings</source>
      <translation>Impostazioni</translation>
    </message>
    <message>
      <source>Speed (baud)</source>
      <translation>Velocità (baud)</translation>
    </message>
    <message>
      <source>Stop bits</source>
      <translation>Bit di stop</translation>
    </message>
    <message>
      <source>The same folder may serve for both. The ids are in the device program's GDT settings (up to 8 letters or digits).</source>
      <translation>La stessa cartella può servire per entrambe. Gli ID si trovano nelle impostazioni GDT del programma del dispositivo (fino a 8 lettere o cifre).</translation>
    </message>
    <message>
      <source>USB id {id}</source>
      <translation>ID USB {id}</translation>
    </message>
    <message>
      <source>USB-serial ({chip})</source>
      <translation>USB-seriale ({chip})</translation>
    </message>
    <message>
      <source>a GDT device needs a request folder and a result folder</source>
      <translation>un dispositivo GDT richiede una cartella delle richieste e una dei risultati</translation>
    </message>
    <message>
      <source>a device name is at most 60 characters</source>
      <translation>il nome di un dispositivo ha al massimo 60 caratteri</translation>
    </message>
    <message>
      <source>a device needs a name</source>
      <translation>un dispositivo richiede un nome</translation>
    </message>
    <message>
      <source>a serial device needs a port</source>
      <translation>un dispositivo seriale richiede una porta</translation>
    </message>
    <message>
      <source>a workstation name is 1 to 52 characters</source>
      <translation>il nome di una postazione ha da 1 a 52 caratteri</translation>
    </message>
    <message>
      <source>at most 16 devices per workstation</source>
      <translation>al massimo 16 dispositivi per postazione</translation>
    </message>
    <message>
      <source>data bits must be 5, 6, 7 or 8</source>
      <translation>i bit di dati devono essere 5, 6, 7 o 8</translation>
    </message>
    <message>
      <source>default ({value})</source>
      <translation>predefinito ({value})</translation>
    </message>
    <message>
      <source>parity must be N, E, O, M or S</source>
      <translation>la parità deve essere N, E, O, M o S</translation>
    </message>
    <message>
      <source>parity|even</source>
      <translation>pari</translation>
    </message>
    <message>
      <source>parity|mark</source>
      <translation>mark</translation>
    </message>
    <message>
      <source>parity|none</source>
      <translation>nessuna</translation>
    </message>
    <message>
      <source>parity|odd</source>
      <translation>dispari</translation>
    </message>
    <message>
      <source>parity|space</source>
      <translation>spazio</translation>
    </message>
    <message>
      <source>requests {request}, results {result}</source>
      <translation>richieste {request}, risultati {result}</translation>
    </message>
    <message>
      <source>serial number {number}</source>
      <translation>numero di serie {number}</translation>
    </message>
    <message>
      <source>stop bits must be 1, 1.5 or 2</source>
      <translation>i bit di stop devono essere 1, 1,5 o 2</translation>
    </message>
    <message>
      <source>the baud rate must be a whole number</source>
      <translation>la velocità in baud deve essere un numero intero</translation>
    </message>
    <message>
      <source>the device list is too long</source>
      <translation>l'elenco dei dispositivi è troppo lungo</translation>
    </message>
    <message>
      <source>the stored device list is not readable</source>
      <translation>l'elenco dei dispositivi salvato non è leggibile</translation>
    </message>
    <message>
      <source>two devices have the same name</source>
      <translation>due dispositivi hanno lo stesso nome</translation>
    </message>
    <message>
      <source>two devices use the same port or result folder</source>
      <translation>due dispositivi usano la stessa porta o la stessa cartella dei risultati</translation>
    </message>
    <message>
      <source>unknown device driver</source>
      <translation>driver del dispositivo sconosciuto</translation>
    </message>
    <message>
      <source>unsupported baud rate</source>
      <translation>velocità in baud non supportata</translation>
    </message>
    <message>
      <source>{settings} (default)</source>
      <translation>{settings} (predefinite)</translation>
    </message>
    <message>
      <source>Devices saved</source>
      <translation>Dispositivi salvati</translation>
    </message>
  </context>
</TS>
