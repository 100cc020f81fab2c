<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="it_IT" sourcelanguage="en">
  <context>
    <name>medirete</name>
    <message>
      <source>1 day</source>
      <translation>1 giorno</translation>
    </message>
    <message>
      <source>1 month</source>
      <translation>1 mese</translation>
    </message>
    <message>
      <source>1 year</source>
      <translation>1 anno</translation>
    </message>
    <message>
      <source>IU</source>
      <translation>UI</translation>
    </message>
    <message>
      <source>IU/L</source>
      <translation>UI/L</translation>
    </message>
    <message>
      <source>Not a number: {text}</source>
      <translation>Non è un numero: {text}</translation>
    </message>
    <message>
      <source>born on {date}</source>
      <translation>nato/a il {date}</translation>
    </message>
    <message>
      <source>bpm</source>
      <translation>bpm</translation>
    </message>
    <message>
      <source>breaths/min</source>
      <translation>atti/min</translation>
    </message>
    <message>
      <source>criticality not assessable</source>
      <translation>criticità non valutabile</translation>
    </message>
    <message>
      <source>female|born on {date}</source>
      <translation>nata il {date}</translation>
    </message>
    <message>
      <source>high criticality</source>
      <translation>criticità alta</translation>
    </message>
    <message>
      <source>low criticality</source>
      <translation>criticità bassa</translation>
    </message>
    <message>
      <source>male|born on {date}</source>
      <translation>nato il {date}</translation>
    </message>
    <message>
      <source>resolved</source>
      <translation>risolto</translation>
    </message>
    <message>
      <source>{n} days</source>
      <translation>{n} giorni</translation>
    </message>
    <message>
      <source>{n} months</source>
      <translation>{n} mesi</translation>
    </message>
    <message>
      <source>{n} years</source>
      <translation>{n} anni</translation>
    </message>
  </context>
</TS>
