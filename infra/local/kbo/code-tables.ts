// code.csv of a generated extract: every juridical situation and the other code categories the rows use.
import { csvLine, text } from './csv-zip.ts';

/** All 40 juridical situations (NL, FR), as code.csv lists them. */
export const juridicalSituations: readonly [string, string, string][] = [
  ['000', 'Normale toestand', 'Situation normale'],
  ['001', 'Wettelijke oprichting', 'Constitution légale'],
  ['002', 'Verlenging', 'Prorogation'],
  ['003', 'Vervanging van ondernemingsnummer', "Remplacement du numéro d'entreprise"],
  ['006', 'Stopzetting: ondernemingsnummer vervangen', "Arrêt : numéro d'entreprise remplacé"],
  ['010', 'Ontbinding van rechtswege', 'Dissolution de plein droit'],
  ['011', 'Stopzetting activiteit in België (buitenlandse entiteit)', 'Cessation d’activité en Belgique (entité étrangère)'],
  ['012', 'Vrijwillige ontbinding – vereffening', 'Dissolution volontaire – liquidation'],
  ['013', 'Gerechtelijke ontbinding of nietigheid', 'Dissolution judiciaire ou nullité'],
  ['014', 'Sluiting van vereffening', 'Clôture de liquidation'],
  ['015', 'Stopzetting entiteit zonder rechtspersoonlijkheid', "Arrêt d'entité sans personnalité juridique"],
  ['016', 'Stopzetting onderneming natuurlijk persoon', "Cessation d'entreprise personne physique"],
  ['017', 'Overdracht onderneming natuurlijk persoon', "Transfert d'entreprise personne physique"],
  ['018', 'Stopzetting identificatie', "Arrêt de l'identification"],
  ['019', 'Stopzetting EDRL of niet-EU-entiteit', 'Arrêt EDRL ou entité hors UE'],
  ['020', 'Alle aandelen in één hand', 'Toutes les parts réunies en une seule main'],
  ['021', 'Fusie door overneming', 'Fusion par absorption'],
  ['022', 'Fusie door oprichting van een nieuwe vennootschap', "Fusion par constitution d'une nouvelle société"],
  ['023', 'Splitsing', 'Scission'],
  ['024', 'Splitsing door overneming', 'Scission par absorption'],
  ['025', 'Splitsing door oprichting van nieuwe vennootschappen', 'Scission par constitution de nouvelles sociétés'],
  ['026', 'Gemengde splitsing', 'Scission mixte'],
  ['030', 'Gerechtelijk akkoord vóór faillissement', 'Concordat judiciaire avant faillite'],
  ['031', 'Gerechtelijk akkoord na faillissement', 'Concordat judiciaire après faillite'],
  ['040', 'Voorlopige opschorting', 'Sursis provisoire'],
  ['041', 'Definitieve opschorting', 'Sursis définitif'],
  ['042', 'Herroeping van de opschorting', 'Révocation du sursis'],
  ['043', 'Einde van de opschorting', 'Fin du sursis'],
  ['048', 'Opening faillissement met verschoonbaarheid', 'Ouverture de faillite avec excusabilité'],
  ['049', 'Opening faillissement met onverschoonbaarheid', 'Ouverture de faillite avec inexcusabilité'],
  ['050', 'Opening faillissement', 'Ouverture de faillite'],
  ['051', 'Sluiting faillissement met verschoonbaarheid', 'Clôture de faillite avec excusabilité'],
  ['052', 'Sluiting faillissement met onverschoonbaarheid', 'Clôture de faillite avec inexcusabilité'],
  ['053', 'Sluiting faillissement', 'Clôture de faillite'],
  ['090', 'Nieuwe statuten', 'Nouveaux statuts'],
  ['091', 'Gerechtelijke reorganisatie (opschorting)', 'Réorganisation judiciaire (sursis)'],
  ['100', 'Identificatie van de entiteit', "Identification de l'entité"],
  ['111', 'Doorhaling na stopzetting in een EER-register', 'Radiation après arrêt dans un registre EEE'],
  ['112', 'Heropening van de vereffening', 'Réouverture de la liquidation'],
  ['999', 'Geannuleerd dossier', 'Dossier annulé'],
];

const otherCodes: readonly [string, string, string, string][] = [
  ['Status', 'AC', 'Actief', 'Actif'],
  ['TypeOfEnterprise', '0', 'Onbekend', 'Inconnu'],
  ['TypeOfEnterprise', '1', 'Natuurlijk persoon', 'Personne physique'],
  ['TypeOfEnterprise', '2', 'Rechtspersoon', 'Personne morale'],
  ['TypeOfAddress', 'REGO', 'Zetel', 'Siège'],
  ['TypeOfAddress', 'BAET', 'Vestigingseenheid', "Unité d'établissement"],
  ['TypeOfAddress', 'ABBR', 'Bijkantoor', 'Succursale'],
  ['TypeOfAddress', 'OBAD', 'Oudste actieve vestigingseenheid', "Unité d'établissement active la plus ancienne"],
  ['TypeOfDenomination', '001', 'Naam', 'Dénomination'],
  ['TypeOfDenomination', '002', 'Afkorting', 'Abréviation'],
  ['TypeOfDenomination', '003', 'Commerciële naam', 'Dénomination commerciale'],
  ['TypeOfDenomination', '004', 'Naam van het bijkantoor', 'Dénomination de la succursale'],
  ['Language', '0', 'Onbekend', 'Inconnu'],
  ['Language', '1', 'Frans', 'Français'],
  ['Language', '2', 'Nederlands', 'Néerlandais'],
  ['Language', '3', 'Duits', 'Allemand'],
  ['Language', '4', 'Engels', 'Anglais'],
  ['JuridicalForm', '014', 'Naamloze vennootschap', 'Société anonyme'],
  ['JuridicalForm', '017', 'Vereniging zonder winstoogmerk', 'Association sans but lucratif'],
  ['JuridicalForm', '030', 'Buitenlandse entiteit', 'Entité étrangère'],
  ['JuridicalForm', '610', 'Besloten vennootschap', 'Société à responsabilité limitée'],
  ['JuridicalForm', '612', 'Commanditaire vennootschap', 'Société en commandite'],
  ['JuridicalForm', '706', 'Coöperatieve vennootschap', 'Société coopérative'],
  ['EntityContact', 'ENT', 'Onderneming', 'Entreprise'],
  ['EntityContact', 'EST', 'Vestigingseenheid', "Unité d'établissement"],
  ['EntityContact', 'BRA', 'Bijkantoor', 'Succursale'],
  ['ContactType', 'EMAIL', 'E-mail', 'E-mail'],
  ['ContactType', 'TEL', 'Telefoonnummer', 'Numéro de téléphone'],
  ['ContactType', 'WEB', 'Webadres', 'Adresse web'],
  ['Classification', 'MAIN', 'Hoofdactiviteit', 'Activité principale'],
  ['Classification', 'SECO', 'Nevenactiviteit', 'Activité secondaire'],
  ['ActivityGroup', '001', 'BTW-activiteiten', 'Activités TVA'],
  ['ActivityGroup', '003', 'Activiteiten', 'Activités'],
];

/** code.csv: every juridical situation in NL and FR (a few in DE, as the real file has some), and the other categories used here. */
export const codeLines = function* () {
  for (const [code, nl, fr] of juridicalSituations) {
    yield csvLine([text('JuridicalSituation'), text(code), text('FR'), text(fr)]);
    yield csvLine([text('JuridicalSituation'), text(code), text('NL'), text(nl)]);
    if (code === '000') yield csvLine([text('JuridicalSituation'), text(code), text('DE'), text('Normale Situation')]);
  }
  for (const [category, code, nl, fr] of otherCodes) {
    yield csvLine([text(category), text(code), text('FR'), text(fr)]);
    yield csvLine([text(category), text(code), text('NL'), text(nl)]);
  }
};
