<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="it_IT" sourcelanguage="en">
  <context>
    <name>medirete</name>
    <message>
      <source>A heading: choose one of the codes under it</source>
      <translation>Un'intestazione: scegli uno dei codici sotto di essa</translation>
    </message>
    <message>
      <source>AIC</source>
      <translation>AIC</translation>
    </message>
    <message>
      <source>AIFA list of medicines</source>
      <translation>Lista AIFA dei farmaci</translation>
    </message>
    <message>
      <source>ATC</source>
      <translation>ATC</translation>
    </message>
    <message>
      <source>Active ingredient</source>
      <translation>Principio attivo</translation>
    </message>
    <message>
      <source>Choose</source>
      <translation>Scegli</translation>
    </message>
    <message>
      <source>Code or words of the diagnosis, e.g. 401.9 or ipertensione</source>
      <translation>Codice o parole della diagnosi, ad es. 401.9 o ipertensione</translation>
    </message>
    <message>
      <source>ICD-&amp;9-CM</source>
      <translation>ICD-&amp;9-CM</translation>
    </message>
    <message>
      <source>ICD-1&amp;0-IM</source>
      <translation>ICD-1&amp;0-IM</translation>
    </message>
    <message>
      <source>ICD-10-IM code for {code}</source>
      <translation>Codice ICD-10-IM per {code}</translation>
    </message>
    <message>
      <source>ICD-9-CM to ICD-10-IM transcoding</source>
      <translation>Transcodifica ICD-9-CM - ICD-10-IM</translation>
    </message>
    <message>
      <source>Looking up the transcoding table…</source>
      <translation>Ricerca nella tabella di transcodifica…</translation>
    </message>
    <message>
      <source>Name, AIC, ATC code or active ingredient</source>
      <translation>Nome, AIC, codice ATC o principio attivo</translation>
    </message>
    <message>
      <source>No ICD-9-CM code corresponds to {code}, and a problem needs one: Esc, then search the diagnosis in ICD-9-CM (Alt+9)</source>
      <translation>Nessun codice ICD-9-CM corrisponde a {code}, e un problema ne richiede uno: Esc, poi cerca la diagnosi in ICD-9-CM (Alt+9)</translation>
    </message>
    <message>
      <source>No {system} code corresponds to {code}: Enter keeps {code} alone, Esc goes back</source>
      <translation>Nessun codice {system} corrisponde a {code}: Invio tiene solo {code}, Esc torna indietro</translation>
    </message>
    <message>
      <source>None for now</source>
      <translation>Nessuno per ora</translation>
    </message>
    <message>
      <source>Nothing found for “{text}”</source>
      <translation>Nessun risultato per «{text}»</translation>
    </message>
    <message>
      <source>Part of</source>
      <translation>Fa parte di</translation>
    </message>
    <message>
      <source>The ICD-10-IM code for {code}: Enter to confirm.</source>
      <translation>Il codice ICD-10-IM per {code}: Invio per confermare.</translation>
    </message>
    <message>
      <source>The ICD-9-CM codes for {code}: choose the one the problem keeps (arrows, Enter)</source>
      <translation>I codici ICD-9-CM per {code}: scegli quello che il problema conserva (frecce, Invio)</translation>
    </message>
    <message>
      <source>The first {count}; type more to narrow them, arrows to move, Enter to choose</source>
      <translation>I primi {count}; scrivi ancora per restringerli, frecce per spostarsi, Invio per scegliere</translation>
    </message>
    <message>
      <source>The transcoding table gives no ICD-10-IM code for {code} (or it has not been loaded).</source>
      <translation>La tabella di transcodifica non dà alcun codice ICD-10-IM per {code} (o non è stata caricata).</translation>
    </message>
    <message>
      <source>The {system} code for {code}: Enter to confirm, or choose “None for now”</source>
      <translation>Il codice {system} per {code}: Invio per confermare, oppure scegli «Nessuno per ora»</translation>
    </message>
    <message>
      <source>Type a code or some words</source>
      <translation>Scrivi un codice o qualche parola</translation>
    </message>
    <message>
      <source>line {line}: code {code} repeats an earlier line; kept the first</source>
      <translation>riga {line}: il codice {code} ripete una riga precedente; tenuta la prima</translation>
    </message>
    <message>
      <source>line {line}: empty name or equivalence group</source>
      <translation>riga {line}: nome o gruppo di equivalenza vuoto</translation>
    </message>
    <message>
      <source>line {line}: invalid AIC code {code}</source>
      <translation>riga {line}: codice AIC non valido {code}</translation>
    </message>
    <message>
      <source>load a newer official code list: ICD-9-CM or ATC (CSV), the Ministry's ICD-10-IM systematic list (icd10im) or ICD-9-CM to ICD-10-IM transcoding table (icd9-icd10im) as published (xlsx), the AIFA list of medicines (aifa, CSV)</source>
      <translation>carica un elenco ufficiale di codici più recente: ICD-9-CM o ATC (CSV), l'elenco sistematico ICD-10-IM del Ministero (icd10im) o la tabella di transcodifica ICD-9-CM - ICD-10-IM (icd9-icd10im) così come pubblicati (xlsx), la lista AIFA dei farmaci (aifa, CSV)</translation>
    </message>
    <message>
      <source>row {row}: code {code} has no title</source>
      <translation>riga {row}: il codice {code} non ha un titolo</translation>
    </message>
    <message>
      <source>row {row}: code {code} repeats row {first}; kept the first</source>
      <translation>riga {row}: il codice {code} ripete la riga {first}; tenuta la prima</translation>
    </message>
    <message>
      <source>row {row}: column G of {code} is neither 0 nor 1</source>
      <translation>riga {row}: la colonna G di {code} non è né 0 né 1</translation>
    </message>
    <message>
      <source>row {row}: invalid code {code}</source>
      <translation>riga {row}: codice non valido {code}</translation>
    </message>
    <message>
      <source>the file has no aic, name, atc and equivalence_group columns</source>
      <translation>il file non ha le colonne aic, name, atc ed equivalence_group</translation>
    </message>
    <message>
      <source>the file lists no medicine</source>
      <translation>il file non elenca alcun farmaco</translation>
    </message>
    <message>
      <source>the workbook {name} is empty</source>
      <translation>la cartella di lavoro {name} è vuota</translation>
    </message>
    <message>
      <source>{count} AIC codes had lost their leading zeros: restored to nine digits</source>
      <translation>{count} codici AIC avevano perso gli zeri iniziali: riportati a nove cifre</translation>
    </message>
    <message>
      <source>{count} ICD-10-IM codes correspond to {code}: choose one (arrows, Enter).</source>
      <translation>{count} codici ICD-10-IM corrispondono a {code}: scegline uno (frecce, Invio).</translation>
    </message>
    <message>
      <source>{count} ICD-10-IM codes loaded</source>
      <translation>{count} codici ICD-10-IM caricati</translation>
    </message>
    <message>
      <source>{count} ICD-9-CM codes without an ICD-10-IM code were skipped</source>
      <translation>{count} codici ICD-9-CM senza un codice ICD-10-IM sono stati saltati</translation>
    </message>
    <message>
      <source>{count} ICD-9-CM to ICD-10-IM correspondences loaded</source>
      <translation>{count} corrispondenze ICD-9-CM - ICD-10-IM caricate</translation>
    </message>
    <message>
      <source>{count} found; arrows to move, Enter to choose</source>
      <translation>{count} trovati; frecce per spostarsi, Invio per scegliere</translation>
    </message>
    <message>
      <source>{count} medicines of the AIFA list loaded</source>
      <translation>{count} farmaci della lista AIFA caricati</translation>
    </message>
    <message>
      <source>{count} of them can be chosen for a diagnosis; the others are headings</source>
      <translation>{count} di questi si possono scegliere per una diagnosi; gli altri sono intestazioni</translation>
    </message>
    <message>
      <source>{count} {system} codes correspond to {code}: choose one (arrows, Enter), or “None for now”</source>
      <translation>{count} codici {system} corrispondono a {code}: scegline uno (frecce, Invio), oppure «Nessuno per ora»</translation>
    </message>
    <message>
      <source>{name} is not an Excel workbook (.xlsx)</source>
      <translation>{name} non è una cartella di lavoro Excel (.xlsx)</translation>
    </message>
    <message>
      <source>{name} is not the ICD-10-IM systematic list: expected a header row (row {row}) with the code in column B and the title in column C, then the codes</source>
      <translation>{name} non è l'elenco sistematico ICD-10-IM: attesa una riga di intestazione (riga {row}) con il codice nella colonna B e il titolo nella colonna C, poi i codici</translation>
    </message>
    <message>
      <source>{name} is not the ICD-9-CM -&gt; ICD-10-IM transcoding table: expected a header row with the ICD-9-CM code and description and the ICD-10-IM code and description</source>
      <translation>{name} non è la tabella di transcodifica ICD-9-CM -&gt; ICD-10-IM: attesa una riga di intestazione con codice e descrizione ICD-9-CM e codice e descrizione ICD-10-IM</translation>
    </message>
  </context>
</TS>
