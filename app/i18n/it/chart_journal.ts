<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="it_IT" sourcelanguage="en">
  <context>
    <name>medirete</name>
    <message>
      <source>1 pack</source>
      <translation>1 conf.</translation>
    </message>
    <message>
      <source>AIC code</source>
      <translation>Codice AIC</translation>
    </message>
    <message>
      <source>ATC code</source>
      <translation>Codice ATC</translation>
    </message>
    <message>
      <source>Acquired on</source>
      <translation>Acquisito il</translation>
    </message>
    <message>
      <source>Address during the illness</source>
      <translation>Indirizzo di reperibilità</translation>
    </message>
    <message>
      <source>Age at onset</source>
      <translation>Età all'esordio</translation>
    </message>
    <message>
      <source>All authors</source>
      <translation>Tutti gli autori</translation>
    </message>
    <message>
      <source>All problems</source>
      <translation>Tutti i problemi</translation>
    </message>
    <message>
      <source>All types</source>
      <translation>Tutti i tipi</translation>
    </message>
    <message>
      <source>Allergies not recorded</source>
      <translation>Allergie non registrate</translation>
    </message>
    <message>
      <source>Allergy</source>
      <translation>Allergia</translation>
    </message>
    <message>
      <source>Any date</source>
      <translation>Qualsiasi data</translation>
    </message>
    <message>
      <source>Assessment</source>
      <translation>Valutazione</translation>
    </message>
    <message>
      <source>Author</source>
      <translation>Autore</translation>
    </message>
    <message>
      <source>B - within 10 days</source>
      <translation>B - entro 10 giorni</translation>
    </message>
    <message>
      <source>Care plan (PAI)</source>
      <translation>Piano assistenziale (PAI)</translation>
    </message>
    <message>
      <source>Case manager</source>
      <translation>Case manager</translation>
    </message>
    <message>
      <source>Certificate</source>
      <translation>Certificato</translation>
    </message>
    <message>
      <source>Certificate type</source>
      <translation>Tipo di certificato</translation>
    </message>
    <message>
      <source>Changed from the version before</source>
      <translation>Modificato rispetto alla versione precedente</translation>
    </message>
    <message>
      <source>Chronic care (PAI)</source>
      <translation>Presa in carico (PAI)</translation>
    </message>
    <message>
      <source>Clinical question</source>
      <translation>Quesito diagnostico</translation>
    </message>
    <message>
      <source>Criticality</source>
      <translation>Criticità</translation>
    </message>
    <message>
      <source>Custom range</source>
      <translation>Intervallo personalizzato</translation>
    </message>
    <message>
      <source>D - deferrable</source>
      <translation>D - differibile</translation>
    </message>
    <message>
      <source>Date</source>
      <translation>Data</translation>
    </message>
    <message>
      <source>Date of the document</source>
      <translation>Data del documento</translation>
    </message>
    <message>
      <source>Date of the result</source>
      <translation>Data del risultato</translation>
    </message>
    <message>
      <source>Date of the visit</source>
      <translation>Data della visita</translation>
    </message>
    <message>
      <source>Deceased</source>
      <translation>Deceduto</translation>
    </message>
    <message>
      <source>Device recording</source>
      <translation>Registrazione da dispositivo</translation>
    </message>
    <message>
      <source>Diagnosis</source>
      <translation>Diagnosi</translation>
    </message>
    <message>
      <source>Diagnosis code</source>
      <translation>Codice di diagnosi</translation>
    </message>
    <message>
      <source>Document</source>
      <translation>Documento</translation>
    </message>
    <message>
      <source>Document type</source>
      <translation>Tipo di documento</translation>
    </message>
    <message>
      <source>Dose</source>
      <translation>Dose</translation>
    </message>
    <message>
      <source>Dose number</source>
      <translation>Numero di dose</translation>
    </message>
    <message>
      <source>End</source>
      <translation>Fine</translation>
    </message>
    <message>
      <source>Equivalence group</source>
      <translation>Gruppo di equivalenza</translation>
    </message>
    <message>
      <source>Every (months)</source>
      <translation>Ogni (mesi)</translation>
    </message>
    <message>
      <source>Exemption</source>
      <translation>Esenzione</translation>
    </message>
    <message>
      <source>Format</source>
      <translation>Formato</translation>
    </message>
    <message>
      <source>Frequency</source>
      <translation>Frequenza</translation>
    </message>
    <message>
      <source>Given on</source>
      <translation>Somministrato il</translation>
    </message>
    <message>
      <source>Goals</source>
      <translation>Obiettivi</translation>
    </message>
    <message>
      <source>ICD-10-IM code</source>
      <translation>Codice ICD-10-IM</translation>
    </message>
    <message>
      <source>Issued on</source>
      <translation>Emessa il</translation>
    </message>
    <message>
      <source>Last 5 years</source>
      <translation>Ultimi 5 anni</translation>
    </message>
    <message>
      <source>Last lab results</source>
      <translation>Ultimi esami di laboratorio</translation>
    </message>
    <message>
      <source>Last vital signs</source>
      <translation>Ultimi parametri vitali</translation>
    </message>
    <message>
      <source>Last year</source>
      <translation>Ultimo anno</translation>
    </message>
    <message>
      <source>Latest documents</source>
      <translation>Ultimi documenti</translation>
    </message>
    <message>
      <source>Level</source>
      <translation>Livello</translation>
    </message>
    <message>
      <source>Long-term</source>
      <translation>Continuativa</translation>
    </message>
    <message>
      <source>Lot</source>
      <translation>Lotto</translation>
    </message>
    <message>
      <source>NRE</source>
      <translation>NRE</translation>
    </message>
    <message>
      <source>Next due</source>
      <translation>Prossima scadenza</translation>
    </message>
    <message>
      <source>No known allergies</source>
      <translation>Nessuna allergia nota</translation>
    </message>
    <message>
      <source>Note</source>
      <translation>Nota</translation>
    </message>
    <message>
      <source>Objective</source>
      <translation>Obiettivo</translation>
    </message>
    <message>
      <source>Onset</source>
      <translation>Esordio</translation>
    </message>
    <message>
      <source>P - planned</source>
      <translation>P - programmata</translation>
    </message>
    <message>
      <source>PAI: checks due</source>
      <translation>PAI: controlli in scadenza</translation>
    </message>
    <message>
      <source>Packs</source>
      <translation>Confezioni</translation>
    </message>
    <message>
      <source>Period</source>
      <translation>Periodo</translation>
    </message>
    <message>
      <source>Plan</source>
      <translation>Piano</translation>
    </message>
    <message>
      <source>Planned activity</source>
      <translation>Attività programmata</translation>
    </message>
    <message>
      <source>Prescribed item</source>
      <translation>Prescrizione di</translation>
    </message>
    <message>
      <source>Priority</source>
      <translation>Priorità</translation>
    </message>
    <message>
      <source>Problem</source>
      <translation>Problema</translation>
    </message>
    <message>
      <source>Problems addressed</source>
      <translation>Problemi trattati</translation>
    </message>
    <message>
      <source>Protocol number</source>
      <translation>Numero di protocollo</translation>
    </message>
    <message>
      <source>Qualifier</source>
      <translation>Specificazione</translation>
    </message>
    <message>
      <source>Reaction</source>
      <translation>Reazione</translation>
    </message>
    <message>
      <source>Reason for stopping</source>
      <translation>Motivo della sospensione</translation>
    </message>
    <message>
      <source>Reason for the correction</source>
      <translation>Motivo della correzione</translation>
    </message>
    <message>
      <source>Recorded on</source>
      <translation>Registrato il</translation>
    </message>
    <message>
      <source>Relative</source>
      <translation>Familiare</translation>
    </message>
    <message>
      <source>Resolved on</source>
      <translation>Risolto il</translation>
    </message>
    <message>
      <source>Result</source>
      <translation>Risultato</translation>
    </message>
    <message>
      <source>Result text</source>
      <translation>Esito (testo)</translation>
    </message>
    <message>
      <source>Route</source>
      <translation>Via di somministrazione</translation>
    </message>
    <message>
      <source>Serial number</source>
      <translation>Numero di serie</translation>
    </message>
    <message>
      <source>Site</source>
      <translation>Sede</translation>
    </message>
    <message>
      <source>Source</source>
      <translation>Provenienza</translation>
    </message>
    <message>
      <source>Start</source>
      <translation>Inizio</translation>
    </message>
    <message>
      <source>Subjective</source>
      <translation>Soggettivo</translation>
    </message>
    <message>
      <source>Substance</source>
      <translation>Sostanza</translation>
    </message>
    <message>
      <source>Title</source>
      <translation>Titolo</translation>
    </message>
    <message>
      <source>Type</source>
      <translation>Tipo</translation>
    </message>
    <message>
      <source>U - urgent</source>
      <translation>U - urgente</translation>
    </message>
    <message>
      <source>Unit</source>
      <translation>Unità di misura</translation>
    </message>
    <message>
      <source>Upcoming appointments</source>
      <translation>Prossimi appuntamenti</translation>
    </message>
    <message>
      <source>Vaccination</source>
      <translation>Vaccinazione</translation>
    </message>
    <message>
      <source>Vaccine code</source>
      <translation>Codice del vaccino</translation>
    </message>
    <message>
      <source>Version {n}</source>
      <translation>Versione {n}</translation>
    </message>
    <message>
      <source>Versions</source>
      <translation>Versioni</translation>
    </message>
    <message>
      <source>discharge letter</source>
      <translation>lettera di dimissione</translation>
    </message>
    <message>
      <source>dose {n}</source>
      <translation>dose {n}</translation>
    </message>
    <message>
      <source>drug</source>
      <translation>farmaco</translation>
    </message>
    <message>
      <source>due soon</source>
      <translation>in scadenza</translation>
    </message>
    <message>
      <source>due {date}</source>
      <translation>scadenza {date}</translation>
    </message>
    <message>
      <source>entered in error</source>
      <translation>inserito per errore</translation>
    </message>
    <message>
      <source>every {n} months</source>
      <translation>ogni {n} mesi</translation>
    </message>
    <message>
      <source>hidden</source>
      <translation>oscurato</translation>
    </message>
    <message>
      <source>home visit</source>
      <translation>visita domiciliare</translation>
    </message>
    <message>
      <source>lab report</source>
      <translation>referto di laboratorio</translation>
    </message>
    <message>
      <source>lab test</source>
      <translation>esame di laboratorio</translation>
    </message>
    <message>
      <source>level {n}</source>
      <translation>livello {n}</translation>
    </message>
    <message>
      <source>lot {lot}</source>
      <translation>lotto {lot}</translation>
    </message>
    <message>
      <source>no</source>
      <translation>no</translation>
    </message>
    <message>
      <source>nursing visit</source>
      <translation>visita infermieristica</translation>
    </message>
    <message>
      <source>one-off</source>
      <translation>occasionale</translation>
    </message>
    <message>
      <source>other document</source>
      <translation>altro documento</translation>
    </message>
    <message>
      <source>overdue</source>
      <translation>scaduto</translation>
    </message>
    <message>
      <source>phone contact</source>
      <translation>contatto telefonico</translation>
    </message>
    <message>
      <source>radiology report</source>
      <translation>referto radiologico</translation>
    </message>
    <message>
      <source>report</source>
      <translation>referto</translation>
    </message>
    <message>
      <source>signed</source>
      <translation>firmato</translation>
    </message>
    <message>
      <source>specialist visit</source>
      <translation>visita specialistica</translation>
    </message>
    <message>
      <source>stopped: {reason}</source>
      <translation>sospesa: {reason}</translation>
    </message>
    <message>
      <source>surgery visit</source>
      <translation>visita ambulatoriale</translation>
    </message>
    <message>
      <source>yes</source>
      <translation>sì</translation>
    </message>
    <message>
      <source>{kind} of {date}</source>
      <translation>{kind} del {date}</translation>
    </message>
    <message>
      <source>{n} packs</source>
      <translation>{n} conf.</translation>
    </message>
    <message>
      <source>{shown} of {total} entries</source>
      <translation>{shown} di {total} voci</translation>
    </message>
  </context>
</TS>
