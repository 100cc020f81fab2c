<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="it_IT" sourcelanguage="en">
  <context>
    <name>medirete</name>
    <message>
      <source>1 safety warning</source>
      <translation>1 avvertenza di sicurezza</translation>
    </message>
    <message>
      <source>A specialist visit needs the clinical question.</source>
      <translation>Per una visita specialistica serve il quesito diagnostico.</translation>
    </message>
    <message>
      <source>B - Short (within 10 days)</source>
      <translation>B - Breve (entro 10 giorni)</translation>
    </message>
    <message>
      <source>Choose a medicine (F4)</source>
      <translation>Scegliere un farmaco (F4)</translation>
    </message>
    <message>
      <source>Choose a medicine first (F4).</source>
      <translation>Scegliere prima il farmaco (F4).</translation>
    </message>
    <message>
      <source>D - Deferrable (within 30 or 60 days)</source>
      <translation>D - Differibile (entro 30 o 60 giorni)</translation>
    </message>
    <message>
      <source>Deferrable</source>
      <translation>Differibile</translation>
    </message>
    <message>
      <source>Dose or question</source>
      <translation>Posologia o quesito</translation>
    </message>
    <message>
      <source>Find medicine... (F4)</source>
      <translation>Cerca farmaco... (F4)</translation>
    </message>
    <message>
      <source>History</source>
      <translation>Storico</translation>
    </message>
    <message>
      <source>History (Ctrl+H)</source>
      <translation>Storico (Ctrl+H)</translation>
    </message>
    <message>
      <source>I have seen them (Ctrl+Enter)</source>
      <translation>Ho visto (Ctrl+Invio)</translation>
    </message>
    <message>
      <source>Lab test</source>
      <translation>Esame di laboratorio</translation>
    </message>
    <message>
      <source>Lab test or specialist visit</source>
      <translation>Esame di laboratorio o visita specialistica</translation>
    </message>
    <message>
      <source>Lab test or visit...</source>
      <translation>Esame o visita...</translation>
    </message>
    <message>
      <source>Long-term therapy (can be repeated)</source>
      <translation>Terapia continuativa (ripetibile)</translation>
    </message>
    <message>
      <source>Medicine</source>
      <translation>Farmaco</translation>
    </message>
    <message>
      <source>New therapy</source>
      <translation>Nuova terapia</translation>
    </message>
    <message>
      <source>New therapy...</source>
      <translation>Nuova terapia...</translation>
    </message>
    <message>
      <source>No linked problem</source>
      <translation>Nessun problema collegato</translation>
    </message>
    <message>
      <source>Not blocking: read, then acknowledge to go on.</source>
      <translation>Non bloccante: leggere, poi confermare la presa visione per proseguire.</translation>
    </message>
    <message>
      <source>Not exempt</source>
      <translation>Non esente</translation>
    </message>
    <message>
      <source>P - Planned (within 120 days)</source>
      <translation>P - Programmata (entro 120 giorni)</translation>
    </message>
    <message>
      <source>PDF documents (*.pdf)</source>
      <translation>Documenti PDF (*.pdf)</translation>
    </message>
    <message>
      <source>Packs for each medicine</source>
      <translation>Confezioni per ogni farmaco</translation>
    </message>
    <message>
      <source>Planned</source>
      <translation>Programmata</translation>
    </message>
    <message>
      <source>Please read the warnings: acknowledge them, or press OK again to go on.</source>
      <translation>Leggere le avvertenze: confermare la presa visione, o premere di nuovo OK per proseguire.</translation>
    </message>
    <message>
      <source>Prepare the prescription</source>
      <translation>Prepara la ricetta</translation>
    </message>
    <message>
      <source>Prepare {n} prescriptions</source>
      <translation>Prepara {n} ricette</translation>
    </message>
    <message>
      <source>Prescribe by active ingredient</source>
      <translation>Prescrivi per principio attivo</translation>
    </message>
    <message>
      <source>Prescribe by active ingredient ({name})</source>
      <translation>Prescrivi per principio attivo ({name})</translation>
    </message>
    <message>
      <source>Prescription of</source>
      <translation>Prescrizione di</translation>
    </message>
    <message>
      <source>Print promemoria...</source>
      <translation>Stampa promemoria...</translation>
    </message>
    <message>
      <source>Promemoria saved: {path}</source>
      <translation>Promemoria salvato: {path}</translation>
    </message>
    <message>
      <source>Repeat</source>
      <translation>Ripeti</translation>
    </message>
    <message>
      <source>Repeat therapy</source>
      <translation>Ripeti terapia</translation>
    </message>
    <message>
      <source>Safety warnings</source>
      <translation>Avvertenze di sicurezza</translation>
    </message>
    <message>
      <source>Save the promemoria</source>
      <translation>Salva il promemoria</translation>
    </message>
    <message>
      <source>Seen and recorded.</source>
      <translation>Presa visione registrata.</translation>
    </message>
    <message>
      <source>Select the prescriptions to print first (below).</source>
      <translation>Selezionare prima le ricette da stampare (in basso).</translation>
    </message>
    <message>
      <source>Select the therapies to repeat first.</source>
      <translation>Selezionare prima le terapie da ripetere.</translation>
    </message>
    <message>
      <source>Select the therapy to stop first.</source>
      <translation>Selezionare prima la terapia da sospendere.</translation>
    </message>
    <message>
      <source>Short</source>
      <translation>Breve</translation>
    </message>
    <message>
      <source>Specialist visit</source>
      <translation>Visita specialistica</translation>
    </message>
    <message>
      <source>Start therapy</source>
      <translation>Avvia terapia</translation>
    </message>
    <message>
      <source>Stop therapy</source>
      <translation>Sospendi terapia</translation>
    </message>
    <message>
      <source>Stop...</source>
      <translation>Sospendi...</translation>
    </message>
    <message>
      <source>The safety checks could not run ({reason}): check allergies, labs and therapy yourself.</source>
      <translation>I controlli di sicurezza non sono stati eseguiti ({reason}): verificare di persona allergie, esami e terapia.</translation>
    </message>
    <message>
      <source>Therapies</source>
      <translation>Terapie</translation>
    </message>
    <message>
      <source>Therapy started.</source>
      <translation>Terapia avviata.</translation>
    </message>
    <message>
      <source>U - Urgent (within 72 hours)</source>
      <translation>U - Urgente (entro 72 ore)</translation>
    </message>
    <message>
      <source>Urgent</source>
      <translation>Urgente</translation>
    </message>
    <message>
      <source>Version</source>
      <translation>Versione</translation>
    </message>
    <message>
      <source>Why is it stopped? (required)</source>
      <translation>Perché viene sospesa? (obbligatorio)</translation>
    </message>
    <message>
      <source>Write what is prescribed.</source>
      <translation>Indicare cosa si prescrive.</translation>
    </message>
    <message>
      <source>as needed</source>
      <translation>al bisogno</translation>
    </message>
    <message>
      <source>as the last prescription</source>
      <translation>come l'ultima ricetta</translation>
    </message>
    <message>
      <source>choose or type, e.g. twice a day</source>
      <translation>scegliere o scrivere, es. 2 volte al giorno</translation>
    </message>
    <message>
      <source>code in the regional list, e.g. 90.28.1</source>
      <translation>codice del nomenclatore regionale, es. 90.28.1</translation>
    </message>
    <message>
      <source>e.g. 1 tablet of 500 mg</source>
      <translation>es. 1 compressa da 500 mg</translation>
    </message>
    <message>
      <source>e.g. Glycated haemoglobin (HbA1c)</source>
      <translation>es. Emoglobina glicata (HbA1c)</translation>
    </message>
    <message>
      <source>e.g. side effects, target reached, replaced</source>
      <translation>es. effetti collaterali, obiettivo raggiunto, sostituita</translation>
    </message>
    <message>
      <source>every 12 hours</source>
      <translation>ogni 12 ore</translation>
    </message>
    <message>
      <source>every 8 hours</source>
      <translation>ogni 8 ore</translation>
    </message>
    <message>
      <source>exemption {code}</source>
      <translation>esenzione {code}</translation>
    </message>
    <message>
      <source>eye drops</source>
      <translation>oftalmica</translation>
    </message>
    <message>
      <source>in the evening</source>
      <translation>alla sera</translation>
    </message>
    <message>
      <source>in the morning</source>
      <translation>al mattino</translation>
    </message>
    <message>
      <source>inhaled</source>
      <translation>inalatoria</translation>
    </message>
    <message>
      <source>intramuscular</source>
      <translation>intramuscolare</translation>
    </message>
    <message>
      <source>intravenous</source>
      <translation>endovenosa</translation>
    </message>
    <message>
      <source>nasal</source>
      <translation>nasale</translation>
    </message>
    <message>
      <source>no priority class</source>
      <translation>nessuna classe di priorità</translation>
    </message>
    <message>
      <source>once a day</source>
      <translation>1 volta al giorno</translation>
    </message>
    <message>
      <source>once a week</source>
      <translation>1 volta alla settimana</translation>
    </message>
    <message>
      <source>oral</source>
      <translation>orale</translation>
    </message>
    <message>
      <source>rectal</source>
      <translation>rettale</translation>
    </message>
    <message>
      <source>subcutaneous</source>
      <translation>sottocutanea</translation>
    </message>
    <message>
      <source>sublingual</source>
      <translation>sublinguale</translation>
    </message>
    <message>
      <source>three times a day</source>
      <translation>3 volte al giorno</translation>
    </message>
    <message>
      <source>to be issued</source>
      <translation>da emettere</translation>
    </message>
    <message>
      <source>topical</source>
      <translation>topica</translation>
    </message>
    <message>
      <source>transdermal</source>
      <translation>transdermica</translation>
    </message>
    <message>
      <source>twice a day</source>
      <translation>2 volte al giorno</translation>
    </message>
    <message>
      <source>unexpected error</source>
      <translation>errore imprevisto</translation>
    </message>
    <message>
      <source>{n} pack(s)</source>
      <translation>confezioni: {n}</translation>
    </message>
    <message>
      <source>{n} prescription(s) prepared: NRE to be issued. Ctrl+P prints the promemoria.</source>
      <translation>Ricette preparate: {n}. NRE da emettere. Ctrl+P stampa il promemoria.</translation>
    </message>
    <message>
      <source>{n} safety warnings</source>
      <translation>{n} avvertenze di sicurezza</translation>
    </message>
    <message>
      <source>{n} therapy(ies) stopped.</source>
      <translation>Terapie sospese: {n}.</translation>
    </message>
  </context>
</TS>
