<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="it_IT" sourcelanguage="en">
  <context>
    <name>medirete</name>
    <message>
      <source>BMI {value}</source>
      <translation>IMC {value}</translation>
    </message>
    <message>
      <source>Blood glucose</source>
      <translation>Glicemia</translation>
    </message>
    <message>
      <source>Blood pressure</source>
      <translation>Pressione arteriosa</translation>
    </message>
    <message>
      <source>Body temperature</source>
      <translation>Temperatura corporea</translation>
    </message>
    <message>
      <source>Calculated</source>
      <translation>Calcolato</translation>
    </message>
    <message>
      <source>Capillary glucose</source>
      <translation>Glicemia capillare</translation>
    </message>
    <message>
      <source>Creatinine</source>
      <translation>Creatinina</translation>
    </message>
    <message>
      <source>Diastolic</source>
      <translation>Diastolica</translation>
    </message>
    <message>
      <source>Diastolic {value}</source>
      <translation>Diastolica {value}</translation>
    </message>
    <message>
      <source>Entered by hand</source>
      <translation>Inserito a mano</translation>
    </message>
    <message>
      <source>FEV1</source>
      <translation>FEV1</translation>
    </message>
    <message>
      <source>FEV1/FVC</source>
      <translation>FEV1/FVC</translation>
    </message>
    <message>
      <source>FVC</source>
      <translation>FVC</translation>
    </message>
    <message>
      <source>HDL cholesterol</source>
      <translation>Colesterolo HDL</translation>
    </message>
    <message>
      <source>Haemoglobin</source>
      <translation>Emoglobina</translation>
    </message>
    <message>
      <source>HbA1c</source>
      <translation>HbA1c</translation>
    </message>
    <message>
      <source>Heart rate</source>
      <translation>Frequenza cardiaca</translation>
    </message>
    <message>
      <source>Height</source>
      <translation>Altezza</translation>
    </message>
    <message>
      <source>INR</source>
      <translation>INR</translation>
    </message>
    <message>
      <source>LDL cholesterol</source>
      <translation>Colesterolo LDL</translation>
    </message>
    <message>
      <source>Laboratory</source>
      <translation>Laboratorio</translation>
    </message>
    <message>
      <source>Laboratory tests</source>
      <translation>Esami di laboratorio</translation>
    </message>
    <message>
      <source>Latest value</source>
      <translation>Ultimo valore</translation>
    </message>
    <message>
      <source>Measure</source>
      <translation>Parametro</translation>
    </message>
    <message>
      <source>Microalbuminuria</source>
      <translation>Microalbuminuria</translation>
    </message>
    <message>
      <source>No results recorded for this patient.</source>
      <translation>Nessun risultato registrato per questo paziente.</translation>
    </message>
    <message>
      <source>No values to plot.</source>
      <translation>Nessun valore numerico da mostrare nel grafico.</translation>
    </message>
    <message>
      <source>Other measurements</source>
      <translation>Altre misurazioni</translation>
    </message>
    <message>
      <source>PEF</source>
      <translation>PEF</translation>
    </message>
    <message>
      <source>Potassium</source>
      <translation>Potassio</translation>
    </message>
    <message>
      <source>Respiratory rate</source>
      <translation>Frequenza respiratoria</translation>
    </message>
    <message>
      <source>Sodium</source>
      <translation>Sodio</translation>
    </message>
    <message>
      <source>SpO2</source>
      <translation>SpO2</translation>
    </message>
    <message>
      <source>Systolic</source>
      <translation>Sistolica</translation>
    </message>
    <message>
      <source>Systolic {value}</source>
      <translation>Sistolica {value}</translation>
    </message>
    <message>
      <source>Tables</source>
      <translation>Tabelle</translation>
    </message>
    <message>
      <source>Total cholesterol</source>
      <translation>Colesterolo totale</translation>
    </message>
    <message>
      <source>Trends</source>
      <translation>Andamenti</translation>
    </message>
    <message>
      <source>Triglycerides</source>
      <translation>Trigliceridi</translation>
    </message>
    <message>
      <source>Weight</source>
      <translation>Peso</translation>
    </message>
    <message>
      <source>Wheel: zoom · drag: move</source>
      <translation>Rotellina: zoom · trascina: sposta</translation>
    </message>
    <message>
      <source>date range|All</source>
      <translation>Tutto</translation>
    </message>
    <message>
      <source>eGFR</source>
      <translation>eGFR</translation>
    </message>
    <message>
      <source>falling</source>
      <translation>in calo</translation>
    </message>
    <message>
      <source>rising</source>
      <translation>in aumento</translation>
    </message>
    <message>
      <source>steady</source>
      <translation>stabile</translation>
    </message>
    <message>
      <source>{measure} (no height recorded: BMI not calculated)</source>
      <translation>{measure} (altezza non registrata: IMC non calcolabile)</translation>
    </message>
  </context>
</TS>
