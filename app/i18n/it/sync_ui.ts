<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="it_IT" sourcelanguage="en">
  <context>
    <name>medirete</name>
    <message>
      <source>{entries} entries in {total} s (received in {received} s, checked in {checked} s)</source>
      <translation>{entries} voci in {total} s (ricevute in {received} s, controllate in {checked} s)</translation>
    </message>
    <message>
      <source>Record copied from a peer</source>
      <translation>Cartella copiata da un'altra postazione</translation>
    </message>
    <message>
      <source>1 conflict to reconcile</source>
      <translation>1 conflitto da risolvere</translation>
    </message>
    <message>
      <source>a clock far ahead</source>
      <translation>un orologio molto avanti</translation>
    </message>
    <message>
      <source>A new workstation of the center gets its certificate from this invitation. The password is the one of the admin who keeps the center's certificate authority.</source>
      <translation>Una nuova postazione del centro riceve il suo certificato da questo invito. La password è quella dell'amministratore che custodisce l'autorità di certificazione del centro.</translation>
    </message>
    <message>
      <source>A value that must be unique is taken</source>
      <translation>Un valore che deve essere unico è già usato</translation>
    </message>
    <message>
      <source>Admin password</source>
      <translation>Password dell'amministratore</translation>
    </message>
    <message>
      <source>an origin stopped</source>
      <translation>un'origine fermata</translation>
    </message>
    <message>
      <source>Audit event refused</source>
      <translation>Evento del registro accessi rifiutato</translation>
    </message>
    <message>
      <source>Audit events received</source>
      <translation>Eventi del registro accessi ricevuti</translation>
    </message>
    <message>
      <source>audit trail</source>
      <translation>registro degli accessi</translation>
    </message>
    <message>
      <source>audit trail cut short</source>
      <translation>registro degli accessi troncato</translation>
    </message>
    <message>
      <source>AUDIT TRAIL CUT SHORT</source>
      <translation>REGISTRO DEGLI ACCESSI TRONCATO</translation>
    </message>
    <message>
      <source>Audit trail cut short on {n} chains: see the journal</source>
      <translation>Registro degli accessi troncato su {n} catene: vedere il diario</translation>
    </message>
    <message>
      <source>automatic (postazione-N)</source>
      <translation>automatico (postazione-N)</translation>
    </message>
    <message>
      <source>Both appointments kept for {when}: move or cancel one</source>
      <translation>Entrambi gli appuntamenti conservati per {when}: spostarne o annullarne uno</translation>
    </message>
    <message>
      <source>Center:</source>
      <translation>Centro:</translation>
    </message>
    <message>
      <source>Changed on two workstations</source>
      <translation>Modificato su due postazioni</translation>
    </message>
    <message>
      <source>Changes made here are kept and shared as soon as another workstation of the center is reachable.</source>
      <translation>Le modifiche fatte qui sono conservate e condivise appena un'altra postazione del centro è raggiungibile.</translation>
    </message>
    <message>
      <source>Changes received</source>
      <translation>Modifiche ricevute</translation>
    </message>
    <message>
      <source>Choose the folder and type your user name and password.</source>
      <translation>Scegliere la cartella e digitare nome utente e password.</translation>
    </message>
    <message>
      <source>Choose the invitation file and type the code.</source>
      <translation>Scegliere il file dell'invito e digitare il codice.</translation>
    </message>
    <message>
      <source>Choose where to save the invitation file.</source>
      <translation>Scegliere dove salvare il file dell'invito.</translation>
    </message>
    <message>
      <source>Choose...</source>
      <translation>Scegli...</translation>
    </message>
    <message>
      <source>Click or press {keys} for the sync panel.</source>
      <translation>Clic o {keys} per il pannello della sincronizzazione.</translation>
    </message>
    <message>
      <source>clinical chart</source>
      <translation>cartella clinica</translation>
    </message>
    <message>
      <source>Clock ahead</source>
      <translation>Orologio avanti</translation>
    </message>
    <message>
      <source>Code list imported</source>
      <translation>Lista di codici importata</translation>
    </message>
    <message>
      <source>Code list refused</source>
      <translation>Lista di codici rifiutata</translation>
    </message>
    <message>
      <source>Codice fiscale {code} on two patient records ({names}): merge them</source>
      <translation>Codice fiscale {code} su due schede paziente ({names}): unirle</translation>
    </message>
    <message>
      <source>Compare this fingerprint with the one on the screen of the workstation that made the invitation: join only if they are the same.</source>
      <translation>Confrontare questa impronta con quella sullo schermo della postazione che ha creato l'invito: unirsi solo se sono uguali.</translation>
    </message>
    <message>
      <source>Conflict: {what}</source>
      <translation>Conflitto: {what}</translation>
    </message>
    <message>
      <source>Conflicts to reconcile ({n})</source>
      <translation>Conflitti da risolvere ({n})</translation>
    </message>
    <message>
      <source>Conflicts to reconcile ({n}, the newest {shown} listed)</source>
      <translation>Conflitti da risolvere ({n}, elencati i {shown} più recenti)</translation>
    </message>
    <message>
      <source>Create the invitation</source>
      <translation>Crea l'invito</translation>
    </message>
    <message>
      <source>demographics and agenda</source>
      <translation>anagrafica e agenda</translation>
    </message>
    <message>
      <source>Demographics changed on two workstations</source>
      <translation>Dati anagrafici modificati su due postazioni</translation>
    </message>
    <message>
      <source>Detail</source>
      <translation>Dettaglio</translation>
    </message>
    <message>
      <source>Details for clinicians only</source>
      <translation>Dettagli riservati ai clinici</translation>
    </message>
    <message>
      <source>Detected</source>
      <translation>Rilevato</translation>
    </message>
    <message>
      <source>e.g. 192.168.1.10:47400 (optional)</source>
      <translation>es. 192.168.1.10:47400 (facoltativo)</translation>
    </message>
    <message>
      <source>Event</source>
      <translation>Evento</translation>
    </message>
    <message>
      <source>Fingerprint of the center's certificate authority:</source>
      <translation>Impronta dell'autorità di certificazione del centro:</translation>
    </message>
    <message>
      <source>Folder of this workstation's record</source>
      <translation>Cartella dei dati di questa postazione</translation>
    </message>
    <message>
      <source>front desk</source>
      <translation>segreteria</translation>
    </message>
    <message>
      <source>front desk (no clinical data)</source>
      <translation>segreteria (senza dati clinici)</translation>
    </message>
    <message>
      <source>full</source>
      <translation>completa</translation>
    </message>
    <message>
      <source>full (doctors and nurses)</source>
      <translation>completa (medici e infermieri)</translation>
    </message>
    <message>
      <source>Invitation file</source>
      <translation>File dell'invito</translation>
    </message>
    <message>
      <source>Invitation for {name}, {role}, of {center}, saved in {path}.</source>
      <translation>Invito per {name}, {role}, di {center}, salvato in {path}.</translation>
    </message>
    <message>
      <source>Invite a workstation</source>
      <translation>Invita una postazione</translation>
    </message>
    <message>
      <source>Invite a workstation...</source>
      <translation>Invita una postazione...</translation>
    </message>
    <message>
      <source>Kept apart: {error}</source>
      <translation>Tenuto da parte: {error}</translation>
    </message>
    <message>
      <source>Kind of data</source>
      <translation>Tipo di dati</translation>
    </message>
    <message>
      <source>Kind of workstation</source>
      <translation>Tipo di postazione</translation>
    </message>
    <message>
      <source>Last contact</source>
      <translation>Ultimo contatto</translation>
    </message>
    <message>
      <source>Last sync</source>
      <translation>Ultima sincronizzazione</translation>
    </message>
    <message>
      <source>Looking for the other workstations...</source>
      <translation>Ricerca delle altre postazioni...</translation>
    </message>
    <message>
      <source>never seen</source>
      <translation>mai vista</translation>
    </message>
    <message>
      <source>New workstation's name</source>
      <translation>Nome della nuova postazione</translation>
    </message>
    <message>
      <source>Not an address with a port (HOST:PORT): {value}</source>
      <translation>Non è un indirizzo con porta (HOST:PORTA): {value}</translation>
    </message>
    <message>
      <source>Not paired</source>
      <translation>Non associata</translation>
    </message>
    <message>
      <source>Offline: no other workstation reachable</source>
      <translation>Non in linea: nessuna altra postazione raggiungibile</translation>
    </message>
    <message>
      <source>Older code list ignored</source>
      <translation>Lista di codici più vecchia ignorata</translation>
    </message>
    <message>
      <source>On the new workstation: choose "Join a center by pairing", open the invitation file, type the one-time code, and check that it shows the same fingerprint before joining.</source>
      <translation>Sulla nuova postazione: scegliere «Unisciti a un centro con l'abbinamento», aprire il file dell'invito, digitare il codice monouso e controllare che mostri la stessa impronta prima di unirsi.</translation>
    </message>
    <message>
      <source>One-time code:</source>
      <translation>Codice monouso:</translation>
    </message>
    <message>
      <source>online (received {received}, sent {sent})</source>
      <translation>in linea (ricevute {received}, inviate {sent})</translation>
    </message>
    <message>
      <source>Online: {online} of {known} workstations · Conflicts to reconcile: {conflicts} · Kept, not applied yet: {kept}</source>
      <translation>In linea: {online} di {known} postazioni · Conflitti da risolvere: {conflicts} · In attesa, non ancora applicate: {kept}</translation>
    </message>
    <message>
      <source>Open an invitation</source>
      <translation>Apri un invito</translation>
    </message>
    <message>
      <source>Open the invitation</source>
      <translation>Apri l'invito</translation>
    </message>
    <message>
      <source>Open the sync panel to see what waits.</source>
      <translation>Aprire il pannello della sincronizzazione per vedere cosa è in attesa.</translation>
    </message>
    <message>
      <source>Origin stopped (fork)</source>
      <translation>Origine fermata (biforcazione)</translation>
    </message>
    <message>
      <source>origin {origin}: {seconds} s ahead of this workstation</source>
      <translation>origine {origin}: {seconds} s avanti rispetto a questa postazione</translation>
    </message>
    <message>
      <source>patient {id}</source>
      <translation>paziente {id}</translation>
    </message>
    <message>
      <source>received {received}, sent {sent}, conflicts {conflicts}, kept {kept}</source>
      <translation>ricevute {received}, inviate {sent}, conflitti {conflicts}, in attesa {kept}</translation>
    </message>
    <message>
      <source>Record folder</source>
      <translation>Cartella dei dati</translation>
    </message>
    <message>
      <source>revoked</source>
      <translation>revocata</translation>
    </message>
    <message>
      <source>Same fingerprint: join the center</source>
      <translation>Stessa impronta: unisciti al centro</translation>
    </message>
    <message>
      <source>Save the invitation as</source>
      <translation>Salva l'invito come</translation>
    </message>
    <message>
      <source>Session ended</source>
      <translation>Collegamento terminato</translation>
    </message>
    <message>
      <source>Sync</source>
      <translation>Sincronizzazione</translation>
    </message>
    <message>
      <source>Sync between workstations</source>
      <translation>Sincronizzazione tra le postazioni</translation>
    </message>
    <message>
      <source>Sync journal, newest first</source>
      <translation>Diario della sincronizzazione, dal più recente</translation>
    </message>
    <message>
      <source>Sync not running</source>
      <translation>Sincronizzazione non attiva</translation>
    </message>
    <message>
      <source>Sync status...</source>
      <translation>Stato della sincronizzazione...</translation>
    </message>
    <message>
      <source>Sync stopped on this workstation; changes are kept and sent once it runs again (log out and in, or restart Medirete).</source>
      <translation>La sincronizzazione è ferma su questa postazione; le modifiche sono conservate e inviate appena riparte (uscire e rientrare, o riavviare Medirete).</translation>
    </message>
    <message>
      <source>Sync stopped: {reason}</source>
      <translation>Sincronizzazione ferma: {reason}</translation>
    </message>
    <message>
      <source>Synced: 1 workstation online</source>
      <translation>Sincronizzata: 1 postazione in linea</translation>
    </message>
    <message>
      <source>Synced: {n} workstations online</source>
      <translation>Sincronizzata: {n} postazioni in linea</translation>
    </message>
    <message>
      <source>The center's admin made an invitation for this workstation on another one: open its file and type the one-time code shown there.</source>
      <translation>L'amministratore del centro ha creato un invito per questa postazione su un'altra: aprire il file e digitare il codice monouso mostrato là.</translation>
    </message>
    <message>
      <source>The invitation's content cannot be read</source>
      <translation>Il contenuto dell'invito non è leggibile</translation>
    </message>
    <message>
      <source>The same person registered twice</source>
      <translation>La stessa persona registrata due volte</translation>
    </message>
    <message>
      <source>This workstation is not paired with the center's other workstations: its record is not shared.</source>
      <translation>Questa postazione non è associata alle altre postazioni del centro: la sua cartella non è condivisa.</translation>
    </message>
    <message>
      <source>This workstation is not paired: its record is not shared with other workstations.</source>
      <translation>Questa postazione non è associata: la sua cartella non è condivisa con altre postazioni.</translation>
    </message>
    <message>
      <source>This workstation will be {name}, {role}.</source>
      <translation>Questa postazione sarà {name}, {role}.</translation>
    </message>
    <message>
      <source>To receive</source>
      <translation>Da ricevere</translation>
    </message>
    <message>
      <source>To send</source>
      <translation>Da inviare</translation>
    </message>
    <message>
      <source>Two bookings at the same time</source>
      <translation>Due prenotazioni alla stessa ora</translation>
    </message>
    <message>
      <source>Two corrections of the same entry</source>
      <translation>Due correzioni della stessa voce</translation>
    </message>
    <message>
      <source>Type the admin password.</source>
      <translation>Digitare la password dell'amministratore.</translation>
    </message>
    <message>
      <source>User key refused</source>
      <translation>Chiave di un utente rifiutata</translation>
    </message>
    <message>
      <source>User keys updated</source>
      <translation>Chiavi degli utenti aggiornate</translation>
    </message>
    <message>
      <source>Values kept</source>
      <translation>Valori conservati</translation>
    </message>
    <message>
      <source>What happened</source>
      <translation>Cosa è successo</translation>
    </message>
    <message>
      <source>When</source>
      <translation>Quando</translation>
    </message>
    <message>
      <source>Where it finds this one</source>
      <translation>Dove trova questa postazione</translation>
    </message>
    <message>
      <source>With an invitation made by the center's admin on another workstation.</source>
      <translation>Con un invito creato dall'amministratore del centro su un'altra postazione.</translation>
    </message>
    <message>
      <source>Workstation</source>
      <translation>Postazione</translation>
    </message>
    <message>
      <source>Workstation {name} ({role}) of {center}</source>
      <translation>Postazione {name} ({role}) di {center}</translation>
    </message>
    <message>
      <source>Workstations ({n})</source>
      <translation>Postazioni ({n})</translation>
    </message>
    <message>
      <source>{field}: kept {kept}, other workstation {other}</source>
      <translation>{field}: tenuto {kept}, altra postazione {other}</translation>
    </message>
    <message>
      <source>{n} audit events kept</source>
      <translation>{n} eventi del registro accessi conservati</translation>
    </message>
    <message>
      <source>{n} conflicts to reconcile</source>
      <translation>{n} conflitti da risolvere</translation>
    </message>
    <message>
      <source>{n} corrected versions kept: choose the right one in the chart</source>
      <translation>{n} versioni corrette conservate: scegliere quella giusta nella cartella</translation>
    </message>
    <message>
      <source>{n} kept, not applied yet</source>
      <translation>{n} in attesa, non ancora applicate</translation>
    </message>
    <message>
      <source>{n} origins stopped after a fork: see the journal</source>
      <translation>{n} origini fermate dopo una biforcazione: vedere il diario</translation>
    </message>
    <message>
      <source>{n} workstations with a clock far ahead: check their date and time</source>
      <translation>{n} postazioni con l'orologio molto avanti: controllarne data e ora</translation>
    </message>
    <message>
      <source>{stream}: {applied} applied, {held} already here, {kept} kept, {retried} kept before now applied, {conflicts} conflicts</source>
      <translation>{stream}: {applied} applicate, {held} già presenti, {kept} in attesa, {retried} in attesa ora applicate, {conflicts} conflitti</translation>
    </message>
    <message>
      <source>{what}, entry {id}</source>
      <translation>{what}, voce {id}</translation>
    </message>
    <message>
      <source>Settle…</source>
      <translation>Risolvi…</translation>
    </message>
    <message>
      <source>Choose the right value of each field of a patient's data that two workstations changed at once</source>
      <translation>Scegli il valore giusto di ogni dato anagrafico che due postazioni hanno cambiato nello stesso momento</translation>
    </message>
    <message>
      <source>Settle a conflict</source>
      <translation>Risolvi un conflitto</translation>
    </message>
    <message>
      <source>{patient}: two workstations changed these data at the same time. Choose the right value of each: the choice is saved in the patient's record and settles the conflict on every workstation.</source>
      <translation>{patient}: due postazioni hanno cambiato questi dati nello stesso momento. Scegli il valore giusto di ciascuno: la scelta viene salvata nella scheda del paziente e risolve il conflitto su tutte le postazioni.</translation>
    </message>
    <message>
      <source>kept: {value}</source>
      <translation>tenuto: {value}</translation>
    </message>
    <message>
      <source>from the other workstation: {value}</source>
      <translation>dell'altra postazione: {value}</translation>
    </message>
    <message>
      <source>Save the choice</source>
      <translation>Salva la scelta</translation>
    </message>
    <message>
      <source>Conflict settled</source>
      <translation>Conflitto risolto</translation>
    </message>
    <message>
      <source>{kind}, {what} {id}: settled by a later change</source>
      <translation>{kind}, {what} {id}: risolto da una modifica successiva</translation>
    </message>
  </context>
</TS>
