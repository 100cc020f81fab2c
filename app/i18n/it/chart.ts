<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="it_IT" sourcelanguage="en">
  <context>
    <name>medirete</name>
    <message>
      <source>A drug prescription needs a drug.</source>
      <translation>Scegliere il farmaco da prescrivere.</translation>
    </message>
    <message>
      <source>A prescription needs what is prescribed.</source>
      <translation>Indicare cosa si prescrive.</translation>
    </message>
    <message>
      <source>A therapy needs a drug.</source>
      <translation>Scegliere il farmaco della terapia.</translation>
    </message>
    <message>
      <source>An allergy needs the substance.</source>
      <translation>Indicare la sostanza dell'allergia.</translation>
    </message>
    <message>
      <source>An amendment needs a reason.</source>
      <translation>Per rettificare serve un motivo.</translation>
    </message>
    <message>
      <source>Diastolic BP (mmHg)</source>
      <translation>PA diastolica (mmHg)</translation>
    </message>
    <message>
      <source>From 1 to 6 packs per prescription.</source>
      <translation>Da 1 a 6 confezioni per ricetta.</translation>
    </message>
    <message>
      <source>Glucose (mg/dL)</source>
      <translation>Glicemia (mg/dL)</translation>
    </message>
    <message>
      <source>Height (cm)</source>
      <translation>Altezza (cm)</translation>
    </message>
    <message>
      <source>Nothing to prescribe.</source>
      <translation>Niente da prescrivere.</translation>
    </message>
    <message>
      <source>Only a resolved problem has a resolution date.</source>
      <translation>Solo un problema risolto ha una data di risoluzione.</translation>
    </message>
    <message>
      <source>Pulse (bpm)</source>
      <translation>Polso (bpm)</translation>
    </message>
    <message>
      <source>SpO2 (%)</source>
      <translation>SpO2 (%)</translation>
    </message>
    <message>
      <source>Stopping a therapy needs a reason.</source>
      <translation>Per sospendere una terapia serve un motivo.</translation>
    </message>
    <message>
      <source>Systolic BP (mmHg)</source>
      <translation>PA sistolica (mmHg)</translation>
    </message>
    <message>
      <source>Temperature (°C)</source>
      <translation>Temperatura (°C)</translation>
    </message>
    <message>
      <source>The problem is resolved before its onset.</source>
      <translation>Il problema risulta risolto prima dell'esordio.</translation>
    </message>
    <message>
      <source>The visit is empty: nothing to sign.</source>
      <translation>La visita è vuota: niente da firmare.</translation>
    </message>
    <message>
      <source>This visit was marked as entered in error.</source>
      <translation>Questa visita è stata segnata come inserita per errore.</translation>
    </message>
    <message>
      <source>Weight (kg)</source>
      <translation>Peso (kg)</translation>
    </message>
    <message>
      <source>{name} was stopped: it cannot be repeated.</source>
      <translation>{name} è stato sospeso: non si può ripetere.</translation>
    </message>
    <message>
      <source>{what}: {value} is outside {low}-{high}</source>
      <translation>{what}: {value} è fuori dall'intervallo {low}-{high}</translation>
    </message>
  </context>
</TS>
