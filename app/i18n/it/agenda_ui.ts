<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="it_IT" sourcelanguage="en">
  <context>
    <name>medirete</name>
    <message>
      <source>(no patient)</source>
      <translation>(nessun paziente)</translation>
    </message>
    <message>
      <source>Age</source>
      <translation>Età</translation>
    </message>
    <message>
      <source>All clinicians (a page each)</source>
      <translation>Tutti i professionisti (una pagina ciascuno)</translation>
    </message>
    <message>
      <source>Another patient...</source>
      <translation>Un altro paziente...</translation>
    </message>
    <message>
      <source>Appointment now lasts {minutes} min</source>
      <translation>L'appuntamento ora dura {minutes} min</translation>
    </message>
    <message>
      <source>Appointment of {patient} cancelled</source>
      <translation>Appuntamento di {patient} annullato</translation>
    </message>
    <message>
      <source>Arrived</source>
      <translation>Arrivato</translation>
    </message>
    <message>
      <source>Arrived (Enter)</source>
      <translation>Arrivato (Invio)</translation>
    </message>
    <message>
      <source>Arrived at</source>
      <translation>Arrivato alle</translation>
    </message>
    <message>
      <source>Back to booked</source>
      <translation>Torna a prenotato</translation>
    </message>
    <message>
      <source>Book</source>
      <translation>Prenota</translation>
    </message>
    <message>
      <source>Book an appointment</source>
      <translation>Prenota un appuntamento</translation>
    </message>
    <message>
      <source>Book...</source>
      <translation>Prenota...</translation>
    </message>
    <message>
      <source>Booked</source>
      <translation>Prenotato</translation>
    </message>
    <message>
      <source>Booked by mistake</source>
      <translation>Prenotato per errore</translation>
    </message>
    <message>
      <source>Booked for</source>
      <translation>Prenotato per le</translation>
    </message>
    <message>
      <source>Booked {day} at {time}</source>
      <translation>Prenotato {day} alle {time}</translation>
    </message>
    <message>
      <source>Call the next patient</source>
      <translation>Chiama il prossimo</translation>
    </message>
    <message>
      <source>Call the next patient (F12)</source>
      <translation>Chiama il prossimo (F12)</translation>
    </message>
    <message>
      <source>Called in: {patient}</source>
      <translation>Chiamato: {patient}</translation>
    </message>
    <message>
      <source>Cancel appointment</source>
      <translation>Annulla l'appuntamento</translation>
    </message>
    <message>
      <source>Cancel appointment...</source>
      <translation>Annulla l'appuntamento...</translation>
    </message>
    <message>
      <source>Cancel the appointment of {patient} on {day} at {time}?</source>
      <translation>Annullare l'appuntamento di {patient} di {day} alle {time}?</translation>
    </message>
    <message>
      <source>Cancelled</source>
      <translation>Annullato</translation>
    </message>
    <message>
      <source>Cancelled: {reason}</source>
      <translation>Annullato: {reason}</translation>
    </message>
    <message>
      <source>Choose or type the reason</source>
      <translation>Scegli o scrivi il motivo</translation>
    </message>
    <message>
      <source>Clinical: only clinicians see it</source>
      <translation>Clinico: lo vedono solo medici e infermieri</translation>
    </message>
    <message>
      <source>Clinician</source>
      <translation>Professionista</translation>
    </message>
    <message>
      <source>Clinician:</source>
      <translation>Professionista:</translation>
    </message>
    <message>
      <source>Day</source>
      <translation>Giorno</translation>
    </message>
    <message>
      <source>Day list - print preview</source>
      <translation>Lista del giorno - anteprima di stampa</translation>
    </message>
    <message>
      <source>Day view</source>
      <translation>Vista giornaliera</translation>
    </message>
    <message>
      <source>Day:</source>
      <translation>Giorno:</translation>
    </message>
    <message>
      <source>Desk note</source>
      <translation>Nota per la segreteria</translation>
    </message>
    <message>
      <source>Desk note:</source>
      <translation>Nota per la segreteria:</translation>
    </message>
    <message>
      <source>Desk note: {note}</source>
      <translation>Nota per la segreteria: {note}</translation>
    </message>
    <message>
      <source>Enter: book - Del: cancel - A: arrived - N: no-show - Ctrl+Up/Down: move</source>
      <translation>Invio: prenota - Canc: annulla - A: arrivato - N: non presentato - Ctrl+Su/Giù: sposta</translation>
    </message>
    <message>
      <source>Find the first free slot (Ctrl+Shift+F)</source>
      <translation>Trova il primo posto libero (Ctrl+Maiusc+F)</translation>
    </message>
    <message>
      <source>First free slot</source>
      <translation>Primo posto libero</translation>
    </message>
    <message>
      <source>First free slot...</source>
      <translation>Primo posto libero...</translation>
    </message>
    <message>
      <source>First free slot: {day} at {time}</source>
      <translation>Primo posto libero: {day} alle {time}</translation>
    </message>
    <message>
      <source>For the front desk, e.g. bring previous tests</source>
      <translation>Per la segreteria, es. portare gli esami precedenti</translation>
    </message>
    <message>
      <source>From:</source>
      <translation>A partire da:</translation>
    </message>
    <message>
      <source>In the waiting room: {count}</source>
      <translation>In sala d'attesa: {count}</translation>
    </message>
    <message>
      <source>In visit</source>
      <translation>In visita</translation>
    </message>
    <message>
      <source>In visit since {time}</source>
      <translation>In visita dalle {time}</translation>
    </message>
    <message>
      <source>Keep appointment</source>
      <translation>Mantieni l'appuntamento</translation>
    </message>
    <message>
      <source>Length:</source>
      <translation>Durata:</translation>
    </message>
    <message>
      <source>Move down one slot</source>
      <translation>Sposta giù di uno spazio</translation>
    </message>
    <message>
      <source>Move up one slot</source>
      <translation>Sposta su di uno spazio</translation>
    </message>
    <message>
      <source>Moved to another day</source>
      <translation>Spostato a un altro giorno</translation>
    </message>
    <message>
      <source>Moved to {day} at {time}, {clinician}</source>
      <translation>Spostato a {day} alle {time}, {clinician}</translation>
    </message>
    <message>
      <source>Next day or week</source>
      <translation>Giorno o settimana successiva</translation>
    </message>
    <message>
      <source>Next day or week (PgDown)</source>
      <translation>Giorno o settimana successiva (PagGiù)</translation>
    </message>
    <message>
      <source>No appointments.</source>
      <translation>Nessun appuntamento.</translation>
    </message>
    <message>
      <source>No free slot in the next {days} days.</source>
      <translation>Nessun posto libero nei prossimi {days} giorni.</translation>
    </message>
    <message>
      <source>No-show</source>
      <translation>Non presentato</translation>
    </message>
    <message>
      <source>Nobody is waiting for you</source>
      <translation>Nessun paziente in attesa per te</translation>
    </message>
    <message>
      <source>One clinician's week (Ctrl+2)</source>
      <translation>La settimana di un professionista (Ctrl+2)</translation>
    </message>
    <message>
      <source>One column per clinician (Ctrl+1)</source>
      <translation>Una colonna per professionista (Ctrl+1)</translation>
    </message>
    <message>
      <source>Open patient</source>
      <translation>Apri il paziente</translation>
    </message>
    <message>
      <source>PDF files (*.pdf)</source>
      <translation>File PDF (*.pdf)</translation>
    </message>
    <message>
      <source>Past appointments ({count})</source>
      <translation>Appuntamenti passati ({count})</translation>
    </message>
    <message>
      <source>Patient:</source>
      <translation>Paziente:</translation>
    </message>
    <message>
      <source>Preview and print...</source>
      <translation>Anteprima e stampa...</translation>
    </message>
    <message>
      <source>Previous day or week</source>
      <translation>Giorno o settimana precedente</translation>
    </message>
    <message>
      <source>Previous day or week (PgUp)</source>
      <translation>Giorno o settimana precedente (PagSu)</translation>
    </message>
    <message>
      <source>Print day list...</source>
      <translation>Stampa lista del giorno...</translation>
    </message>
    <message>
      <source>Print the day list</source>
      <translation>Stampa la lista del giorno</translation>
    </message>
    <message>
      <source>Print the day list (Ctrl+P)</source>
      <translation>Stampa la lista del giorno (Ctrl+P)</translation>
    </message>
    <message>
      <source>Printed on {date} at {time} by {user}</source>
      <translation>Stampato il {date} alle {time} da {user}</translation>
    </message>
    <message>
      <source>Reason (required):</source>
      <translation>Motivo (obbligatorio):</translation>
    </message>
    <message>
      <source>Reason:</source>
      <translation>Motivo clinico:</translation>
    </message>
    <message>
      <source>Reason: {reason}</source>
      <translation>Motivo clinico: {reason}</translation>
    </message>
    <message>
      <source>Refresh</source>
      <translation>Aggiorna</translation>
    </message>
    <message>
      <source>Refresh (F5)</source>
      <translation>Aggiorna (F5)</translation>
    </message>
    <message>
      <source>Save as PDF...</source>
      <translation>Salva come PDF...</translation>
    </message>
    <message>
      <source>Save the day list as PDF</source>
      <translation>Salva la lista del giorno come PDF</translation>
    </message>
    <message>
      <source>Search</source>
      <translation>Cerca</translation>
    </message>
    <message>
      <source>Searching...</source>
      <translation>Ricerca in corso...</translation>
    </message>
    <message>
      <source>Seen</source>
      <translation>Visitato</translation>
    </message>
    <message>
      <source>Show cancelled</source>
      <translation>Mostra annullati</translation>
    </message>
    <message>
      <source>Show cancelled appointments</source>
      <translation>Mostra gli appuntamenti annullati</translation>
    </message>
    <message>
      <source>Status</source>
      <translation>Stato</translation>
    </message>
    <message>
      <source>Still expected today: {count}</source>
      <translation>Ancora attesi oggi: {count}</translation>
    </message>
    <message>
      <source>The clinician is absent</source>
      <translation>Assenza del medico</translation>
    </message>
    <message>
      <source>The patient cancelled</source>
      <translation>Disdetto dal paziente</translation>
    </message>
    <message>
      <source>Time</source>
      <translation>Ora</translation>
    </message>
    <message>
      <source>Today</source>
      <translation>Oggi</translation>
    </message>
    <message>
      <source>Today (Ctrl+Home)</source>
      <translation>Oggi (Ctrl+Inizio)</translation>
    </message>
    <message>
      <source>Type a name to find the patient</source>
      <translation>Scrivi un nome per trovare il paziente</translation>
    </message>
    <message>
      <source>Upcoming appointments ({count})</source>
      <translation>Prossimi appuntamenti ({count})</translation>
    </message>
    <message>
      <source>V: in visit - S: seen</source>
      <translation>V: in visita - S: visitato</translation>
    </message>
    <message>
      <source>Visit type</source>
      <translation>Tipo di visita</translation>
    </message>
    <message>
      <source>Visit type:</source>
      <translation>Tipo di visita:</translation>
    </message>
    <message>
      <source>Waiting</source>
      <translation>In attesa</translation>
    </message>
    <message>
      <source>Waiting room - {day}</source>
      <translation>Sala d'attesa - {day}</translation>
    </message>
    <message>
      <source>Week</source>
      <translation>Settimana</translation>
    </message>
    <message>
      <source>Week view</source>
      <translation>Vista settimanale</translation>
    </message>
    <message>
      <source>When:</source>
      <translation>Quando:</translation>
    </message>
    <message>
      <source>Whose week is shown</source>
      <translation>Di chi è la settimana mostrata</translation>
    </message>
    <message>
      <source>min</source>
      <translation>min</translation>
    </message>
    <message>
      <source>{clinician} - {count} waiting</source>
      <translation>{clinician} - {count} in attesa</translation>
    </message>
    <message>
      <source>{count} appointment(s)</source>
      <translation>{count} appuntamenti</translation>
    </message>
    <message>
      <source>{day}, {time}</source>
      <translation>{day}, ore {time}</translation>
    </message>
    <message>
      <source>{hours} h</source>
      <translation>{hours} h</translation>
    </message>
    <message>
      <source>{hours} h {minutes} min</source>
      <translation>{hours} h {minutes} min</translation>
    </message>
    <message>
      <source>{minutes} min</source>
      <translation>{minutes} min</translation>
    </message>
    <message>
      <source>{patient} arrived</source>
      <translation>{patient} è arrivato</translation>
    </message>
    <message>
      <source>{patient}: no-show</source>
      <translation>{patient}: non presentato</translation>
    </message>
    <message>
      <source>{patient}: {status}</source>
      <translation>{patient}: {status}</translation>
    </message>
    <message>
      <source>{surname} {given}, born {date} - {cf}</source>
      <translation>{surname} {given}, nascita {date} - {cf}</translation>
    </message>
  </context>
</TS>
