<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="it_IT" sourcelanguage="en">
  <context>
    <name>medirete</name>
    <message>
      <source>The copy of {peer}'s record was not used: {reason}</source>
      <translation>La copia della cartella di {peer} non è stata usata: {reason}</translation>
    </message>
    <message>
      <source>a new workstation pulls the log entry by entry instead of starting from a copy of a peer's record</source>
      <translation>una nuova postazione riceve il registro voce per voce invece di partire da una copia della cartella di un'altra postazione</translation>
    </message>
    <message>
      <source>A sync message of {size} bytes is over the limit of {limit} bytes</source>
      <translation>Un messaggio di sincronizzazione di {size} byte supera il limite di {limit} byte</translation>
    </message>
    <message>
      <source>A workstation called {name} is already paired</source>
      <translation>Una postazione di nome {name} è già associata</translation>
    </message>
    <message>
      <source>AUDIT TRAIL CUT SHORT: {what}</source>
      <translation>REGISTRO DEGLI ACCESSI TRONCATO: {what}</translation>
    </message>
    <message>
      <source>Audit trail of other workstations</source>
      <translation>Registro degli accessi delle altre postazioni</translation>
    </message>
    <message>
      <source>CA fingerprint: {fp}</source>
      <translation>Impronta della CA: {fp}</translation>
    </message>
    <message>
      <source>Center: {name}</source>
      <translation>Centro: {name}</translation>
    </message>
    <message>
      <source>Code list imports</source>
      <translation>Importazioni di liste di codici</translation>
    </message>
    <message>
      <source>Compare the fingerprint with the one on the inviting workstation's screen.</source>
      <translation>Confronta l'impronta con quella sullo schermo della postazione che invita.</translation>
    </message>
    <message>
      <source>FORK: {stream} origin {origin} stopped</source>
      <translation>BIFORCAZIONE: {stream} origine {origin} fermata</translation>
    </message>
    <message>
      <source>Invitation for workstation {name} ({role}) written to {path}</source>
      <translation>Invito per la postazione {name} ({role}) scritto in {path}</translation>
    </message>
    <message>
      <source>Not joined.</source>
      <translation>Postazione non associata.</translation>
    </message>
    <message>
      <source>One-time code</source>
      <translation>Codice monouso</translation>
    </message>
    <message>
      <source>One-time code (type it on the new workstation):</source>
      <translation>Codice monouso (digitalo sulla nuova postazione):</translation>
    </message>
    <message>
      <source>Same fingerprint? (y/N)</source>
      <translation>Stessa impronta? (s/N)</translation>
    </message>
    <message>
      <source>Sync conflicts</source>
      <translation>Conflitti di sincronizzazione</translation>
    </message>
    <message>
      <source>Sync conflicts (clinical)</source>
      <translation>Conflitti di sincronizzazione (clinici)</translation>
    </message>
    <message>
      <source>Sync journal</source>
      <translation>Registro della sincronizzazione</translation>
    </message>
    <message>
      <source>Sync: kept, not applied yet</source>
      <translation>Sincronizzazione: conservati, non ancora applicati</translation>
    </message>
    <message>
      <source>The center's certificate authority files are damaged or do not belong together: restore them from a backup</source>
      <translation>I file dell'autorità di certificazione del centro sono danneggiati o non corrispondono tra loro: ripristinali da un backup</translation>
    </message>
    <message>
      <source>The center's certificate authority is kept on another workstation: make invitations and revocations there</source>
      <translation>L'autorità di certificazione del centro è custodita su un'altra postazione: crea lì inviti e revoche</translation>
    </message>
    <message>
      <source>The certificate of the computer at {address} is not a Medirete workstation certificate</source>
      <translation>Il certificato del computer all'indirizzo {address} non è un certificato di postazione Medirete</translation>
    </message>
    <message>
      <source>The certificate of the computer at {address} is not valid at this workstation's date and time ({detail}): check the clocks of both computers</source>
      <translation>Il certificato del computer all'indirizzo {address} non è valido alla data e ora di questa postazione ({detail}): controlla l'orologio di entrambi i computer</translation>
    </message>
    <message>
      <source>The computer at {address} broke off the secure handshake ({detail}): it may belong to another center</source>
      <translation>Il computer all'indirizzo {address} ha interrotto la connessione sicura ({detail}): potrebbe appartenere a un altro centro</translation>
    </message>
    <message>
      <source>The computer at {address} does not hold a certificate of this center ({detail})</source>
      <translation>Il computer all'indirizzo {address} non ha un certificato di questo centro ({detail})</translation>
    </message>
    <message>
      <source>The connection to workstation {peer} was lost ({detail})</source>
      <translation>La connessione con la postazione {peer} si è interrotta ({detail})</translation>
    </message>
    <message>
      <source>The connection to {address} was lost ({detail})</source>
      <translation>La connessione con {address} si è interrotta ({detail})</translation>
    </message>
    <message>
      <source>The connection was closed in the middle of a sync message</source>
      <translation>La connessione si è chiusa a metà di un messaggio di sincronizzazione</translation>
    </message>
    <message>
      <source>The connection was refused: {reason}</source>
      <translation>La connessione è stata rifiutata: {reason}</translation>
    </message>
    <message>
      <source>The invitation file is damaged or is not a Medirete invitation</source>
      <translation>Il file di invito è danneggiato o non è un invito Medirete</translation>
    </message>
    <message>
      <source>The other workstation closed the connection</source>
      <translation>L'altra postazione ha chiuso la connessione</translation>
    </message>
    <message>
      <source>The other workstation sent a sync message this one cannot read ({detail})</source>
      <translation>L'altra postazione ha inviato un messaggio di sincronizzazione che questa non sa leggere ({detail})</translation>
    </message>
    <message>
      <source>The secure connection with {address} failed ({detail})</source>
      <translation>La connessione sicura con {address} non è riuscita ({detail})</translation>
    </message>
    <message>
      <source>Workstation {peer} did not answer for {seconds} seconds</source>
      <translation>La postazione {peer} non ha risposto per {seconds} secondi</translation>
    </message>
    <message>
      <source>The workstation at {address} cannot be reached ({detail})</source>
      <translation>La postazione all'indirizzo {address} non è raggiungibile ({detail})</translation>
    </message>
    <message>
      <source>The workstation at {address} did not accept this workstation's certificate ({detail})</source>
      <translation>La postazione all'indirizzo {address} non ha accettato il certificato di questa postazione ({detail})</translation>
    </message>
    <message>
      <source>The workstation at {address} did not answer within {seconds} seconds</source>
      <translation>La postazione all'indirizzo {address} non ha risposto entro {seconds} secondi</translation>
    </message>
    <message>
      <source>The workstation {name} is already revoked</source>
      <translation>La postazione {name} è già revocata</translation>
    </message>
    <message>
      <source>This certificate is not a Medirete workstation certificate ({detail})</source>
      <translation>Questo certificato non è un certificato di postazione Medirete ({detail})</translation>
    </message>
    <message>
      <source>This workstation is not paired for sync yet: an admin makes an invitation (sync invite) on a paired workstation, then it joins (sync join)</source>
      <translation>Questa postazione non è ancora associata per la sincronizzazione: un amministratore crea un invito (sync invite) su una postazione associata, poi questa entra (sync join)</translation>
    </message>
    <message>
      <source>This workstation is {name}; the center's certificate authority was created here</source>
      <translation>Questa postazione è {name}; l'autorità di certificazione del centro è stata creata qui</translation>
    </message>
    <message>
      <source>Workstation {name} joined {center} in {path}</source>
      <translation>La postazione {name} è entrata in {center} in {path}</translation>
    </message>
    <message>
      <source>Workstation {name} revoked: every peer refuses it once this change reaches it</source>
      <translation>Postazione {name} revocata: ogni postazione la rifiuta appena riceve questa modifica</translation>
    </message>
    <message>
      <source>Workstation {peer} belongs to another center ({theirs}; this one is {ours})</source>
      <translation>La postazione {peer} appartiene a un altro centro ({theirs}; questo è {ours})</translation>
    </message>
    <message>
      <source>Workstation {peer} refused this workstation: it belongs to another center</source>
      <translation>La postazione {peer} ha rifiutato questa postazione: appartiene a un altro centro</translation>
    </message>
    <message>
      <source>Workstation {peer} refused this workstation: {reason}</source>
      <translation>La postazione {peer} ha rifiutato questa postazione: {reason}</translation>
    </message>
    <message>
      <source>Workstation {peer} sent a hello that does not match its certificate</source>
      <translation>La postazione {peer} si è presentata con dati diversi da quelli del suo certificato</translation>
    </message>
    <message>
      <source>Workstation {peer} speaks sync protocol {theirs}; this one speaks {ours}: update Medirete on both</source>
      <translation>La postazione {peer} usa il protocollo di sincronizzazione {theirs}; questa usa il {ours}: aggiorna Medirete su entrambe</translation>
    </message>
    <message>
      <source>Workstation {peer} was refused: {reason}</source>
      <translation>La postazione {peer} è stata rifiutata: {reason}</translation>
    </message>
    <message>
      <source>Workstations</source>
      <translation>Postazioni</translation>
    </message>
    <message>
      <source>Wrong invitation code: check it on the other screen and type it again</source>
      <translation>Codice di invito errato: controllalo sull'altro schermo e digitalo di nuovo</translation>
    </message>
    <message>
      <source>Wrong password for the center's certificate authority</source>
      <translation>Password errata per l'autorità di certificazione del centro</translation>
    </message>
    <message>
      <source>a workstation cannot revoke itself</source>
      <translation>una postazione non può revocare se stessa</translation>
    </message>
    <message>
      <source>a workstation needs a name of 1 to 80 characters</source>
      <translation>una postazione ha bisogno di un nome da 1 a 80 caratteri</translation>
    </message>
    <message>
      <source>clock ahead: origin {origin} by {s} s</source>
      <translation>orologio avanti: origine {origin} di {s} s</translation>
    </message>
    <message>
      <source>conflict: {kind} {entity} {id} patient {patient} ({when}): {detail}</source>
      <translation>conflitto: {kind} {entity} {id} paziente {patient} ({when}): {detail}</translation>
    </message>
    <message>
      <source>conflicts to reconcile: {n}</source>
      <translation>conflitti da riconciliare: {n}</translation>
    </message>
    <message>
      <source>entries kept, not applied yet: {n}</source>
      <translation>voci conservate, non ancora applicate: {n}</translation>
    </message>
    <message>
      <source>invite a new workstation (prints the one-time code last)</source>
      <translation>invita una nuova postazione (stampa per ultimo il codice monouso)</translation>
    </message>
    <message>
      <source>log {stream}: {entries} entries from {origins} origins</source>
      <translation>registro {stream}: {entries} voci da {origins} origini</translation>
    </message>
    <message>
      <source>make a new workstation replica from an invitation</source>
      <translation>crea una nuova postazione da un invito</translation>
    </message>
    <message>
      <source>not HOST:PORT: {value}</source>
      <translation>non è HOST:PORTA: {value}</translation>
    </message>
    <message>
      <source>nothing more on standard input ({what})</source>
      <translation>nient'altro sullo standard input ({what})</translation>
    </message>
    <message>
      <source>offline</source>
      <translation>non in linea</translation>
    </message>
    <message>
      <source>online</source>
      <translation>in linea</translation>
    </message>
    <message>
      <source>origin: {origin}</source>
      <translation>origine: {origin}</translation>
    </message>
    <message>
      <source>pair workstations and share the record</source>
      <translation>associa le postazioni e condividi la cartella</translation>
    </message>
    <message>
      <source>peer {name}: {state}, last seen {seen}, last sync {sync}, pending out {out}, pending in {into} (at last contact)</source>
      <translation>postazione {name}: {state}, vista l'ultima volta {seen}, ultima sincronizzazione {sync}, in uscita {out}, in entrata {into} (all'ultimo contatto)</translation>
    </message>
    <message>
      <source>revoke a workstation: every peer refuses it</source>
      <translation>revoca una postazione: ogni postazione la rifiuta</translation>
    </message>
    <message>
      <source>revoked: {name} ({when})</source>
      <translation>revocata: {name} ({when})</translation>
    </message>
    <message>
      <source>share the record with the center's workstations</source>
      <translation>condividi la cartella con le postazioni del centro</translation>
    </message>
    <message>
      <source>the invitation's content cannot be read</source>
      <translation>il contenuto dell'invito non è leggibile</translation>
    </message>
    <message>
      <source>the new workstation's name</source>
      <translation>il nome della nuova postazione</translation>
    </message>
    <message>
      <source>this workstation's name (default: host name)</source>
      <translation>il nome di questa postazione (predefinito: nome del computer)</translation>
    </message>
    <message>
      <source>this workstation's name, the first time (default: host name)</source>
      <translation>il nome di questa postazione, la prima volta (predefinito: nome del computer)</translation>
    </message>
    <message>
      <source>how many journal lines, newest first (0: all; default 10)</source>
      <translation>quante righe del registro, dalla più recente (0: tutte; predefinito 10)</translation>
    </message>
    <message>
      <source>only journal lines of this event (snapshot, batch, fork, session.end...); may be repeated</source>
      <translation>solo le righe del registro di questo evento (snapshot, batch, fork, session.end...); si può ripetere</translation>
    </message>
    <message>
      <source>not a number of lines: {value}</source>
      <translation>non è un numero di righe: {value}</translation>
    </message>
    <message>
      <source>what sync holds, knows and did</source>
      <translation>cosa contiene, conosce e ha fatto la sincronizzazione</translation>
    </message>
    <message>
      <source>where the new workstation finds this one</source>
      <translation>dove la nuova postazione trova questa</translation>
    </message>
    <message>
      <source>workstation: not paired</source>
      <translation>postazione: non associata</translation>
    </message>
    <message>
      <source>workstation: {name} ({role})</source>
      <translation>postazione: {name} ({role})</translation>
    </message>
    <message>
      <source>The center's certificate authority is not open to {user} yet (an admin added or whose password was reset since): it opens for another admin once, and then for every admin</source>
      <translation>L'autorità di certificazione del centro non è ancora aperta a {user} (amministratore aggiunto, o con la password reimpostata, da allora): va aperta una volta da un altro amministratore, poi si apre per tutti</translation>
    </message>
  </context>
</TS>
