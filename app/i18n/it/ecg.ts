<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="it_IT" sourcelanguage="en">
  <context>
    <name>medirete</name>
    <message>
      <source>* derived lead, computed from I and II</source>
      <translation>* derivazione calcolata da I e II</translation>
    </message>
    <message>
      <source>12-lead ECG</source>
      <translation>ECG a 12 derivazioni</translation>
    </message>
    <message>
      <source>Axes P / QRS / T</source>
      <translation>Assi P / QRS / T</translation>
    </message>
    <message>
      <source>Calliper</source>
      <translation>Calibro</translation>
    </message>
    <message>
      <source>DICOM file without waveform data</source>
      <translation>file DICOM senza dati di forma d'onda</translation>
    </message>
    <message>
      <source>DICOM: channel definitions do not match the waveform data</source>
      <translation>DICOM: le definizioni dei canali non corrispondono ai dati della forma d'onda</translation>
    </message>
    <message>
      <source>Device interpretation, to be confirmed</source>
      <translation>Interpretazione dell'apparecchio, da confermare</translation>
    </message>
    <message>
      <source>Drag on the tracing to measure an interval and an amplitude; Esc puts the calliper away.</source>
      <translation>Trascina sul tracciato per misurare un intervallo e un'ampiezza; Esc toglie il calibro.</translation>
    </message>
    <message>
      <source>ECG tracing (Alt+E)</source>
      <translation>Tracciato ECG (Alt+E)</translation>
    </message>
    <message>
      <source>ECG tracing - {name}</source>
      <translation>Tracciato ECG - {name}</translation>
    </message>
    <message>
      <source>Gain</source>
      <translation>Guadagno</translation>
    </message>
    <message>
      <source>H record without its delimiter definition</source>
      <translation>record H senza la definizione dei delimitatori</translation>
    </message>
    <message>
      <source>Lead {lead}, first 10 s</source>
      <translation>Derivazione {lead}, primi 10 s</translation>
    </message>
    <message>
      <source>Length of the bar</source>
      <translation>Lunghezza della barra</translation>
    </message>
    <message>
      <source>Measure the red bar with a ruler and type its length. The tracing is then drawn at its true size on this screen (25 mm per second).</source>
      <translation>Misura la barra rossa con un righello e scrivine la lunghezza: il tracciato sarà poi disegnato a grandezza reale su questo schermo (25 mm al secondo).</translation>
    </message>
    <message>
      <source>Measurements</source>
      <translation>Misure</translation>
    </message>
    <message>
      <source>Notes sent with the ECG</source>
      <translation>Note inviate con l'ECG</translation>
    </message>
    <message>
      <source>Open the tracing...</source>
      <translation>Apri il tracciato...</translation>
    </message>
    <message>
      <source>PDF saved: {path}. Print it at 100 % (actual size) to keep 25 mm/s.</source>
      <translation>PDF salvato: {path}. Stampalo al 100 % (dimensioni effettive) per mantenere i 25 mm/s.</translation>
    </message>
    <message>
      <source>Paper speed</source>
      <translation>Velocità della carta</translation>
    </message>
    <message>
      <source>Print / PDF...</source>
      <translation>Stampa / PDF...</translation>
    </message>
    <message>
      <source>Print...</source>
      <translation>Stampa...</translation>
    </message>
    <message>
      <source>Reading the tracing...</source>
      <translation>Lettura del tracciato...</translation>
    </message>
    <message>
      <source>Recording</source>
      <translation>Registrazione</translation>
    </message>
    <message>
      <source>SCP-ECG file without lead definition (section 3) or rhythm (section 6)</source>
      <translation>file SCP-ECG senza definizione delle derivazioni (sezione 3) o ritmo (sezione 6)</translation>
    </message>
    <message>
      <source>Save the ECG as PDF</source>
      <translation>Salva l'ECG come PDF</translation>
    </message>
    <message>
      <source>Screen calibration</source>
      <translation>Calibrazione dello schermo</translation>
    </message>
    <message>
      <source>Screen calibration...</source>
      <translation>Calibrazione dello schermo...</translation>
    </message>
    <message>
      <source>Sent to the printer.</source>
      <translation>Inviato alla stampante.</translation>
    </message>
    <message>
      <source>The ECG PDF could not be written to {path}: check the folder and the free space</source>
      <translation>Impossibile scrivere il PDF dell'ECG in {path}: controlla la cartella e lo spazio libero</translation>
    </message>
    <message>
      <source>The ECG cannot be shown: {detail}</source>
      <translation>Impossibile mostrare l'ECG: {detail}</translation>
    </message>
    <message>
      <source>The file carries no measurements.</source>
      <translation>Il file non contiene misure.</translation>
    </message>
    <message>
      <source>The tracing cannot be read.</source>
      <translation>Impossibile leggere il tracciato.</translation>
    </message>
    <message>
      <source>True size (0)</source>
      <translation>Grandezza reale (0)</translation>
    </message>
    <message>
      <source>Use the screen's value</source>
      <translation>Usa il valore dello schermo</translation>
    </message>
    <message>
      <source>Zoom in (+)</source>
      <translation>Ingrandisci (+)</translation>
    </message>
    <message>
      <source>Zoom out (-)</source>
      <translation>Riduci (-)</translation>
    </message>
    <message>
      <source>a message must start with an H record</source>
      <translation>un messaggio deve iniziare con un record H</translation>
    </message>
    <message>
      <source>aECG: NUL bytes in the document (unsupported encoding)</source>
      <translation>aECG: byte NUL nel documento (codifica non supportata)</translation>
    </message>
    <message>
      <source>aECG: documents with a DTD or entity declarations are refused</source>
      <translation>aECG: i documenti con DTD o dichiarazioni di entità sono rifiutati</translation>
    </message>
    <message>
      <source>aECG: no sequence set</source>
      <translation>aECG: nessun insieme di sequenze</translation>
    </message>
    <message>
      <source>aECG: no series</source>
      <translation>aECG: nessuna serie</translation>
    </message>
    <message>
      <source>aECG: no time sequence (sampling rate unknown)</source>
      <translation>aECG: nessuna sequenza temporale (frequenza di campionamento sconosciuta)</translation>
    </message>
    <message>
      <source>acquired {when}</source>
      <translation>acquisito il {when}</translation>
    </message>
    <message>
      <source>as sent by the device: {patient}</source>
      <translation>come inviato dall'apparecchio: {patient}</translation>
    </message>
    <message>
      <source>as the screen reports it</source>
      <translation>come lo dichiara lo schermo</translation>
    </message>
    <message>
      <source>bimodal compression (section 6)</source>
      <translation>compressione bimodale (sezione 6)</translation>
    </message>
    <message>
      <source>born {date}</source>
      <translation>nato/a il {date}</translation>
    </message>
    <message>
      <source>empty record</source>
      <translation>record vuoto</translation>
    </message>
    <message>
      <source>frame does not start with STX or end with CR LF</source>
      <translation>il frame non inizia con STX o non termina con CR LF</translation>
    </message>
    <message>
      <source>frame has no ETX or ETB before its checksum</source>
      <translation>il frame non ha ETX o ETB prima del checksum</translation>
    </message>
    <message>
      <source>grid 1 mm, bold lines every 5 mm</source>
      <translation>griglia 1 mm, linee marcate ogni 5 mm</translation>
    </message>
    <message>
      <source>header record too short to declare its delimiters</source>
      <translation>record di intestazione troppo corto per dichiarare i delimitatori</translation>
    </message>
    <message>
      <source>measured by hand</source>
      <translation>misurato a mano</translation>
    </message>
    <message>
      <source>no GDT record (empty file)</source>
      <translation>nessun record GDT (file vuoto)</translation>
    </message>
    <message>
      <source>none in the file</source>
      <translation>nessuna nel file</translation>
    </message>
    <message>
      <source>print at 100 % (actual size)</source>
      <translation>stampare al 100 % (dimensioni effettive)</translation>
    </message>
    <message>
      <source>reference beat subtraction announced but section 4 or 5 is missing</source>
      <translation>sottrazione del battito di riferimento annunciata ma manca la sezione 4 o 5</translation>
    </message>
    <message>
      <source>rhythm strip: the first {shown} s of {total} s</source>
      <translation>striscia del ritmo: i primi {shown} s di {total} s</translation>
    </message>
    <message>
      <source>screen {dpi} dpi ({how})</source>
      <translation>schermo {dpi} dpi ({how})</translation>
    </message>
    <message>
      <source>the file contains no ECG leads</source>
      <translation>il file non contiene derivazioni ECG</translation>
    </message>
    <message>
      <source>the screen reports no size: not calibrated</source>
      <translation>lo schermo non dichiara le sue dimensioni: non calibrato</translation>
    </message>
    <message>
      <source>{count} leads</source>
      <translation>{count} derivazioni</translation>
    </message>
    <message>
      <source>{leads} computed from I and II (marked *)</source>
      <translation>{leads} calcolate da I e II (segnate *)</translation>
    </message>
  </context>
</TS>
