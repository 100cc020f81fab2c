<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="it_IT" sourcelanguage="en">
  <context>
    <name>medirete</name>
    <message>
      <source>1 document</source>
      <translation>1 documento</translation>
    </message>
    <message>
      <source>1 of {total} documents contains the words searched</source>
      <translation>1 documento su {total} contiene le parole cercate</translation>
    </message>
    <message>
      <source>A document needs a title</source>
      <translation>Il documento deve avere un titolo</translation>
    </message>
    <message>
      <source>All files</source>
      <translation>Tutti i file</translation>
    </message>
    <message>
      <source>File a document</source>
      <translation>Archivia un documento</translation>
    </message>
    <message>
      <source>File document</source>
      <translation>Archivia</translation>
    </message>
    <message>
      <source>Fit</source>
      <translation>Adatta</translation>
    </message>
    <message>
      <source>Fit to the window (Ctrl+0)</source>
      <translation>Adatta alla finestra (Ctrl+0)</translation>
    </message>
    <message>
      <source>Import document</source>
      <translation>Importa documento</translation>
    </message>
    <message>
      <source>Import document…</source>
      <translation>Importa documento…</translation>
    </message>
    <message>
      <source>Next page</source>
      <translation>Pagina successiva</translation>
    </message>
    <message>
      <source>No document contains the words searched</source>
      <translation>Nessun documento contiene le parole cercate</translation>
    </message>
    <message>
      <source>No documents yet. Drop a PDF or an image here, or use "Import document…".</source>
      <translation>Nessun documento. Trascina qui un PDF o un'immagine, oppure usa «Importa documento…».</translation>
    </message>
    <message>
      <source>No documents.</source>
      <translation>Nessun documento.</translation>
    </message>
    <message>
      <source>Opening the document…</source>
      <translation>Apertura del documento…</translation>
    </message>
    <message>
      <source>PDF and images</source>
      <translation>PDF e immagini</translation>
    </message>
    <message>
      <source>Page {page} of {count}</source>
      <translation>Pagina {page} di {count}</translation>
    </message>
    <message>
      <source>Previous page</source>
      <translation>Pagina precedente</translation>
    </message>
    <message>
      <source>Search the text, title and source…</source>
      <translation>Cerca nel testo, nel titolo, nella provenienza…</translation>
    </message>
    <message>
      <source>Select a document to see it here.</source>
      <translation>Seleziona un documento per vederlo qui.</translation>
    </message>
    <message>
      <source>Selected file</source>
      <translation>File scelto</translation>
    </message>
    <message>
      <source>The date of the document is in the future</source>
      <translation>La data del documento è nel futuro</translation>
    </message>
    <message>
      <source>The file {name} cannot be read ({reason})</source>
      <translation>Il file {name} non può essere letto ({reason})</translation>
    </message>
    <message>
      <source>The file {name} is empty: there is nothing to file</source>
      <translation>Il file {name} è vuoto: non c'è nulla da archiviare</translation>
    </message>
    <message>
      <source>The file {name} is named as a PDF but is not one: it cannot be filed</source>
      <translation>Il file {name} ha il nome di un PDF ma non lo è: non può essere archiviato</translation>
    </message>
    <message>
      <source>The file {name} is neither a PDF nor an image (PNG, JPEG, TIFF, GIF, BMP, WebP): it cannot be filed</source>
      <translation>Il file {name} non è né un PDF né un'immagine (PNG, JPEG, TIFF, GIF, BMP, WebP): non può essere archiviato</translation>
    </message>
    <message>
      <source>The file {name} is too large ({size} MB): the limit is {limit} MB</source>
      <translation>Il file {name} è troppo grande ({size} MB): il limite è {limit} MB</translation>
    </message>
    <message>
      <source>The source of the document is too long (at most {limit} characters)</source>
      <translation>La provenienza del documento è troppo lunga (al massimo {limit} caratteri)</translation>
    </message>
    <message>
      <source>This PDF is damaged and cannot be shown.</source>
      <translation>Questo PDF è danneggiato e non può essere mostrato.</translation>
    </message>
    <message>
      <source>This PDF is protected by a password and cannot be shown here.</source>
      <translation>Questo PDF è protetto da password e non può essere mostrato qui.</translation>
    </message>
    <message>
      <source>This file is already in the chart as "{title}"</source>
      <translation>Questo file è già in cartella come "{title}"</translation>
    </message>
    <message>
      <source>This image cannot be shown (its format is not supported or the file is damaged).</source>
      <translation>Questa immagine non può essere mostrata (formato non supportato o file danneggiato).</translation>
    </message>
    <message>
      <source>Unknown document type: {kind}</source>
      <translation>Tipo di documento sconosciuto: {kind}</translation>
    </message>
    <message>
      <source>Zoom in (Ctrl++)</source>
      <translation>Ingrandisci (Ctrl++)</translation>
    </message>
    <message>
      <source>Zoom out (Ctrl+-)</source>
      <translation>Riduci (Ctrl+-)</translation>
    </message>
    <message>
      <source>e.g. the laboratory, the hospital ward</source>
      <translation>es. il laboratorio, il reparto ospedaliero</translation>
    </message>
    <message>
      <source>{shown} of {total} documents contain the words searched</source>
      <translation>{shown} documenti su {total} contengono le parole cercate</translation>
    </message>
    <message>
      <source>{total} documents</source>
      <translation>{total} documenti</translation>
    </message>
  </context>
</TS>
