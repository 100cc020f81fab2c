<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="it_IT" sourcelanguage="en">
  <context>
    <name>medirete</name>
    <message>
      <source>'pty', a device path, socket://HOST:PORT or listen://HOST:PORT</source>
      <translation>'pty', il percorso di un dispositivo, socket://HOST:PORT o listen://HOST:PORT</translation>
    </message>
    <message>
      <source>(and {count} more)</source>
      <translation>(e altri {count})</translation>
    </message>
    <message>
      <source>(clinical access to grant)</source>
      <translation>(accesso clinico da abilitare)</translation>
    </message>
    <message>
      <source>(disabled)</source>
      <translation>(disattivato)</translation>
    </message>
    <message>
      <source>--port pty needs Linux or macOS; give a serial port or listen://</source>
      <translation>--port pty richiede Linux o macOS; indicare una porta seriale o listen://</translation>
    </message>
    <message>
      <source>--replay sends the file as it is: no other option goes with it</source>
      <translation>--replay invia il file così com'è: non si combina con altre opzioni</translation>
    </message>
    <message>
      <source>1 patient</source>
      <translation>1 paziente</translation>
    </message>
    <message>
      <source>A Medirete center already exists in {path}</source>
      <translation>Esiste già un centro Medirete in {path}</translation>
    </message>
    <message>
      <source>A backup is copying the clinical record: try again in a minute</source>
      <translation>Un backup sta copiando la parte clinica della cartella: riprova tra un minuto</translation>
    </message>
    <message>
      <source>A re-key of the record is in progress: try again in a few minutes</source>
      <translation>È in corso il cambio di chiave della cartella clinica: riprova tra qualche minuto</translation>
    </message>
    <message>
      <source>A re-key of the record was interrupted: close the record in every other program, then open it again</source>
      <translation>Il cambio di chiave della cartella clinica si è interrotto: chiudi la cartella in tutti gli altri programmi, poi riaprila</translation>
    </message>
    <message>
      <source>A signed entry cannot be changed; record a correction instead</source>
      <translation>Una registrazione firmata non si può modificare: registra una correzione</translation>
    </message>
    <message>
      <source>ATS/ASL</source>
      <translation>ATS/ASL</translation>
    </message>
    <message>
      <source>Accept (Alt+A)</source>
      <translation>Accetta (Alt+A)</translation>
    </message>
    <message>
      <source>Active problems</source>
      <translation>Problemi attivi</translation>
    </message>
    <message>
      <source>Address</source>
      <translation>Indirizzo</translation>
    </message>
    <message>
      <source>Allergies and intolerances</source>
      <translation>Allergie e intolleranze</translation>
    </message>
    <message>
      <source>Appointment reasons</source>
      <translation>Motivi degli appuntamenti</translation>
    </message>
    <message>
      <source>Appointments</source>
      <translation>Appuntamenti</translation>
    </message>
    <message>
      <source>Audit trail</source>
      <translation>Registro degli accessi</translation>
    </message>
    <message>
      <source>Backup restored into {path}</source>
      <translation>Backup ripristinato in {path}</translation>
    </message>
    <message>
      <source>Backup written and verified: {path} ({size} bytes)</source>
      <translation>Backup scritto e verificato: {path} ({size} byte)</translation>
    </message>
    <message>
      <source>Cancel</source>
      <translation>Annulla</translation>
    </message>
    <message>
      <source>Cannot write the backup to {path}: it exists and is not a file</source>
      <translation>Impossibile scrivere il backup in {path}: esiste già e non è un file</translation>
    </message>
    <message>
      <source>Cannot write the backup to {path}: it is in the center folder {center} or is one of its files; choose a file in another folder</source>
      <translation>Impossibile scrivere il backup in {path}: è nella cartella del centro {center} o è uno dei suoi file; scegli un file in un'altra cartella</translation>
    </message>
    <message>
      <source>Care plans (PAI)</source>
      <translation>Piani assistenziali (PAI)</translation>
    </message>
    <message>
      <source>Center administrator</source>
      <translation>Amministratore del centro</translation>
    </message>
    <message>
      <source>Center created in {path}</source>
      <translation>Centro creato in {path}</translation>
    </message>
    <message>
      <source>Center settings</source>
      <translation>Impostazioni del centro</translation>
    </message>
    <message>
      <source>Center: {path}</source>
      <translation>Centro: {path}</translation>
    </message>
    <message>
      <source>Certificates</source>
      <translation>Certificati</translation>
    </message>
    <message>
      <source>Change log</source>
      <translation>Registro delle modifiche</translation>
    </message>
    <message>
      <source>Chart opened</source>
      <translation>Cartella aperta</translation>
    </message>
    <message>
      <source>City</source>
      <translation>Comune</translation>
    </message>
    <message>
      <source>Clinical access granted to {user}</source>
      <translation>Accesso clinico abilitato per {user}</translation>
    </message>
    <message>
      <source>Clinical accounts - Medirete</source>
      <translation>Account clinici - Medirete</translation>
    </message>
    <message>
      <source>Clinical change log</source>
      <translation>Registro delle modifiche cliniche</translation>
    </message>
    <message>
      <source>Clinical content is not available to your role.</source>
      <translation>I contenuti clinici non sono disponibili per il tuo ruolo.</translation>
    </message>
    <message>
      <source>Clinical file facts</source>
      <translation>Dati del file clinico</translation>
    </message>
    <message>
      <source>Close</source>
      <translation>Chiudi</translation>
    </message>
    <message>
      <source>Closures</source>
      <translation>Chiusure</translation>
    </message>
    <message>
      <source>Code lists</source>
      <translation>Liste di codici</translation>
    </message>
    <message>
      <source>Codice fiscale</source>
      <translation>Codice fiscale</translation>
    </message>
    <message>
      <source>Coming in a later version</source>
      <translation>Disponibile in una versione successiva</translation>
    </message>
    <message>
      <source>Consents</source>
      <translation>Consensi</translation>
    </message>
    <message>
      <source>Copied</source>
      <translation>Copiato</translation>
    </message>
    <message>
      <source>Copy report</source>
      <translation>Copia rapporto</translation>
    </message>
    <message>
      <source>Create a center</source>
      <translation>Crea un centro</translation>
    </message>
    <message>
      <source>Current password for {user}</source>
      <translation>Password attuale di {user}</translation>
    </message>
    <message>
      <source>Current therapy</source>
      <translation>Terapia in corso</translation>
    </message>
    <message>
      <source>Date of birth</source>
      <translation>Data di nascita</translation>
    </message>
    <message>
      <source>Demo center created in {path}: {patients} patients; users: {users}</source>
      <translation>Centro dimostrativo creato in {path}: {patients} pazienti; utenti: {users}</translation>
    </message>
    <message>
      <source>Demo center with synthetic patients (no real data).</source>
      <translation>Centro dimostrativo con pazienti sintetici (nessun dato reale).</translation>
    </message>
    <message>
      <source>Demographic history</source>
      <translation>Storico anagrafico</translation>
    </message>
    <message>
      <source>Demographics</source>
      <translation>Anagrafica</translation>
    </message>
    <message>
      <source>Demographics opened</source>
      <translation>Anagrafica aperta</translation>
    </message>
    <message>
      <source>Device</source>
      <translation>Dispositivo</translation>
    </message>
    <message>
      <source>Device messages</source>
      <translation>Messaggi dei dispositivi</translation>
    </message>
    <message>
      <source>Device or file error: {detail}</source>
      <translation>Errore del dispositivo o del file: {detail}</translation>
    </message>
    <message>
      <source>Device recordings</source>
      <translation>Registrazioni da dispositivi</translation>
    </message>
    <message>
      <source>Devices</source>
      <translation>Dispositivi</translation>
    </message>
    <message>
      <source>Documents</source>
      <translation>Documenti</translation>
    </message>
    <message>
      <source>Domicile</source>
      <translation>Domicilio</translation>
    </message>
    <message>
      <source>Driver</source>
      <translation>Driver</translation>
    </message>
    <message>
      <source>Edit contacts - {name}</source>
      <translation>Modifica recapiti - {name}</translation>
    </message>
    <message>
      <source>Edit contacts...</source>
      <translation>Modifica recapiti...</translation>
    </message>
    <message>
      <source>Email</source>
      <translation>Email</translation>
    </message>
    <message>
      <source>Enter your user name.</source>
      <translation>Inserisci il nome utente.</translation>
    </message>
    <message>
      <source>Exemptions</source>
      <translation>Esenzioni</translation>
    </message>
    <message>
      <source>F</source>
      <translation>F</translation>
    </message>
    <message>
      <source>Family history</source>
      <translation>Anamnesi familiare</translation>
    </message>
    <message>
      <source>File error: {detail}</source>
      <translation>Errore sul file: {detail}</translation>
    </message>
    <message>
      <source>Find a patient and press Enter to open them.</source>
      <translation>Cerca un paziente e premi Invio per aprirlo.</translation>
    </message>
    <message>
      <source>Find a patient: surname [given name] or codice fiscale  (Ctrl+F)</source>
      <translation>Cerca un paziente: cognome [nome] o codice fiscale  (Ctrl+F)</translation>
    </message>
    <message>
      <source>First {count} patients: type more to narrow</source>
      <translation>Primi {count} pazienti: scrivi di più per restringere</translation>
    </message>
    <message>
      <source>Flag</source>
      <translation>Fuori norma</translation>
    </message>
    <message>
      <source>For now the center administrator creates a center from a terminal with the command below; a guided setup will come in a later version. Then open its folder here.</source>
      <translation>Per ora l'amministratore del centro crea il centro da terminale con il comando qui sotto; una procedura guidata arriverà in una versione successiva. Poi apri qui la sua cartella.</translation>
    </message>
    <message>
      <source>GP</source>
      <translation>Medico</translation>
    </message>
    <message>
      <source>Given name</source>
      <translation>Nome</translation>
    </message>
    <message>
      <source>Grant access to the selected</source>
      <translation>Abilita l'accesso ai selezionati</translation>
    </message>
    <message>
      <source>Health card</source>
      <translation>Tessera sanitaria</translation>
    </message>
    <message>
      <source>If you do not know of these changes, tell the center's coordinator.</source>
      <translation>Se non sei al corrente di queste modifiche, avvisa il coordinatore del centro.</translation>
    </message>
    <message>
      <source>Integrity check failed: {detail}</source>
      <translation>Controllo di integrità fallito: {detail}</translation>
    </message>
    <message>
      <source>Interrupted</source>
      <translation>Interrotto</translation>
    </message>
    <message>
      <source>Invalid codice fiscale: {value}</source>
      <translation>Codice fiscale non valido: {value}</translation>
    </message>
    <message>
      <source>Invalid input: {detail}</source>
      <translation>Dato non valido: {detail}</translation>
    </message>
    <message>
      <source>Join a center by pairing</source>
      <translation>Unisciti a un centro con l'abbinamento</translation>
    </message>
    <message>
      <source>Joining by pairing is coming in a later version.</source>
      <translation>L'abbinamento a un centro sarà disponibile in una versione successiva.</translation>
    </message>
    <message>
      <source>Last error</source>
      <translation>Ultimo errore</translation>
    </message>
    <message>
      <source>Last message</source>
      <translation>Ultimo messaggio</translation>
    </message>
    <message>
      <source>Latest results</source>
      <translation>Ultimi risultati</translation>
    </message>
    <message>
      <source>Log in</source>
      <translation>Accedi</translation>
    </message>
    <message>
      <source>M</source>
      <translation>M</translation>
    </message>
    <message>
      <source>Match</source>
      <translation>Abbina</translation>
    </message>
    <message>
      <source>Match the results to a patient first (Alt+M).</source>
      <translation>Prima abbina i risultati a un paziente (Alt+M).</translation>
    </message>
    <message>
      <source>Match to a patient</source>
      <translation>Abbina a un paziente</translation>
    </message>
    <message>
      <source>Match to a patient (Alt+M)</source>
      <translation>Abbina a un paziente (Alt+M)</translation>
    </message>
    <message>
      <source>Matched by</source>
      <translation>Abbinamento</translation>
    </message>
    <message>
      <source>Matched to</source>
      <translation>Abbinato a</translation>
    </message>
    <message>
      <source>Medirete</source>
      <translation>Medirete</translation>
    </message>
    <message>
      <source>Medirete - Log in</source>
      <translation>Medirete - Accesso</translation>
    </message>
    <message>
      <source>Medirete - Welcome</source>
      <translation>Medirete - Benvenuto</translation>
    </message>
    <message>
      <source>Medirete - {center} - {user} ({role})</source>
      <translation>Medirete - {center} - {user} ({role})</translation>
    </message>
    <message>
      <source>Medirete administration: passwords are read from a prompt, or one line each on standard input; never from the command line.</source>
      <translation>Amministrazione di Medirete: le password si leggono da un prompt, o una riga ciascuna dallo standard input; mai dalla riga di comando.</translation>
    </message>
    <message>
      <source>Mobile</source>
      <translation>Cellulare</translation>
    </message>
    <message>
      <source>New password for {user}</source>
      <translation>Nuova password di {user}</translation>
    </message>
    <message>
      <source>No Medirete center in {path}</source>
      <translation>Nessun centro Medirete in {path}</translation>
    </message>
    <message>
      <source>No patient found</source>
      <translation>Nessun paziente trovato</translation>
    </message>
    <message>
      <source>None recorded</source>
      <translation>Nessuna registrazione</translation>
    </message>
    <message>
      <source>Not enough space to write the backup in {folder}: any earlier backup was kept; free some space or choose another place</source>
      <translation>Spazio insufficiente per scrivere il backup in {folder}: l'eventuale backup precedente è stato conservato; libera spazio o scegli un'altra posizione</translation>
    </message>
    <message>
      <source>Not found: {what}</source>
      <translation>Non trovato: {what}</translation>
    </message>
    <message>
      <source>Not now</source>
      <translation>Non ora</translation>
    </message>
    <message>
      <source>Nurse</source>
      <translation>Infermiere</translation>
    </message>
    <message>
      <source>Only results still to review can be accepted or rejected.</source>
      <translation>Si possono accettare o rifiutare solo i risultati ancora da valutare.</translation>
    </message>
    <message>
      <source>Open a center folder</source>
      <translation>Apri la cartella di un centro</translation>
    </message>
    <message>
      <source>Open a center folder...</source>
      <translation>Apri la cartella di un centro...</translation>
    </message>
    <message>
      <source>Opening {name}...</source>
      <translation>Apertura di {name}...</translation>
    </message>
    <message>
      <source>Opening...</source>
      <translation>Apertura...</translation>
    </message>
    <message>
      <source>PROBLEM: {problem}</source>
      <translation>PROBLEMA: {problem}</translation>
    </message>
    <message>
      <source>Password</source>
      <translation>Password</translation>
    </message>
    <message>
      <source>Password changed for {user}</source>
      <translation>Password cambiata per {user}</translation>
    </message>
    <message>
      <source>Password for the demo users</source>
      <translation>Password degli utenti dimostrativi</translation>
    </message>
    <message>
      <source>Password for {user}</source>
      <translation>Password di {user}</translation>
    </message>
    <message>
      <source>Password: {password}</source>
      <translation>Password: {password}</translation>
    </message>
    <message>
      <source>Patient</source>
      <translation>Paziente</translation>
    </message>
    <message>
      <source>Patient as sent</source>
      <translation>Paziente come inviato</translation>
    </message>
    <message>
      <source>Patients</source>
      <translation>Pazienti</translation>
    </message>
    <message>
      <source>Phone</source>
      <translation>Telefono</translation>
    </message>
    <message>
      <source>Place of birth</source>
      <translation>Luogo di nascita</translation>
    </message>
    <message>
      <source>Planned activities</source>
      <translation>Attività programmate</translation>
    </message>
    <message>
      <source>Port</source>
      <translation>Porta</translation>
    </message>
    <message>
      <source>Postcode</source>
      <translation>CAP</translation>
    </message>
    <message>
      <source>Preparing the demo center with synthetic patients...</source>
      <translation>Preparazione del centro dimostrativo con pazienti sintetici...</translation>
    </message>
    <message>
      <source>Prescriptions</source>
      <translation>Prescrizioni</translation>
    </message>
    <message>
      <source>Problems</source>
      <translation>Problemi</translation>
    </message>
    <message>
      <source>Raw message (Alt+V)</source>
      <translation>Messaggio grezzo (Alt+V)</translation>
    </message>
    <message>
      <source>Raw message - {title}</source>
      <translation>Messaggio grezzo - {title}</translation>
    </message>
    <message>
      <source>Received</source>
      <translation>Ricevuto</translation>
    </message>
    <message>
      <source>Record facts</source>
      <translation>Dati della cartella</translation>
    </message>
    <message>
      <source>Reject</source>
      <translation>Rifiuta</translation>
    </message>
    <message>
      <source>Reject (Alt+R, Del)</source>
      <translation>Rifiuta (Alt+R, Canc)</translation>
    </message>
    <message>
      <source>Reject results</source>
      <translation>Rifiuta risultati</translation>
    </message>
    <message>
      <source>Repeat the password</source>
      <translation>Ripeti la password</translation>
    </message>
    <message>
      <source>Results</source>
      <translation>Risultati</translation>
    </message>
    <message>
      <source>Results inbox</source>
      <translation>Risultati in arrivo</translation>
    </message>
    <message>
      <source>Results inbox...</source>
      <translation>Risultati in arrivo...</translation>
    </message>
    <message>
      <source>Results matched to {patient}</source>
      <translation>Risultati abbinati a {patient}</translation>
    </message>
    <message>
      <source>Roles</source>
      <translation>Ruoli</translation>
    </message>
    <message>
      <source>Save</source>
      <translation>Salva</translation>
    </message>
    <message>
      <source>Save reading (Alt+S)</source>
      <translation>Salva misura (Alt+S)</translation>
    </message>
    <message>
      <source>Secretary</source>
      <translation>Segreteria</translation>
    </message>
    <message>
      <source>Select the results to review (arrows, Shift+arrows).</source>
      <translation>Seleziona i risultati da valutare (frecce, Maiusc+frecce).</translation>
    </message>
    <message>
      <source>Separating clinical content failed, nothing was removed: {detail}</source>
      <translation>La separazione dei contenuti clinici non è riuscita, nulla è stato rimosso: {detail}</translation>
    </message>
    <message>
      <source>Sex</source>
      <translation>Sesso</translation>
    </message>
    <message>
      <source>Show accepted and rejected too (Alt+T)</source>
      <translation>Mostra anche accettati e rifiutati (Alt+T)</translation>
    </message>
    <message>
      <source>Show details</source>
      <translation>Mostra dettagli</translation>
    </message>
    <message>
      <source>Since your last login the administrator changed these clinical accounts:</source>
      <translation>Dal tuo ultimo accesso l'amministratore ha modificato questi account clinici:</translation>
    </message>
    <message>
      <source>Something went wrong that Medirete did not expect. Your data is safe: nothing was half-saved. Please copy the report and send it to your technical support.</source>
      <translation>Si è verificato un problema che Medirete non prevedeva. I dati sono al sicuro: nulla è stato salvato a metà. Copia il rapporto e invialo all'assistenza tecnica.</translation>
    </message>
    <message>
      <source>SpO2 %</source>
      <translation>SpO2 %</translation>
    </message>
    <message>
      <source>Staff</source>
      <translation>Personale</translation>
    </message>
    <message>
      <source>State</source>
      <translation>Stato</translation>
    </message>
    <message>
      <source>Surname</source>
      <translation>Cognome</translation>
    </message>
    <message>
      <source>Surname [given name] or codice fiscale</source>
      <translation>Cognome [nome] o codice fiscale</translation>
    </message>
    <message>
      <source>Test</source>
      <translation>Esame</translation>
    </message>
    <message>
      <source>The backup file is damaged or not a Medirete backup: {detail}</source>
      <translation>Il file di backup è danneggiato o non è un backup di Medirete: {detail}</translation>
    </message>
    <message>
      <source>The center file {path} is damaged or belongs to another center: restore it from a backup</source>
      <translation>Il file del centro {path} è danneggiato o appartiene a un altro centro: ripristinalo da un backup</translation>
    </message>
    <message>
      <source>The clinical file {path} is missing or belongs to another record: restore it from a backup</source>
      <translation>Il file clinico {path} manca o appartiene a un'altra cartella: ripristinalo da un backup</translation>
    </message>
    <message>
      <source>The clinical record is being written without pause: try the backup again</source>
      <translation>La parte clinica della cartella è in scrittura continua: ripeti il backup</translation>
    </message>
    <message>
      <source>The device sent: {patient}</source>
      <translation>Il dispositivo ha inviato: {patient}</translation>
    </message>
    <message>
      <source>The disk holding the record is full: free some space, then try again</source>
      <translation>Il disco che contiene la cartella clinica è pieno: libera spazio e riprova</translation>
    </message>
    <message>
      <source>The key file {path} is damaged: restore it from a backup</source>
      <translation>Il file delle chiavi {path} è danneggiato: ripristinalo da un backup</translation>
    </message>
    <message>
      <source>The record cannot be written (read-only file or folder): check its permissions</source>
      <translation>Impossibile scrivere la cartella clinica (file o cartella in sola lettura): controllane i permessi</translation>
    </message>
    <message>
      <source>The record could not be upgraded from schema {found} and was left exactly as it was; a backup is in {backup} ({detail})</source>
      <translation>Non è stato possibile aggiornare la cartella clinica dallo schema {found}: è rimasta esattamente com'era; un backup si trova in {backup} ({detail})</translation>
    </message>
    <message>
      <source>The record file cannot be read with this key, or is not a Medirete record</source>
      <translation>Il file della cartella clinica non si apre con questa chiave, o non è una cartella Medirete</translation>
    </message>
    <message>
      <source>The record file is damaged: restore the latest backup ({detail})</source>
      <translation>Il file della cartella clinica è danneggiato: ripristina l'ultimo backup ({detail})</translation>
    </message>
    <message>
      <source>The record is busy (locked by another program); try again</source>
      <translation>La cartella clinica è occupata (bloccata da un altro programma); riprova</translation>
    </message>
    <message>
      <source>The record is now encrypted with a new key</source>
      <translation>La cartella clinica ora è cifrata con una nuova chiave</translation>
    </message>
    <message>
      <source>The record is open in another program: close it, then re-key</source>
      <translation>La cartella clinica è aperta in un altro programma: chiudilo, poi ripeti il cambio di chiave</translation>
    </message>
    <message>
      <source>The selected results belong to different patients: accept one patient at a time.</source>
      <translation>I risultati selezionati sono di pazienti diversi: accetta un paziente alla volta.</translation>
    </message>
    <message>
      <source>The system keyring is not available on this workstation</source>
      <translation>Il portachiavi di sistema non è disponibile su questa postazione</translation>
    </message>
    <message>
      <source>Therapy</source>
      <translation>Terapia</translation>
    </message>
    <message>
      <source>These colleagues are waiting for access to clinical content:</source>
      <translation>Questi colleghi attendono l'accesso ai contenuti clinici:</translation>
    </message>
    <message>
      <source>This center was upgraded by a newer Medirete (schema {found}; this program knows up to {known}): install version {version} or later</source>
      <translation>Questo centro è stato aggiornato da un Medirete più recente (schema {found}; questo programma arriva a {known}): installa la versione {version} o successiva</translation>
    </message>
    <message>
      <source>This record must first be upgraded by a doctor or a nurse of the center (it separates clinical content under its own key): ask one of them to log in</source>
      <translation>La cartella deve prima essere aggiornata da un medico o un infermiere del centro (separa i contenuti clinici sotto una chiave propria): chiedi a uno di loro di accedere</translation>
    </message>
    <message>
      <source>This workstation is not linked to a center yet.</source>
      <translation>Questa postazione non è ancora collegata a un centro.</translation>
    </message>
    <message>
      <source>Timetables</source>
      <translation>Orari</translation>
    </message>
    <message>
      <source>Try the demo center (synthetic patients)</source>
      <translation>Prova il centro dimostrativo (pazienti sintetici)</translation>
    </message>
    <message>
      <source>Type to search</source>
      <translation>Scrivi per cercare</translation>
    </message>
    <message>
      <source>Unexpected error</source>
      <translation>Errore imprevisto</translation>
    </message>
    <message>
      <source>Unexpected error - Medirete</source>
      <translation>Errore imprevisto - Medirete</translation>
    </message>
    <message>
      <source>User name</source>
      <translation>Nome utente</translation>
    </message>
    <message>
      <source>User {user} added ({role})</source>
      <translation>Utente {user} aggiunto ({role})</translation>
    </message>
    <message>
      <source>Users: {users}</source>
      <translation>Utenti: {users}</translation>
    </message>
    <message>
      <source>Vaccinations</source>
      <translation>Vaccinazioni</translation>
    </message>
    <message>
      <source>Value</source>
      <translation>Valore</translation>
    </message>
    <message>
      <source>Verification failed: {detail}</source>
      <translation>Verifica non superata: {detail}</translation>
    </message>
    <message>
      <source>Visit drafts</source>
      <translation>Bozze di visita</translation>
    </message>
    <message>
      <source>Visit types</source>
      <translation>Tipi di visita</translation>
    </message>
    <message>
      <source>Visits</source>
      <translation>Visite</translation>
    </message>
    <message>
      <source>Welcome to Medirete</source>
      <translation>Benvenuto in Medirete</translation>
    </message>
    <message>
      <source>Why are these {count} result(s) rejected?</source>
      <translation>Perché rifiuti questi {count} risultati?</translation>
    </message>
    <message>
      <source>Workstation {name} enrolled</source>
      <translation>Postazione {name} registrata</translation>
    </message>
    <message>
      <source>Wrong user name or password</source>
      <translation>Nome utente o password errati</translation>
    </message>
    <message>
      <source>Your access to clinical content has not been granted yet: a doctor or nurse of the center grants it from their session</source>
      <translation>Il tuo accesso ai contenuti clinici non è ancora stato abilitato: lo abilita un medico o un infermiere del centro dalla propria sessione</translation>
    </message>
    <message>
      <source>Your role ({role}) does not allow this: {action}</source>
      <translation>Il tuo ruolo ({role}) non consente questa operazione: {action}</translation>
    </message>
    <message>
      <source>a correction needs a reason</source>
      <translation>una correzione richiede un motivo</translation>
    </message>
    <message>
      <source>a rejection needs a reason</source>
      <translation>un rifiuto richiede un motivo</translation>
    </message>
    <message>
      <source>a serial port or pyserial URL (gdt: the result folder)</source>
      <translation>una porta seriale o un URL pyserial (gdt: la cartella dei risultati)</translation>
    </message>
    <message>
      <source>abnormal</source>
      <translation>anomalo</translation>
    </message>
    <message>
      <source>accepted</source>
      <translation>accettato</translation>
    </message>
    <message>
      <source>active</source>
      <translation>attivo</translation>
    </message>
    <message>
      <source>add a user (the admin's password, then the new user's)</source>
      <translation>aggiungi un utente (la password dell'amministratore, poi quella del nuovo utente)</translation>
    </message>
    <message>
      <source>admin</source>
      <translation>amministratore</translation>
    </message>
    <message>
      <source>age at onset must be between 0 and 120</source>
      <translation>l'età di esordio deve essere tra 0 e 120</translation>
    </message>
    <message>
      <source>allergy</source>
      <translation>allergia</translation>
    </message>
    <message>
      <source>an appointment must last at least one minute</source>
      <translation>un appuntamento deve durare almeno un minuto</translation>
    </message>
    <message>
      <source>an observation needs a value</source>
      <translation>una rilevazione richiede un valore</translation>
    </message>
    <message>
      <source>astm: spoil the checksum of frame N once</source>
      <translation>astm: altera una volta il checksum del frame N</translation>
    </message>
    <message>
      <source>audit events: {count}</source>
      <translation>eventi di audit: {count}</translation>
    </message>
    <message>
      <source>aunt</source>
      <translation>zia</translation>
    </message>
    <message>
      <source>bp: seconds between readings (5)</source>
      <translation>bp: secondi tra una lettura e l'altra (5)</translation>
    </message>
    <message>
      <source>brother</source>
      <translation>fratello</translation>
    </message>
    <message>
      <source>by hand</source>
      <translation>manuale</translation>
    </message>
    <message>
      <source>cannot open {port}: {detail}</source>
      <translation>impossibile aprire {port}: {detail}</translation>
    </message>
    <message>
      <source>cannot read {path}</source>
      <translation>impossibile leggere {path}</translation>
    </message>
    <message>
      <source>change a password (own: old then new; with --as ADMIN: the admin's, then the new one)</source>
      <translation>cambia una password (la propria: vecchia e poi nuova; con --as ADMIN: quella dell'amministratore, poi la nuova)</translation>
    </message>
    <message>
      <source>check integrity, schema and audit chain; print the content digest</source>
      <translation>controlla integrità, schema e catena di audit; stampa l'impronta del contenuto</translation>
    </message>
    <message>
      <source>child</source>
      <translation>figlio/figlia</translation>
    </message>
    <message>
      <source>chronic</source>
      <translation>cronico</translation>
    </message>
    <message>
      <source>clinical content digest: {digest}</source>
      <translation>impronta dei contenuti clinici: {digest}</translation>
    </message>
    <message>
      <source>codice fiscale</source>
      <translation>codice fiscale</translation>
    </message>
    <message>
      <source>connected</source>
      <translation>collegato</translation>
    </message>
    <message>
      <source>connecting</source>
      <translation>connessione in corso</translation>
    </message>
    <message>
      <source>content digest: {digest}</source>
      <translation>impronta del contenuto: {digest}</translation>
    </message>
    <message>
      <source>could not store a message: {detail}</source>
      <translation>impossibile salvare un messaggio: {detail}</translation>
    </message>
    <message>
      <source>could not write the spool: {detail}</source>
      <translation>impossibile scrivere la copia di riserva locale: {detail}</translation>
    </message>
    <message>
      <source>cousin</source>
      <translation>cugino/cugina</translation>
    </message>
    <message>
      <source>create a center</source>
      <translation>crea un centro</translation>
    </message>
    <message>
      <source>create a demo center with synthetic patients</source>
      <translation>crea un centro dimostrativo con pazienti sintetici</translation>
    </message>
    <message>
      <source>create a new center with its first administrator</source>
      <translation>crea un nuovo centro con il primo amministratore</translation>
    </message>
    <message>
      <source>daughter</source>
      <translation>figlia</translation>
    </message>
    <message>
      <source>device {port}: {error}</source>
      <translation>dispositivo {port}: {error}</translation>
    </message>
    <message>
      <source>devsim failed: {detail}</source>
      <translation>devsim non riuscito: {detail}</translation>
    </message>
    <message>
      <source>devsim gdt needs --folder</source>
      <translation>devsim gdt richiede --folder</translation>
    </message>
    <message>
      <source>devsim {kind} needs --port</source>
      <translation>devsim {kind} richiede --port</translation>
    </message>
    <message>
      <source>drop the line after frame, packet or reading N</source>
      <translation>interrompe la linea dopo il frame, il pacchetto o la lettura N</translation>
    </message>
    <message>
      <source>e.g. mrossi</source>
      <translation>es. mrossi</translation>
    </message>
    <message>
      <source>e.g. wrong patient, sample repeated</source>
      <translation>es. paziente sbagliato, campione ripetuto</translation>
    </message>
    <message>
      <source>error</source>
      <translation>errore</translation>
    </message>
    <message>
      <source>error: {detail}</source>
      <translation>errore: {detail}</translation>
    </message>
    <message>
      <source>esenzione code is required</source>
      <translation>il codice di esenzione è obbligatorio</translation>
    </message>
    <message>
      <source>father</source>
      <translation>padre</translation>
    </message>
    <message>
      <source>finger out</source>
      <translation>dito fuori</translation>
    </message>
    <message>
      <source>folder not found: {path}</source>
      <translation>cartella non trovata: {path}</translation>
    </message>
    <message>
      <source>from age {age}</source>
      <translation>dall'età di {age} anni</translation>
    </message>
    <message>
      <source>gdt: the request folder</source>
      <translation>gdt: la cartella delle richieste</translation>
    </message>
    <message>
      <source>gdt: where results go (default: the request folder)</source>
      <translation>gdt: dove vanno i risultati (predefinita: la cartella delle richieste)</translation>
    </message>
    <message>
      <source>give a clinical colleague the clinical key (run by a GP or nurse who holds it)</source>
      <translation>dai a un collega clinico la chiave clinica (lo esegue un medico o un infermiere che la possiede)</translation>
    </message>
    <message>
      <source>go silent after frame, packet or reading N</source>
      <translation>resta in silenzio dopo il frame, il pacchetto o la lettura N</translation>
    </message>
    <message>
      <source>gp</source>
      <translation>medico</translation>
    </message>
    <message>
      <source>grandfather</source>
      <translation>nonno</translation>
    </message>
    <message>
      <source>grandmother</source>
      <translation>nonna</translation>
    </message>
    <message>
      <source>high</source>
      <translation>alto</translation>
    </message>
    <message>
      <source>internal error ({kind})</source>
      <translation>errore interno ({kind})</translation>
    </message>
    <message>
      <source>internal error ({kind}); please report it</source>
      <translation>errore interno ({kind}); per favore segnalalo</translation>
    </message>
    <message>
      <source>internal error ({kind}); please report it with {log}</source>
      <translation>errore interno ({kind}); per favore segnalalo allegando {log}</translation>
    </message>
    <message>
      <source>intolerance</source>
      <translation>intolleranza</translation>
    </message>
    <message>
      <source>kind must be allergy or intolerance</source>
      <translation>il tipo deve essere allergia o intolleranza</translation>
    </message>
    <message>
      <source>let this workstation unlock the record through the system keyring</source>
      <translation>consenti a questa postazione di aprire la cartella tramite il portachiavi di sistema</translation>
    </message>
    <message>
      <source>line lost: {detail}</source>
      <translation>collegamento interrotto: {detail}</translation>
    </message>
    <message>
      <source>line {line}: code {code} read as {fixed}</source>
      <translation>riga {line}: codice {code} letto come {fixed}</translation>
    </message>
    <message>
      <source>line {line}: code {code} repeats line {first}; kept the first</source>
      <translation>riga {line}: il codice {code} ripete la riga {first}; tenuta la prima</translation>
    </message>
    <message>
      <source>line {line}: empty description</source>
      <translation>riga {line}: descrizione vuota</translation>
    </message>
    <message>
      <source>line {line}: invalid code {code}</source>
      <translation>riga {line}: codice non valido {code}</translation>
    </message>
    <message>
      <source>line {line}: not valid CSV</source>
      <translation>riga {line}: CSV non valido</translation>
    </message>
    <message>
      <source>line {line}: wrong number of fields</source>
      <translation>riga {line}: numero di campi errato</translation>
    </message>
    <message>
      <source>list the users</source>
      <translation>elenca gli utenti</translation>
    </message>
    <message>
      <source>listening: {driver} on {port}</source>
      <translation>in ascolto: {driver} su {port}</translation>
    </message>
    <message>
      <source>load a newer official ICD-9-CM or ATC file</source>
      <translation>carica un file ufficiale ICD-9-CM o ATC più recente</translation>
    </message>
    <message>
      <source>long-term</source>
      <translation>continuativa</translation>
    </message>
    <message>
      <source>low</source>
      <translation>basso</translation>
    </message>
    <message>
      <source>manage users</source>
      <translation>gestisci gli utenti</translation>
    </message>
    <message>
      <source>match the result to a patient before accepting</source>
      <translation>abbina il risultato a un paziente prima di accettarlo</translation>
    </message>
    <message>
      <source>matched by the chart that was open: check it is the right patient</source>
      <translation>abbinati dalla cartella aperta: verifica che sia il paziente giusto</translation>
    </message>
    <message>
      <source>messages, packets or readings to send (astm: 1)</source>
      <translation>messaggi, pacchetti o letture da inviare (astm: 1)</translation>
    </message>
    <message>
      <source>missing Medirete backup signature</source>
      <translation>manca la firma di un backup Medirete</translation>
    </message>
    <message>
      <source>mother</source>
      <translation>madre</translation>
    </message>
    <message>
      <source>must be 1 or more: {value}</source>
      <translation>deve essere 1 o più: {value}</translation>
    </message>
    <message>
      <source>no password on standard input</source>
      <translation>nessuna password sullo standard input</translation>
    </message>
    <message>
      <source>no patient</source>
      <translation>nessun paziente</translation>
    </message>
    <message>
      <source>nurse</source>
      <translation>infermiere</translation>
    </message>
    <message>
      <source>only the beginning is shown</source>
      <translation>è mostrato solo l'inizio</translation>
    </message>
    <message>
      <source>open chart: check</source>
      <translation>cartella aperta: verificare</translation>
    </message>
    <message>
      <source>patient number</source>
      <translation>numero paziente</translation>
    </message>
    <message>
      <source>print the inbox, one result per line</source>
      <translation>stampa i risultati in arrivo, uno per riga</translation>
    </message>
    <message>
      <source>problem status must be active, chronic or resolved</source>
      <translation>lo stato del problema deve essere attivo, cronico o risolto</translation>
    </message>
    <message>
      <source>pulse /min</source>
      <translation>polso /min</translation>
    </message>
    <message>
      <source>put a result file (GDT, SCP-ECG, HL7 aECG, DICOM ECG) into the inbox</source>
      <translation>metti un file di risultati (GDT, SCP-ECG, HL7 aECG, DICOM ECG) tra i risultati in arrivo</translation>
    </message>
    <message>
      <source>put what a device sends into the inbox until interrupted</source>
      <translation>metti tra i risultati in arrivo ciò che un dispositivo invia, fino all'interruzione</translation>
    </message>
    <message>
      <source>re-encrypt the record with a new key</source>
      <translation>cifra di nuovo la cartella clinica con una nuova chiave</translation>
    </message>
    <message>
      <source>receiving</source>
      <translation>in ricezione</translation>
    </message>
    <message>
      <source>rejected: {reason}</source>
      <translation>rifiutato: {reason}</translation>
    </message>
    <message>
      <source>relative</source>
      <translation>familiare</translation>
    </message>
    <message>
      <source>replay file not found: {path}</source>
      <translation>file da riprodurre non trovato: {path}</translation>
    </message>
    <message>
      <source>restore a backup into an empty folder</source>
      <translation>ripristina un backup in una cartella vuota</translation>
    </message>
    <message>
      <source>schema: {revision}</source>
      <translation>schema: {revision}</translation>
    </message>
    <message>
      <source>searching for the signal</source>
      <translation>ricerca segnale</translation>
    </message>
    <message>
      <source>secretary</source>
      <translation>segreteria</translation>
    </message>
    <message>
      <source>send a recorded transcript byte for byte</source>
      <translation>invia una trascrizione registrata byte per byte</translation>
    </message>
    <message>
      <source>sex must be M or F</source>
      <translation>il sesso deve essere M o F</translation>
    </message>
    <message>
      <source>sibling</source>
      <translation>fratello/sorella</translation>
    </message>
    <message>
      <source>simulate a device on a serial line, a pty, TCP or a folder (for tests)</source>
      <translation>simula un dispositivo su una linea seriale, una pty, TCP o una cartella (per i test)</translation>
    </message>
    <message>
      <source>since {date}</source>
      <translation>dal {date}</translation>
    </message>
    <message>
      <source>sister</source>
      <translation>sorella</translation>
    </message>
    <message>
      <source>son</source>
      <translation>figlio</translation>
    </message>
    <message>
      <source>stopped</source>
      <translation>fermo</translation>
    </message>
    <message>
      <source>studio devices: import result files, listen</source>
      <translation>dispositivi dello studio: importa file di risultati, ascolta</translation>
    </message>
    <message>
      <source>surname and given name</source>
      <translation>cognome e nome sono obbligatori</translation>
    </message>
    <message>
      <source>the clinician already has an appointment at that time</source>
      <translation>il medico ha già un appuntamento a quell'ora</translation>
    </message>
    <message>
      <source>the database part is damaged (checksum mismatch)</source>
      <translation>la parte del database è danneggiata (checksum diverso)</translation>
    </message>
    <message>
      <source>the file has no code and description columns</source>
      <translation>il file non ha le colonne code e description</translation>
    </message>
    <message>
      <source>the last active administrator cannot be deactivated</source>
      <translation>l'ultimo amministratore attivo non può essere disattivato</translation>
    </message>
    <message>
      <source>the oximeter does not answer</source>
      <translation>l'ossimetro non risponde</translation>
    </message>
    <message>
      <source>the password is not valid text (UTF-8)</source>
      <translation>la password non è un testo valido (UTF-8)</translation>
    </message>
    <message>
      <source>the password must have at least 8 characters</source>
      <translation>la password deve avere almeno 8 caratteri</translation>
    </message>
    <message>
      <source>the results inbox</source>
      <translation>i risultati in arrivo</translation>
    </message>
    <message>
      <source>the therapy ends before it starts</source>
      <translation>la terapia termina prima di iniziare</translation>
    </message>
    <message>
      <source>the two passwords differ</source>
      <translation>le due password non coincidono</translation>
    </message>
    <message>
      <source>this entry was already corrected; amend the newest</source>
      <translation>questa registrazione è già stata corretta: modifica la più recente</translation>
    </message>
    <message>
      <source>to be matched</source>
      <translation>da abbinare</translation>
    </message>
    <message>
      <source>to review</source>
      <translation>da valutare</translation>
    </message>
    <message>
      <source>truncated</source>
      <translation>file troncato</translation>
    </message>
    <message>
      <source>uncle</source>
      <translation>zio</translation>
    </message>
    <message>
      <source>unknown backup format</source>
      <translation>formato di backup sconosciuto</translation>
    </message>
    <message>
      <source>unknown code system {system}</source>
      <translation>sistema di codifica sconosciuto {system}</translation>
    </message>
    <message>
      <source>unreadable header</source>
      <translation>intestazione illeggibile</translation>
    </message>
    <message>
      <source>user name: letters, digits, dots and dashes only</source>
      <translation>nome utente: solo lettere, cifre, punti e trattini</translation>
    </message>
    <message>
      <source>verify: OK</source>
      <translation>verifica: OK</translation>
    </message>
    <message>
      <source>very abnormal</source>
      <translation>molto anomalo</translation>
    </message>
    <message>
      <source>very high</source>
      <translation>molto alto</translation>
    </message>
    <message>
      <source>very low</source>
      <translation>molto basso</translation>
    </message>
    <message>
      <source>waiting</source>
      <translation>in attesa</translation>
    </message>
    <message>
      <source>waiting for the oximeter</source>
      <translation>in attesa dell'ossimetro</translation>
    </message>
    <message>
      <source>write a verified encrypted backup</source>
      <translation>scrivi un backup cifrato e verificato</translation>
    </message>
    <message>
      <source>{admin} created the clinical account {account} on {when}</source>
      <translation>{admin} ha creato l'account clinico {account} il {when}</translation>
    </message>
    <message>
      <source>{admin} reset the password of {account} on {when}</source>
      <translation>{admin} ha reimpostato la password di {account} il {when}</translation>
    </message>
    <message>
      <source>{count} patients</source>
      <translation>{count} pazienti</translation>
    </message>
    <message>
      <source>{count} result(s) accepted into the chart of {patient}</source>
      <translation>{count} risultati accettati nella cartella di {patient}</translation>
    </message>
    <message>
      <source>{count} result(s) rejected</source>
      <translation>{count} risultati rifiutati</translation>
    </message>
    <message>
      <source>1 result selected for {patient}</source>
      <translation>1 risultato selezionato per {patient}</translation>
    </message>
    <message>
      <source>{count} result(s) selected for {patient}</source>
      <translation>{count} risultati selezionati per {patient}</translation>
    </message>
    <message>
      <source>{count} result(s) shown</source>
      <translation>{count} risultati mostrati</translation>
    </message>
    <message>
      <source>{count} {kind} codes loaded ({unrepaired} descriptions could not be fully repaired)</source>
      <translation>{count} codici {kind} caricati ({unrepaired} descrizioni non del tutto riparabili)</translation>
    </message>
    <message>
      <source>{delivered} messages delivered, {failed} failed, {again} frames sent again</source>
      <translation>{delivered} messaggi consegnati, {failed} non riusciti, {again} frame ritrasmessi</translation>
    </message>
    <message>
      <source>{file}: {messages} message(s), {results} result(s) in the inbox</source>
      <translation>{file}: {messages} messaggi, {results} risultati in arrivo</translation>
    </message>
    <message>
      <source>{option} does not apply to devsim {kind}</source>
      <translation>{option} non si applica a devsim {kind}</translation>
    </message>
    <message>
      <source>{sex}, born {date} ({age} years)</source>
      <translation>{sex}, nato/a il {date} ({age} anni)</translation>
    </message>
    <message>
      <source>{size} bytes</source>
      <translation>{size} byte</translation>
    </message>
  </context>
</TS>
