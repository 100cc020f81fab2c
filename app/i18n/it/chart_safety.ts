<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="it_IT" sourcelanguage="en">
  <context>
    <name>medirete</name>
    <message>
      <source>"rules" must be a list of rules</source>
      <translation>"rules" deve essere un elenco di regole</translation>
    </message>
    <message>
      <source>Current therapy: {name} ({atc})</source>
      <translation>Terapia in corso: {name} ({atc})</translation>
    </message>
    <message>
      <source>NaN and Infinity are not numbers JSON allows</source>
      <translation>NaN e Infinity non sono numeri ammessi in JSON</translation>
    </message>
    <message>
      <source>Recorded allergy: {substance}</source>
      <translation>Allergia registrata: {substance}</translation>
    </message>
    <message>
      <source>Recorded intolerance: {substance}</source>
      <translation>Intolleranza registrata: {substance}</translation>
    </message>
    <message>
      <source>The safety rules file {path} is not valid JSON at line {line}, column {column}: {error}</source>
      <translation>Il file delle regole di sicurezza {path} non è un JSON valido alla riga {line}, colonna {column}: {error}</translation>
    </message>
    <message>
      <source>The safety rules file {path} is not valid at line {line}, rule "{rule}", field "{field}": {detail}</source>
      <translation>Il file delle regole di sicurezza {path} non è valido alla riga {line}, regola "{rule}", campo "{field}": {detail}</translation>
    </message>
    <message>
      <source>The safety rules file {path} is not valid: rule number {number}, field "{field}": {detail}</source>
      <translation>Il file delle regole di sicurezza {path} non è valido: regola numero {number}, campo "{field}": {detail}</translation>
    </message>
    <message>
      <source>The safety rules file {path} is not valid: {detail}</source>
      <translation>Il file delle regole di sicurezza {path} non è valido: {detail}</translation>
    </message>
    <message>
      <source>a JSON object with "format": "medirete-safety-rules" is needed</source>
      <translation>serve un oggetto JSON con "format": "medirete-safety-rules"</translation>
    </message>
    <message>
      <source>a group needs ATC codes or terms for the allergy</source>
      <translation>un gruppo richiede codici ATC o termini per l'allergia</translation>
    </message>
    <message>
      <source>a list of ATC codes is needed, such as ["A10BA02"]</source>
      <translation>serve un elenco di codici ATC, per esempio ["A10BA02"]</translation>
    </message>
    <message>
      <source>a list of allergy kinds is needed: allergy, intolerance</source>
      <translation>serve un elenco di tipi di allergia: allergy, intolerance</translation>
    </message>
    <message>
      <source>a list of texts is needed</source>
      <translation>serve un elenco di testi</translation>
    </message>
    <message>
      <source>a number is needed</source>
      <translation>serve un numero</translation>
    </message>
    <message>
      <source>a placeholder this kind of rule does not know, or a stray brace</source>
      <translation>un segnaposto che questo tipo di regola non conosce, o una parentesi graffa fuori posto</translation>
    </message>
    <message>
      <source>a text is needed</source>
      <translation>serve un testo</translation>
    </message>
    <message>
      <source>a whole number of days is needed</source>
      <translation>serve un numero intero di giorni</translation>
    </message>
    <message>
      <source>an ATC level is needed: a whole number from 1 to 5</source>
      <translation>serve un livello ATC: un numero intero da 1 a 5</translation>
    </message>
    <message>
      <source>an object with the Italian text ("it") and, if wanted, the English ("en")</source>
      <translation>serve un oggetto con il testo italiano ("it") e, se si vuole, quello inglese ("en")</translation>
    </message>
    <message>
      <source>each rule must be a JSON object</source>
      <translation>ogni regola deve essere un oggetto JSON</translation>
    </message>
    <message>
      <source>letters, digits, dots, dashes and underscores only</source>
      <translation>solo lettere, cifre, punti, trattini e trattini bassi</translation>
    </message>
    <message>
      <source>one of: &lt;, &lt;=, &gt;, &gt;=</source>
      <translation>uno tra: &lt;, &lt;=, &gt;, &gt;=</translation>
    </message>
    <message>
      <source>one of: allergy, lab, duplicate</source>
      <translation>uno tra: allergy, lab, duplicate</translation>
    </message>
    <message>
      <source>one of: high, medium, low</source>
      <translation>uno tra: high, medium, low</translation>
    </message>
    <message>
      <source>one of: substance, class, group</source>
      <translation>uno tra: substance, class, group</translation>
    </message>
    <message>
      <source>the file cannot be read</source>
      <translation>il file non si può leggere</translation>
    </message>
    <message>
      <source>the file is not UTF-8 text</source>
      <translation>il file non è testo UTF-8</translation>
    </message>
    <message>
      <source>the same id appears twice in the file</source>
      <translation>lo stesso id compare due volte nel file</translation>
    </message>
    <message>
      <source>this kind of rule has no such field</source>
      <translation>questo tipo di regola non ha questo campo</translation>
    </message>
    <message>
      <source>this program reads version 1 only</source>
      <translation>questo programma legge solo la versione 1</translation>
    </message>
    <message>
      <source>true or false is needed</source>
      <translation>serve true o false</translation>
    </message>
    <message>
      <source>{label} {value} on {date}</source>
      <translation>{label} {value} il {date}</translation>
    </message>
  </context>
</TS>
