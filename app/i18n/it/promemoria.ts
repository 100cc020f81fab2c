<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="it_IT" sourcelanguage="en">
  <context>
    <name>medirete</name>
    <message>
      <source>The promemoria cannot be printed: {detail}</source>
      <translation>Il promemoria non si può stampare: {detail}</translation>
    </message>
    <message>
      <source>The promemoria could not be written to {path}: check the folder and the free space</source>
      <translation>Non è stato possibile scrivere il promemoria in {path}: controllare la cartella e lo spazio libero</translation>
    </message>
    <message>
      <source>the codice fiscale must be letters and digits</source>
      <translation>il codice fiscale deve contenere solo lettere e cifre</translation>
    </message>
    <message>
      <source>the priority class must be U, B, D or P</source>
      <translation>la classe di priorità deve essere U, B, D o P</translation>
    </message>
    <message>
      <source>there is nothing to print</source>
      <translation>non c'è nulla da stampare</translation>
    </message>
  </context>
</TS>
