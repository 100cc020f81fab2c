<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="it_IT" sourcelanguage="en">
  <context>
    <name>medirete</name>
    <message>
      <source>About Medirete</source>
      <translation>Informazioni su Medirete</translation>
    </message>
    <message>
      <source>Agenda</source>
      <translation>Agenda</translation>
    </message>
    <message>
      <source>Applies to each session from its next login.</source>
      <translation>Vale per ogni sessione dal suo prossimo accesso.</translation>
    </message>
    <message>
      <source>Back</source>
      <translation>Indietro</translation>
    </message>
    <message>
      <source>CF {code}</source>
      <translation>CF {code}</translation>
    </message>
    <message>
      <source>Center settings - Medirete</source>
      <translation>Impostazioni del centro - Medirete</translation>
    </message>
    <message>
      <source>Center settings...</source>
      <translation>Impostazioni del centro...</translation>
    </message>
    <message>
      <source>Clinical chart</source>
      <translation>Cartella clinica</translation>
    </message>
    <message>
      <source>Clinical summary</source>
      <translation>Sintesi clinica</translation>
    </message>
    <message>
      <source>Close the patient</source>
      <translation>Chiudi il paziente</translation>
    </message>
    <message>
      <source>Demographics history...</source>
      <translation>Storico dell'anagrafica...</translation>
    </message>
    <message>
      <source>Domicile city</source>
      <translation>Comune del domicilio</translation>
    </message>
    <message>
      <source>Domicile postcode</source>
      <translation>CAP del domicilio</translation>
    </message>
    <message>
      <source>Edit demographics...</source>
      <translation>Modifica anagrafica...</translation>
    </message>
    <message>
      <source>Enter your password.</source>
      <translation>Inserisci la tua password.</translation>
    </message>
    <message>
      <source>F2 to find a patient</source>
      <translation>F2 per cercare un paziente</translation>
    </message>
    <message>
      <source>File</source>
      <translation>Archivio</translation>
    </message>
    <message>
      <source>Find a patient</source>
      <translation>Cerca paziente</translation>
    </message>
    <message>
      <source>Find a patient: surname [given name] or codice fiscale  (F2)</source>
      <translation>Cerca un paziente: cognome [nome] o codice fiscale  (F2)</translation>
    </message>
    <message>
      <source>GP: {name}</source>
      <translation>Medico: {name}</translation>
    </message>
    <message>
      <source>Help</source>
      <translation>Aiuto</translation>
    </message>
    <message>
      <source>Language</source>
      <translation>Lingua</translation>
    </message>
    <message>
      <source>Lock the session</source>
      <translation>Blocca la sessione</translation>
    </message>
    <message>
      <source>Lock the workstations after (minutes without use)</source>
      <translation>Blocca le postazioni dopo (minuti di inattività)</translation>
    </message>
    <message>
      <source>Log out</source>
      <translation>Esci dalla sessione</translation>
    </message>
    <message>
      <source>Medirete {version}</source>
      <translation>Medirete {version}</translation>
    </message>
    <message>
      <source>New patient...</source>
      <translation>Nuovo paziente...</translation>
    </message>
    <message>
      <source>No patient open</source>
      <translation>Nessun paziente aperto</translation>
    </message>
    <message>
      <source>Opening the patient...</source>
      <translation>Apertura del paziente...</translation>
    </message>
    <message>
      <source>Patient open in this window</source>
      <translation>Paziente aperto</translation>
    </message>
    <message>
      <source>Patient page</source>
      <translation>Scheda paziente</translation>
    </message>
    <message>
      <source>Quit</source>
      <translation>Esci da Medirete</translation>
    </message>
    <message>
      <source>Recent patients</source>
      <translation>Pazienti recenti</translation>
    </message>
    <message>
      <source>Session locked</source>
      <translation>Sessione bloccata</translation>
    </message>
    <message>
      <source>Settings saved</source>
      <translation>Impostazioni salvate</translation>
    </message>
    <message>
      <source>Switch user</source>
      <translation>Cambia utente</translation>
    </message>
    <message>
      <source>Switch user...</source>
      <translation>Cambia utente...</translation>
    </message>
    <message>
      <source>The shared clinical record of a general practice group.</source>
      <translation>La cartella clinica condivisa della medicina di gruppo.</translation>
    </message>
    <message>
      <source>Toolbar</source>
      <translation>Barra degli strumenti</translation>
    </message>
    <message>
      <source>Unlock</source>
      <translation>Sblocca</translation>
    </message>
    <message>
      <source>View</source>
      <translation>Visualizza</translation>
    </message>
    <message>
      <source>Waiting room</source>
      <translation>Sala d'attesa</translation>
    </message>
    <message>
      <source>Workstation: {name}</source>
      <translation>Postazione: {name}</translation>
    </message>
    <message>
      <source>Wrong password: try again, or switch user.</source>
      <translation>Password errata: riprova, oppure cambia utente.</translation>
    </message>
    <message>
      <source>not chosen</source>
      <translation>non indicato</translation>
    </message>
    <message>
      <source>the minutes before a lock must be between 1 and 120</source>
      <translation>i minuti prima del blocco devono essere tra 1 e 120</translation>
    </message>
    <message>
      <source>{user} has logged out.</source>
      <translation>Sessione di {user} chiusa.</translation>
    </message>
  </context>
</TS>
