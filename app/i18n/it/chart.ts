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
      <source>A reason is required</source>
      <translation>Il motivo è obbligatorio</translation>
    </message>
    <message>
      <source>A therapy needs a drug.</source>
      <translation>Scegliere il farmaco della terapia.</translation>
    </message>
    <message>
      <source>A vaccination needs the vaccine.</source>
      <translation>Indicare il vaccino.</translation>
    </message>
    <message>
      <source>Add a problem...</source>
      <translation>Aggiungi problema...</translation>
    </message>
    <message>
      <source>Add to family history...</source>
      <translation>Aggiungi all'anamnesi familiare...</translation>
    </message>
    <message>
      <source>Amend...</source>
      <translation>Rettifica...</translation>
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
      <source>Aunt</source>
      <translation>Zia</translation>
    </message>
    <message>
      <source>BMI</source>
      <translation>IMC</translation>
    </message>
    <message>
      <source>Book a follow-up...</source>
      <translation>Prenota controllo...</translation>
    </message>
    <message>
      <source>Brother</source>
      <translation>Fratello</translation>
    </message>
    <message>
      <source>COVID-19</source>
      <translation>COVID-19</translation>
    </message>
    <message>
      <source>Change problem</source>
      <translation>Modifica problema</translation>
    </message>
    <message>
      <source>Change status...</source>
      <translation>Cambia stato...</translation>
    </message>
    <message>
      <source>Child</source>
      <translation>Figlio/figlia</translation>
    </message>
    <message>
      <source>Chronic</source>
      <translation>Cronico</translation>
    </message>
    <message>
      <source>Code in ICD-10-IM...</source>
      <translation>Codifica in ICD-10-IM...</translation>
    </message>
    <message>
      <source>Condition</source>
      <translation>Patologia</translation>
    </message>
    <message>
      <source>Cousin</source>
      <translation>Cugino/cugina</translation>
    </message>
    <message>
      <source>Date and time:</source>
      <translation>Data e ora:</translation>
    </message>
    <message>
      <source>Daughter</source>
      <translation>Figlia</translation>
    </message>
    <message>
      <source>Diastolic BP (mmHg)</source>
      <translation>PA diastolica (mmHg)</translation>
    </message>
    <message>
      <source>Discard draft</source>
      <translation>Scarta bozza</translation>
    </message>
    <message>
      <source>Draft not saved</source>
      <translation>Bozza non salvata</translation>
    </message>
    <message>
      <source>Draft restored (last saved {date} {time}).</source>
      <translation>Bozza ripristinata (ultimo salvataggio {date} {time}).</translation>
    </message>
    <message>
      <source>Draft saved</source>
      <translation>Bozza salvata</translation>
    </message>
    <message>
      <source>Entered in error</source>
      <translation>Inserito per errore</translation>
    </message>
    <message>
      <source>Entered in error...</source>
      <translation>Inserito per errore...</translation>
    </message>
    <message>
      <source>Father</source>
      <translation>Padre</translation>
    </message>
    <message>
      <source>From 1 to 6 packs per prescription.</source>
      <translation>Da 1 a 6 confezioni per ricetta.</translation>
    </message>
    <message>
      <source>From the plan:</source>
      <translation>Dal piano:</translation>
    </message>
    <message>
      <source>Glucose (mg/dL)</source>
      <translation>Glicemia (mg/dL)</translation>
    </message>
    <message>
      <source>Grandfather</source>
      <translation>Nonno</translation>
    </message>
    <message>
      <source>Grandmother</source>
      <translation>Nonna</translation>
    </message>
    <message>
      <source>HPV</source>
      <translation>HPV</translation>
    </message>
    <message>
      <source>Height (cm)</source>
      <translation>Altezza (cm)</translation>
    </message>
    <message>
      <source>Hepatitis B</source>
      <translation>Epatite B</translation>
    </message>
    <message>
      <source>Herpes zoster</source>
      <translation>Herpes zoster</translation>
    </message>
    <message>
      <source>Home visit</source>
      <translation>Visita domiciliare</translation>
    </message>
    <message>
      <source>ICD-10-IM</source>
      <translation>ICD-10-IM</translation>
    </message>
    <message>
      <source>ICD-9-CM</source>
      <translation>ICD-9-CM</translation>
    </message>
    <message>
      <source>ICD-9-CM code</source>
      <translation>Codice ICD-9-CM</translation>
    </message>
    <message>
      <source>Influenza</source>
      <translation>Influenza</translation>
    </message>
    <message>
      <source>Journal</source>
      <translation>Diario</translation>
    </message>
    <message>
      <source>Left deltoid</source>
      <translation>Deltoide sinistro</translation>
    </message>
    <message>
      <source>Left thigh</source>
      <translation>Coscia sinistra</translation>
    </message>
    <message>
      <source>Linked entries</source>
      <translation>Voci collegate</translation>
    </message>
    <message>
      <source>MMR</source>
      <translation>Morbillo-parotite-rosolia</translation>
    </message>
    <message>
      <source>Mother</source>
      <translation>Madre</translation>
    </message>
    <message>
      <source>Nasal</source>
      <translation>Nasale</translation>
    </message>
    <message>
      <source>New problem...</source>
      <translation>Nuovo problema...</translation>
    </message>
    <message>
      <source>New problem: {code} {text}</source>
      <translation>Nuovo problema: {code} {text}</translation>
    </message>
    <message>
      <source>New vaccination</source>
      <translation>Nuova vaccinazione</translation>
    </message>
    <message>
      <source>New vaccination...</source>
      <translation>Nuova vaccinazione...</translation>
    </message>
    <message>
      <source>New visit</source>
      <translation>Nuova visita</translation>
    </message>
    <message>
      <source>No patient open.</source>
      <translation>Nessun paziente aperto.</translation>
    </message>
    <message>
      <source>No problem recorded.</source>
      <translation>Nessun problema registrato.</translation>
    </message>
    <message>
      <source>Not a number: {value}</source>
      <translation>Non è un numero: {value}</translation>
    </message>
    <message>
      <source>Not signed: {reason}</source>
      <translation>Non firmata: {reason}</translation>
    </message>
    <message>
      <source>Nothing to prescribe.</source>
      <translation>Niente da prescrivere.</translation>
    </message>
    <message>
      <source>Nursing visit</source>
      <translation>Prestazione infermieristica</translation>
    </message>
    <message>
      <source>Objective (examination)</source>
      <translation>Obiettivo (esame obiettivo)</translation>
    </message>
    <message>
      <source>Only a resolved problem has a resolution date.</source>
      <translation>Solo un problema risolto ha una data di risoluzione.</translation>
    </message>
    <message>
      <source>Onset known</source>
      <translation>Esordio noto</translation>
    </message>
    <message>
      <source>Oral</source>
      <translation>Orale</translation>
    </message>
    <message>
      <source>Order a test...</source>
      <translation>Richiedi esame...</translation>
    </message>
    <message>
      <source>Other relative</source>
      <translation>Altro familiare</translation>
    </message>
    <message>
      <source>Phone contact</source>
      <translation>Contatto telefonico</translation>
    </message>
    <message>
      <source>Pneumococcus</source>
      <translation>Pneumococco</translation>
    </message>
    <message>
      <source>Prescribe...</source>
      <translation>Prescrivi...</translation>
    </message>
    <message>
      <source>Pulse (bpm)</source>
      <translation>Polso (bpm)</translation>
    </message>
    <message>
      <source>Read only</source>
      <translation>Sola lettura</translation>
    </message>
    <message>
      <source>Reason for the amendment (required)</source>
      <translation>Motivo della rettifica (obbligatorio)</translation>
    </message>
    <message>
      <source>Reason for the change</source>
      <translation>Motivo della modifica</translation>
    </message>
    <message>
      <source>Resolved</source>
      <translation>Risolto</translation>
    </message>
    <message>
      <source>Right deltoid</source>
      <translation>Deltoide destro</translation>
    </message>
    <message>
      <source>Right thigh</source>
      <translation>Coscia destra</translation>
    </message>
    <message>
      <source>Saving draft...</source>
      <translation>Salvataggio bozza...</translation>
    </message>
    <message>
      <source>Sibling</source>
      <translation>Fratello/sorella</translation>
    </message>
    <message>
      <source>Sign visit (Ctrl+Enter)</source>
      <translation>Firma visita (Ctrl+Invio)</translation>
    </message>
    <message>
      <source>Sister</source>
      <translation>Sorella</translation>
    </message>
    <message>
      <source>Son</source>
      <translation>Figlio</translation>
    </message>
    <message>
      <source>SpO2 (%)</source>
      <translation>SpO2 (%)</translation>
    </message>
    <message>
      <source>Specialist visit...</source>
      <translation>Visita specialistica...</translation>
    </message>
    <message>
      <source>Stopping a therapy needs a reason.</source>
      <translation>Per sospendere una terapia serve un motivo.</translation>
    </message>
    <message>
      <source>Subjective (history)</source>
      <translation>Soggettivo (anamnesi)</translation>
    </message>
    <message>
      <source>Summary</source>
      <translation>Riepilogo</translation>
    </message>
    <message>
      <source>Surgery visit</source>
      <translation>Visita ambulatoriale</translation>
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
      <source>Tetanus</source>
      <translation>Tetano</translation>
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
      <source>Uncle</source>
      <translation>Zio</translation>
    </message>
    <message>
      <source>Vaccinations and family history</source>
      <translation>Vaccinazioni e anamnesi familiare</translation>
    </message>
    <message>
      <source>Vaccine</source>
      <translation>Vaccino</translation>
    </message>
    <message>
      <source>Visit signed.</source>
      <translation>Visita firmata.</translation>
    </message>
    <message>
      <source>Visit:</source>
      <translation>Visita:</translation>
    </message>
    <message>
      <source>Vital signs</source>
      <translation>Parametri vitali</translation>
    </message>
    <message>
      <source>Weight (kg)</source>
      <translation>Peso (kg)</translation>
    </message>
    <message>
      <source>Why was this entered in error?</source>
      <translation>Perché è stato inserito per errore?</translation>
    </message>
    <message>
      <source>coded in ICD-10-IM</source>
      <translation>codificato in ICD-10-IM</translation>
    </message>
    <message>
      <source>dT / dTpa</source>
      <translation>dT / dTpa</translation>
    </message>
    <message>
      <source>laterality, stage, ...</source>
      <translation>lateralità, stadio, ...</translation>
    </message>
    <message>
      <source>unknown</source>
      <translation>non nota</translation>
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
