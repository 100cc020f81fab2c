<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="it_IT" sourcelanguage="en">
  <context>
    <name>medirete</name>
    <message>
      <source>16 characters, or Calculate</source>
      <translation>16 caratteri, oppure Calcola</translation>
    </message>
    <message>
      <source>&lt;b&gt;{name}&lt;/b&gt; &amp;middot; {code} &amp;middot; {count} versions</source>
      <translation>&lt;b&gt;{name}&lt;/b&gt; &amp;middot; {code} &amp;middot; {count} versioni</translation>
    </message>
    <message>
      <source>ATS</source>
      <translation>ATS</translation>
    </message>
    <message>
      <source>After</source>
      <translation>Dopo</translation>
    </message>
    <message>
      <source>Before</source>
      <translation>Prima</translation>
    </message>
    <message>
      <source>By</source>
      <translation>Operatore</translation>
    </message>
    <message>
      <source>Calculate</source>
      <translation>Calcola</translation>
    </message>
    <message>
      <source>Character {position} ({char}) cannot be there: {kind} expected</source>
      <translation>Il carattere {position} ({char}) non può stare lì: atteso {kind}</translation>
    </message>
    <message>
      <source>Check the patients below before going on: a second record for the same person splits the history.</source>
      <translation>Controllare i pazienti qui sotto prima di proseguire: una seconda scheda per la stessa persona divide la sua storia.</translation>
    </message>
    <message>
      <source>Choose the sex</source>
      <translation>Scegliere il sesso</translation>
    </message>
    <message>
      <source>Codice fiscale and health card</source>
      <translation>Codice fiscale e tessera sanitaria</translation>
    </message>
    <message>
      <source>Codice fiscale {code} already registered</source>
      <translation>Codice fiscale {code} già registrato</translation>
    </message>
    <message>
      <source>Compute the codice fiscale from name, sex, birth date and birthplace</source>
      <translation>Calcola il codice fiscale da nome, sesso, data e luogo di nascita</translation>
    </message>
    <message>
      <source>Comune or foreign state</source>
      <translation>Comune o stato estero</translation>
    </message>
    <message>
      <source>Comuni that no longer exist, for people born there</source>
      <translation>Comuni che non esistono più, per chi vi è nato</translation>
    </message>
    <message>
      <source>Consent kind must be one of {kinds}</source>
      <translation>Il tipo di consenso deve essere uno tra: {kinds}</translation>
    </message>
    <message>
      <source>Consent to the dossier sanitario: the record shared by the center's clinicians</source>
      <translation>Consenso al dossier sanitario: la cartella condivisa dai medici e dagli infermieri del centro</translation>
    </message>
    <message>
      <source>Contacts</source>
      <translation>Recapiti</translation>
    </message>
    <message>
      <source>Correct codice fiscale</source>
      <translation>Codice fiscale corretto</translation>
    </message>
    <message>
      <source>Correct codice fiscale (omocodia recognised: {code})</source>
      <translation>Codice fiscale corretto (omocodia riconosciuta: {code})</translation>
    </message>
    <message>
      <source>Correct the codice fiscale: {problem}</source>
      <translation>Correggere il codice fiscale: {problem}</translation>
    </message>
    <message>
      <source>Date and time</source>
      <translation>Data e ora</translation>
    </message>
    <message>
      <source>Demographics - {name}</source>
      <translation>Anagrafica - {name}</translation>
    </message>
    <message>
      <source>Discard changes</source>
      <translation>Abbandona le modifiche</translation>
    </message>
    <message>
      <source>Discard changes?</source>
      <translation>Abbandonare le modifiche?</translation>
    </message>
    <message>
      <source>Domicile: address</source>
      <translation>Domicilio: indirizzo</translation>
    </message>
    <message>
      <source>Domicile: city</source>
      <translation>Domicilio: comune</translation>
    </message>
    <message>
      <source>Domicile: postcode</source>
      <translation>Domicilio: CAP</translation>
    </message>
    <message>
      <source>Empty: computed from the other fields when saved</source>
      <translation>Vuoto: sarà calcolato dagli altri dati al salvataggio</translation>
    </message>
    <message>
      <source>Exemptions (esenzioni) are recorded by the doctor in the clinical record.</source>
      <translation>Le esenzioni sono registrate dal medico nella cartella clinica.</translation>
    </message>
    <message>
      <source>Female</source>
      <translation>Femmina</translation>
    </message>
    <message>
      <source>Field</source>
      <translation>Campo</translation>
    </message>
    <message>
      <source>Fields not editable here: {fields}</source>
      <translation>Campi non modificabili qui: {fields}</translation>
    </message>
    <message>
      <source>Fields that cannot be changed: {fields}</source>
      <translation>Campi che non si possono modificare: {fields}</translation>
    </message>
    <message>
      <source>GP of choice</source>
      <translation>Medico di scelta</translation>
    </message>
    <message>
      <source>GP of choice, ATS and consents</source>
      <translation>Medico di scelta, ATS e consensi</translation>
    </message>
    <message>
      <source>Give surname, name, sex, birth date and birthplace first</source>
      <translation>Inserire prima cognome, nome, sesso, data e luogo di nascita</translation>
    </message>
    <message>
      <source>Go back</source>
      <translation>Torna indietro</translation>
    </message>
    <message>
      <source>History of changes...</source>
      <translation>Storico modifiche...</translation>
    </message>
    <message>
      <source>History of the demographics</source>
      <translation>Storico dell'anagrafica</translation>
    </message>
    <message>
      <source>Identity</source>
      <translation>Identità</translation>
    </message>
    <message>
      <source>Impossible birth date</source>
      <translation>Data di nascita impossibile</translation>
    </message>
    <message>
      <source>Incomplete: {count} of 16 characters</source>
      <translation>Incompleto: {count} caratteri su 16</translation>
    </message>
    <message>
      <source>Invalid codice fiscale {code}: {problem}</source>
      <translation>Codice fiscale {code} non valido: {problem}</translation>
    </message>
    <message>
      <source>Keep editing</source>
      <translation>Continua a modificare</translation>
    </message>
    <message>
      <source>Male</source>
      <translation>Maschio</translation>
    </message>
    <message>
      <source>New patient</source>
      <translation>Nuovo paziente</translation>
    </message>
    <message>
      <source>No</source>
      <translation>No</translation>
    </message>
    <message>
      <source>No codice fiscale</source>
      <translation>Codice fiscale mancante</translation>
    </message>
    <message>
      <source>Not a phone number: {number}</source>
      <translation>Numero di telefono non valido: {number}</translation>
    </message>
    <message>
      <source>Not a valid email address</source>
      <translation>Indirizzo email non valido</translation>
    </message>
    <message>
      <source>Not an email address: {email}</source>
      <translation>Indirizzo email non valido: {email}</translation>
    </message>
    <message>
      <source>Not recorded</source>
      <translation>Non espresso</translation>
    </message>
    <message>
      <source>Oscuramento</source>
      <translation>Oscuramento</translation>
    </message>
    <message>
      <source>Possible duplicate</source>
      <translation>Possibile duplicato</translation>
    </message>
    <message>
      <source>Province (EE: abroad), filled in from the place</source>
      <translation>Provincia (EE: estero), ricavata dal luogo</translation>
    </message>
    <message>
      <source>Province of birth</source>
      <translation>Provincia di nascita</translation>
    </message>
    <message>
      <source>Register anyway</source>
      <translation>Registra comunque</translation>
    </message>
    <message>
      <source>Registration</source>
      <translation>Registrazione</translation>
    </message>
    <message>
      <source>Residence</source>
      <translation>Residenza</translation>
    </message>
    <message>
      <source>Residence: address</source>
      <translation>Residenza: indirizzo</translation>
    </message>
    <message>
      <source>Residence: city</source>
      <translation>Residenza: comune</translation>
    </message>
    <message>
      <source>Residence: postcode</source>
      <translation>Residenza: CAP</translation>
    </message>
    <message>
      <source>Same as residence</source>
      <translation>Uguale alla residenza</translation>
    </message>
    <message>
      <source>Save (Ctrl+S)</source>
      <translation>Salva (Ctrl+S)</translation>
    </message>
    <message>
      <source>Save anyway</source>
      <translation>Salva comunque</translation>
    </message>
    <message>
      <source>Several comuni are called {place}: give the province</source>
      <translation>Più comuni si chiamano {place}: indicare la provincia</translation>
    </message>
    <message>
      <source>Sex must be M or F</source>
      <translation>Il sesso deve essere M o F</translation>
    </message>
    <message>
      <source>Shared dossier</source>
      <translation>Dossier sanitario</translation>
    </message>
    <message>
      <source>Suppressed comuni too</source>
      <translation>Anche comuni soppressi</translation>
    </message>
    <message>
      <source>Surname and given name are required</source>
      <translation>Cognome e nome sono obbligatori</translation>
    </message>
    <message>
      <source>Tessera sanitaria</source>
      <translation>Tessera sanitaria</translation>
    </message>
    <message>
      <source>The ATS code has 6 digits (e.g. 030321)</source>
      <translation>Il codice ATS ha 6 cifre (es. 030321)</translation>
    </message>
    <message>
      <source>The GP of choice must be an active GP of the center</source>
      <translation>Il medico di scelta deve essere un medico attivo del centro</translation>
    </message>
    <message>
      <source>The birth date inside the code is impossible</source>
      <translation>La data di nascita nel codice è impossibile</translation>
    </message>
    <message>
      <source>The birth date is required</source>
      <translation>La data di nascita è obbligatoria</translation>
    </message>
    <message>
      <source>The birthplace is required</source>
      <translation>Il luogo di nascita è obbligatorio</translation>
    </message>
    <message>
      <source>The changes to this patient have not been saved.</source>
      <translation>Le modifiche a questo paziente non sono state salvate.</translation>
    </message>
    <message>
      <source>The code has the birth date {date}</source>
      <translation>Il codice indica la data di nascita {date}</translation>
    </message>
    <message>
      <source>The code has the birthplace {place} ({code})</source>
      <translation>Il codice indica come luogo di nascita {place} ({code})</translation>
    </message>
    <message>
      <source>The code is for a man, not a woman</source>
      <translation>Il codice è di un uomo, non di una donna</translation>
    </message>
    <message>
      <source>The code is for a woman, not a man</source>
      <translation>Il codice è di una donna, non di un uomo</translation>
    </message>
    <message>
      <source>The given name gives {expected}, the code has {found}</source>
      <translation>Dal nome risulta {expected}, il codice ha {found}</translation>
    </message>
    <message>
      <source>The patient asks that items he or she chooses be hidden from the colleagues</source>
      <translation>Il paziente chiede che i dati da lui indicati siano oscurati ai colleghi</translation>
    </message>
    <message>
      <source>The postcode (CAP) has 5 digits</source>
      <translation>Il CAP ha 5 cifre</translation>
    </message>
    <message>
      <source>The surname gives {expected}, the code has {found}</source>
      <translation>Dal cognome risulta {expected}, il codice ha {found}</translation>
    </message>
    <message>
      <source>The tessera sanitaria number has 20 digits</source>
      <translation>Il numero della tessera sanitaria ha 20 cifre</translation>
    </message>
    <message>
      <source>This person may already be registered.</source>
      <translation>Questa persona potrebbe essere già registrata.</translation>
    </message>
    <message>
      <source>To compute the codice fiscale give surname, given name and sex</source>
      <translation>Per calcolare il codice fiscale servono cognome, nome e sesso</translation>
    </message>
    <message>
      <source>Too long: at most {length} characters</source>
      <translation>Troppo lungo: al massimo {length} caratteri</translation>
    </message>
    <message>
      <source>Too long: {count} characters instead of 16</source>
      <translation>Troppo lungo: {count} caratteri invece di 16</translation>
    </message>
    <message>
      <source>Unknown ASL/ATS code</source>
      <translation>Codice ASL/ATS sconosciuto</translation>
    </message>
    <message>
      <source>Unknown birthplace code {code}</source>
      <translation>Codice del luogo di nascita sconosciuto: {code}</translation>
    </message>
    <message>
      <source>Unknown birthplace: {place}</source>
      <translation>Luogo di nascita sconosciuto: {place}</translation>
    </message>
    <message>
      <source>Version {n}: {count} changed</source>
      <translation>Versione {n}: {count} campi modificati</translation>
    </message>
    <message>
      <source>Wrong check character: {found} found, {expected} expected</source>
      <translation>Carattere di controllo errato: {found} trovato, {expected} atteso</translation>
    </message>
    <message>
      <source>Yes</source>
      <translation>Sì</translation>
    </message>
    <message>
      <source>Your role can read the demographics, not change them.</source>
      <translation>Il tuo ruolo può leggere l'anagrafica, non modificarla.</translation>
    </message>
    <message>
      <source>a digit</source>
      <translation>una cifra</translation>
    </message>
    <message>
      <source>a letter</source>
      <translation>una lettera</translation>
    </message>
    <message>
      <source>a month letter (ABCDEHLMPRST)</source>
      <translation>la lettera del mese (ABCDEHLMPRST)</translation>
    </message>
    <message>
      <source>same codice fiscale</source>
      <translation>stesso codice fiscale</translation>
    </message>
    <message>
      <source>same name, birth date with day and month swapped</source>
      <translation>stesso nome, data di nascita con giorno e mese scambiati</translation>
    </message>
    <message>
      <source>same surname, name and birth date</source>
      <translation>stesso cognome, nome e data di nascita</translation>
    </message>
    <message>
      <source>similar name, same birth date</source>
      <translation>nome simile, stessa data di nascita</translation>
    </message>
    <message>
      <source>{code} is not an ASL/ATS code of the Ministry's list</source>
      <translation>{code} non è un codice ASL/ATS dell'elenco del Ministero</translation>
    </message>
    <message>
      <source>{name} (no longer active)</source>
      <translation>{name} (non più attivo)</translation>
    </message>
    <message>
      <source>{name}, {born} in {place}, {code}: {reason}</source>
      <translation>{name}, {born} a {place}, {code}: {reason}</translation>
    </message>
    <message>
      <source>{n} mo.</source>
      <translation>{n} mesi</translation>
    </message>
    <message>
      <source>— none —</source>
      <translation>— nessuno —</translation>
    </message>
  </context>
</TS>
