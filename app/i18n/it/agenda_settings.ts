<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="it_IT" sourcelanguage="en">
  <context>
    <name>medirete</name>
    <message>
      <source>Active</source>
      <translation>Attivo</translation>
    </message>
    <message>
      <source>Add closure</source>
      <translation>Aggiungi chiusura</translation>
    </message>
    <message>
      <source>Add span</source>
      <translation>Aggiungi fascia</translation>
    </message>
    <message>
      <source>Add the closure (Enter in the description, Ctrl+S)</source>
      <translation>Aggiungi la chiusura (Invio nella descrizione, Ctrl+S)</translation>
    </message>
    <message>
      <source>Anyone</source>
      <translation>Tutti</translation>
    </message>
    <message>
      <source>Closure added</source>
      <translation>Chiusura aggiunta</translation>
    </message>
    <message>
      <source>Closure removed</source>
      <translation>Chiusura rimossa</translation>
    </message>
    <message>
      <source>Closures of the next 12 months</source>
      <translation>Chiusure dei prossimi 12 mesi</translation>
    </message>
    <message>
      <source>Code</source>
      <translation>Codice</translation>
    </message>
    <message>
      <source>Days:</source>
      <translation>Giorni:</translation>
    </message>
    <message>
      <source>Description</source>
      <translation>Descrizione</translation>
    </message>
    <message>
      <source>Description:</source>
      <translation>Descrizione:</translation>
    </message>
    <message>
      <source>Empty: no limit. Delete empties the field.</source>
      <translation>Vuoto: nessun limite. Canc svuota il campo.</translation>
    </message>
    <message>
      <source>Ends</source>
      <translation>Fine</translation>
    </message>
    <message>
      <source>For</source>
      <translation>Per</translation>
    </message>
    <message>
      <source>From</source>
      <translation>Dal</translation>
    </message>
    <message>
      <source>Length</source>
      <translation>Durata</translation>
    </message>
    <message>
      <source>Name</source>
      <translation>Nome</translation>
    </message>
    <message>
      <source>New closure</source>
      <translation>Nuova chiusura</translation>
    </message>
    <message>
      <source>New visit type</source>
      <translation>Nuovo tipo di visita</translation>
    </message>
    <message>
      <source>No timetable: nobody can book this clinician yet.</source>
      <translation>Nessun orario: per ora non si può prenotare con questo professionista.</translation>
    </message>
    <message>
      <source>Not saved yet: {parts}.</source>
      <translation>Non ancora salvato: {parts}.</translation>
    </message>
    <message>
      <source>Open the days of “{description}” ({start} – {end}) to bookings again?</source>
      <translation>Riaprire alle prenotazioni i giorni di «{description}» ({start} – {end})?</translation>
    </message>
    <message>
      <source>Read only: your role can see the timetables, the visit types and the closures, not change them.</source>
      <translation>Sola lettura: il tuo ruolo può consultare gli orari, i tipi di visita e le chiusure, non modificarli.</translation>
    </message>
    <message>
      <source>Remove closure</source>
      <translation>Rimuovi chiusura</translation>
    </message>
    <message>
      <source>Remove span</source>
      <translation>Rimuovi fascia</translation>
    </message>
    <message>
      <source>Remove the selected closure (Del)</source>
      <translation>Rimuovi la chiusura selezionata (Canc)</translation>
    </message>
    <message>
      <source>Save timetable</source>
      <translation>Salva orario</translation>
    </message>
    <message>
      <source>Save visit types</source>
      <translation>Salva tipi di visita</translation>
    </message>
    <message>
      <source>Saving replaces the clinician's whole weekly timetable; appointments already booked stay as they are.</source>
      <translation>Il salvataggio sostituisce l'intero orario settimanale del professionista; gli appuntamenti già prenotati restano come sono.</translation>
    </message>
    <message>
      <source>Slot length</source>
      <translation>Durata slot</translation>
    </message>
    <message>
      <source>Starts</source>
      <translation>Inizio</translation>
    </message>
    <message>
      <source>The changes to the timetable of {name} have not been saved.</source>
      <translation>Le modifiche all'orario di {name} non sono state salvate.</translation>
    </message>
    <message>
      <source>The code {code} is already in use: change that visit type's row instead.</source>
      <translation>Il codice {code} è già in uso: modifica invece la riga di quel tipo di visita.</translation>
    </message>
    <message>
      <source>Timetable of {name} saved</source>
      <translation>Orario di {name} salvato</translation>
    </message>
    <message>
      <source>Timetables and closures</source>
      <translation>Orari e chiusure</translation>
    </message>
    <message>
      <source>Timetables, visit types and closures...</source>
      <translation>Orari, tipi di visita e chiusure...</translation>
    </message>
    <message>
      <source>To</source>
      <translation>Al</translation>
    </message>
    <message>
      <source>Valid from</source>
      <translation>Valido dal</translation>
    </message>
    <message>
      <source>Valid until</source>
      <translation>Valido fino al</translation>
    </message>
    <message>
      <source>Visit types saved</source>
      <translation>Tipi di visita salvati</translation>
    </message>
    <message>
      <source>Who</source>
      <translation>Chi</translation>
    </message>
    <message>
      <source>Who:</source>
      <translation>Chi:</translation>
    </message>
    <message>
      <source>Whole center</source>
      <translation>Tutto il centro</translation>
    </message>
    <message>
      <source>e.g. Christmas holidays, leave, training</source>
      <translation>es. festività natalizie, ferie, formazione</translation>
    </message>
    <message>
      <source>from</source>
      <translation>dal</translation>
    </message>
    <message>
      <source>new code</source>
      <translation>nuovo codice</translation>
    </message>
    <message>
      <source>to</source>
      <translation>al</translation>
    </message>
  </context>
</TS>
