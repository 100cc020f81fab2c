<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="it_IT" sourcelanguage="en">
  <context>
    <name>medirete</name>
    <message>
      <source>Workstations</source>
      <translation>Postazioni</translation>
    </message>
    <message>
      <source>Sync journal</source>
      <translation>Registro della sincronizzazione</translation>
    </message>
    <message>
      <source>Sync: kept, not applied yet</source>
      <translation>Sincronizzazione: conservati, non ancora applicati</translation>
    </message>
    <message>
      <source>Sync conflicts</source>
      <translation>Conflitti di sincronizzazione</translation>
    </message>
    <message>
      <source>Sync conflicts (clinical)</source>
      <translation>Conflitti di sincronizzazione (clinici)</translation>
    </message>
    <message>
      <source>A workstation called {name} is already paired</source>
      <translation>Una postazione di nome {name} è già associata</translation>
    </message>
    <message>
      <source>The workstation {name} is already revoked</source>
      <translation>La postazione {name} è già revocata</translation>
    </message>
    <message>
      <source>a workstation needs a name of 1 to 80 characters</source>
      <translation>una postazione ha bisogno di un nome da 1 a 80 caratteri</translation>
    </message>
  </context>
</TS>
