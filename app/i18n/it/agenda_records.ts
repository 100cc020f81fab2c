<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="it_IT" sourcelanguage="en">
  <context>
    <name>medirete</name>
    <message>
      <source>Blood draw</source>
      <translation>Prelievo</translation>
    </message>
    <message>
      <source>Dressing</source>
      <translation>Medicazione</translation>
    </message>
    <message>
      <source>ECG</source>
      <translation>ECG</translation>
    </message>
    <message>
      <source>First visit</source>
      <translation>Prima visita</translation>
    </message>
    <message>
      <source>Follow-up</source>
      <translation>Controllo</translation>
    </message>
    <message>
      <source>Prescription</source>
      <translation>Ricetta</translation>
    </message>
    <message>
      <source>Spirometry</source>
      <translation>Spirometria</translation>
    </message>
    <message>
      <source>That time is already booked for {clinician}, who already has an appointment from {starts} to {ends}</source>
      <translation>Quell'orario è già occupato per {clinician}, che ha già un appuntamento dalle {starts} alle {ends}</translation>
    </message>
    <message>
      <source>Visit</source>
      <translation>Visita</translation>
    </message>
    <message>
      <source>a cancellation needs a reason</source>
      <translation>per annullare serve un motivo</translation>
    </message>
    <message>
      <source>a closure ends before it starts</source>
      <translation>una chiusura finisce prima di cominciare</translation>
    </message>
    <message>
      <source>a closure needs a description (120 characters at most)</source>
      <translation>una chiusura richiede una descrizione (al massimo 120 caratteri)</translation>
    </message>
    <message>
      <source>a past or cancelled appointment cannot be resized</source>
      <translation>la durata di un appuntamento passato o annullato non si può cambiare</translation>
    </message>
    <message>
      <source>a span must hold at least one slot</source>
      <translation>una fascia oraria deve contenere almeno uno slot</translation>
    </message>
    <message>
      <source>a timetable runs in whole minutes</source>
      <translation>l'orario si indica in minuti interi</translation>
    </message>
    <message>
      <source>a timetable span must end after it starts</source>
      <translation>una fascia oraria deve finire dopo il suo inizio</translation>
    </message>
    <message>
      <source>a timetable's validity ends before it starts</source>
      <translation>la validità dell'orario finisce prima di cominciare</translation>
    </message>
    <message>
      <source>a visit lasts 1 to 720 minutes</source>
      <translation>una visita dura da 1 a 720 minuti</translation>
    </message>
    <message>
      <source>a visit type is for a GP, a nurse or anyone</source>
      <translation>un tipo di visita è per il medico, per l'infermiere o per tutti</translation>
    </message>
    <message>
      <source>a visit type is required (30 characters at most)</source>
      <translation>serve un tipo di visita (al massimo 30 caratteri)</translation>
    </message>
    <message>
      <source>a visit type needs a name (80 characters at most)</source>
      <translation>un tipo di visita richiede un nome (al massimo 80 caratteri)</translation>
    </message>
    <message>
      <source>a weekday is 0 (Monday) to 6 (Sunday)</source>
      <translation>il giorno della settimana va da 0 (lunedì) a 6 (domenica)</translation>
    </message>
    <message>
      <source>an appointment cannot last more than 12 hours</source>
      <translation>un appuntamento non può durare più di 12 ore</translation>
    </message>
    <message>
      <source>cancel the appointment with a reason</source>
      <translation>annulla l'appuntamento indicando un motivo</translation>
    </message>
    <message>
      <source>only a booked appointment can be checked in</source>
      <translation>si può registrare l'arrivo solo di un appuntamento prenotato</translation>
    </message>
    <message>
      <source>only a booked appointment can be marked as a no-show</source>
      <translation>solo un appuntamento prenotato può essere segnato come assente</translation>
    </message>
    <message>
      <source>only a check-in or a no-show can be undone</source>
      <translation>si possono annullare solo un arrivo o un'assenza</translation>
    </message>
    <message>
      <source>only a patient in the waiting room can be called in</source>
      <translation>si può chiamare solo un paziente in sala d'attesa</translation>
    </message>
    <message>
      <source>only a patient who arrived can be marked as seen</source>
      <translation>solo un paziente arrivato può essere segnato come visitato</translation>
    </message>
    <message>
      <source>only an active GP or nurse has an agenda</source>
      <translation>solo un medico o un infermiere attivo ha un'agenda</translation>
    </message>
    <message>
      <source>only an appointment not yet seen can be cancelled</source>
      <translation>si può annullare solo un appuntamento non ancora svolto</translation>
    </message>
    <message>
      <source>only an appointment still to come can be moved</source>
      <translation>si può spostare solo un appuntamento non ancora iniziato</translation>
    </message>
    <message>
      <source>the desk note is too long (200 characters at most)</source>
      <translation>la nota per la segreteria è troppo lunga (al massimo 200 caratteri)</translation>
    </message>
    <message>
      <source>the reason is too long (200 characters at most)</source>
      <translation>il motivo è troppo lungo (al massimo 200 caratteri)</translation>
    </message>
    <message>
      <source>two spans of the timetable overlap</source>
      <translation>due fasce dell'orario si sovrappongono</translation>
    </message>
    <message>
      <source>unknown visit type</source>
      <translation>tipo di visita sconosciuto</translation>
    </message>
    <message>
      <source>{clinician} cannot be booked on {day}: {closure}</source>
      <translation>{clinician} non è prenotabile il {day}: {closure}</translation>
    </message>
  </context>
</TS>
