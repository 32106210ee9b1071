// What every refusal of the recognitions context means to the portal: per conflict (of a repository or of a
// domain decision) its status, stable code and Dutch detail, and the few problems whose detail or errors[] depend
// on the case. Handlers unwrap results with these tables; nothing else in the context writes a problem text.
import { type ConflictTable, invalidTransition, problemFor, versionConflict } from '../../shared/http/conflicts.ts';
import { badRequest, forbidden, unprocessable, type FieldError, type Problem } from '../../shared/http/problem.ts';
import { statusLabels, type Application, type ApplicationStatus, type Problem as RuleProblem } from '../../shared/domain/recognitions.ts';
import { maxMentorWithdrawals, maxRecognitionsPerSanction } from '../../shared/data/sanctions.ts';

export const applicationConflicts = {
  'application-not-found': { status: 404, detail: 'Deze erkenningsaanvraag bestaat niet of u hebt er geen toegang toe.' },
  'version-conflict': versionConflict('Het dossier werd intussen gewijzigd. Lees het opnieuw.'),
  'not-editable': invalidTransition('Alleen een werkversie of een onvolledig dossier kan gewijzigd worden.'),
  'already-open-or-recognised': { status: 409, detail: 'Voor deze vestiging en opleiding loopt al een aanvraag of bestaat al een erkenning.' },
  'document-gone': { status: 409, detail: 'Een document van het dossier werd intussen verwijderd. Lees het dossier opnieuw.' },
  'not-under-review': invalidTransition('Een voorstel kan alleen voor een dossier in behandeling.'),
  'not-decidable': invalidTransition('Alleen over een dossier in behandeling kan beslist worden.'),
  'proposal-required': { status: 422, detail: 'De sectorconsulent moet eerst een voorstel van beslissing doen.' },
  'no-mandate': { status: 422, detail: 'Dit dossier werd door de onderneming zelf ingediend, niet onder een machtiging.' },
  'mandate-status': invalidTransition('De machtiging is al beëindigd (ingetrokken of geweigerd).'),
} as const satisfies ConflictTable<string>;

/** A recognition as its enterprise, its competent partnership or the department acts on it. */
export const recognitionConflicts = {
  'recognition-not-found': { status: 404, detail: 'Deze erkenning bestaat niet of u hebt er geen toegang toe.' },
  'recognition-not-active': invalidTransition('Deze erkenning is niet actief.'),
  'version-conflict': versionConflict('De erkenning werd intussen gewijzigd. Lees ze opnieuw.'),
  'mentor-not-pending': { status: 404, code: 'mentor-not-found', detail: 'Geen mentor met dit id wacht op goedkeuring.' },
  'mentor-unknown': { status: 404, code: 'mentor-not-found', detail: 'Deze mentor hoort niet bij deze erkenning.' },
  'mentor-withdrawn': invalidTransition('Een door het partnerschap ingetrokken mentor kan niet opnieuw geactiveerd worden.'),
} as const satisfies ConflictTable<string>;

/** The enterprise's own recognition: a free place, a renewal. */
export const enterpriseRecognitionConflicts = {
  ...recognitionConflicts,
  'recognition-not-found': { status: 404, detail: 'Deze erkenning bestaat niet of is niet van uw onderneming.' },
} as const satisfies ConflictTable<string>;
export const availabilityConflicts = {
  ...enterpriseRecognitionConflicts,
  'recognition-not-active': invalidTransition('Alleen voor een actieve erkenning kan u een vrije plaats aanduiden.'),
} as const satisfies ConflictTable<string>;
export const renewalConflicts = {
  ...enterpriseRecognitionConflicts,
  'recognition-not-active': invalidTransition('Alleen een actieve erkenning kan hernieuwd worden.'),
  'renewal-too-early': {
    status: 422,
    detail:
      'Een hernieuwing kan pas aangevraagd worden vanaf 180 dagen voor het einde van de erkenning, de dag dat de taak "Beslissen hernieuwing erkenning" verschijnt.',
  },
} as const satisfies ConflictTable<string>;

/** Sanctions of a partnership on the recognitions it decided, and exclusions. */
export const sanctionConflicts = {
  ...recognitionConflicts,
  'recognition-not-found': { status: 404, detail: 'Deze erkenning bestaat niet of valt niet onder uw partnerschap.' },
  'recognition-not-active': invalidTransition('Deze erkenning is niet meer actief.'),
  'mentor-not-active': { status: 404, code: 'mentor-not-found', detail: 'Deze mentor is niet (meer) actief voor deze erkenning.' },
  'recognition-changed': { status: 409, detail: 'De erkenning werd intussen gewijzigd of is niet meer actief.' },
  'establishment-not-found': { status: 404, detail: 'Deze vestiging hoort volgens KBO niet bij deze onderneming.' },
  'version-conflict': versionConflict('De erkenning (of een andere erkenning met dezelfde mentor) werd intussen gewijzigd. Lees ze opnieuw.'),
  'too-many-recognitions': {
    status: 422,
    code: 'sanction-too-large',
    detail: `Deze mentor is bij meer erkenningen aangeduid dan één sanctie tegelijk kan wijzigen: hoogstens ${maxMentorWithdrawals}.`,
  },
} as const satisfies ConflictTable<string>;
/** A revocation writes the recognition at the version read; If-Match is that version, so a change since is a stale version. */
export const revocationConflicts = {
  ...sanctionConflicts,
  'recognition-changed': versionConflict('De erkenning of haar open hernieuwing werd intussen gewijzigd. Lees ze opnieuw.'),
  'too-many-recognitions': {
    status: 422,
    code: 'sanction-too-large',
    detail: 'Deze opheffing raakt meer open dossiers dan één sanctie tegelijk kan afsluiten.',
  },
} as const satisfies ConflictTable<string>;
export const exclusionConflicts = {
  ...sanctionConflicts,
  'recognition-changed': {
    status: 409,
    detail: 'Een van de erkenningen of open aanvragen van de werkplek werd intussen gewijzigd. Er werd niets uitgesloten; probeer opnieuw.',
  },
  'too-many-recognitions': {
    status: 422,
    code: 'sanction-too-large',
    detail: `Deze uitsluiting zou meer erkenningen en open aanvragen tegelijk afsluiten dan één sanctie kan: hoogstens ${maxRecognitionsPerSanction} erkenningen (minder naarmate er open aanvragen zijn). Sluit de vestigingen afzonderlijk uit.`,
  },
} as const satisfies ConflictTable<string>;

export const appealConflicts = {
  'appeal-not-found': { status: 404, detail: 'Dit beroep bestaat niet of u hebt er geen toegang toe.' },
  'version-conflict': versionConflict('Het beroep werd intussen gewijzigd. Lees het opnieuw.'),
  'not-appealable': { status: 422, detail: 'Beroep kan alleen tegen een afwijzing of een sanctie.' },
  'decision-not-found': { status: 404, detail: 'Deze beslissing bestaat niet of betreft uw onderneming niet.' },
  'appeal-too-late': { status: 422, detail: 'Beroep kan alleen binnen 10 dagen na ontvangst van de beslissing.' },
  'appeal-confirmed': invalidTransition('Ontvangst en ontvankelijkheid werden al bevestigd.'),
  'appeal-not-admissible': invalidTransition('Alleen over een ontvankelijk beroep kan beslist worden.'),
  'appeal-already-open': { status: 409, detail: 'Tegen deze beslissing of sanctie loopt al een beroep. Volg dat beroep op.' },
  'effect-changed': {
    status: 409,
    detail: 'Een erkenning of dossier waarop de uitspraak inwerkt, werd intussen gewijzigd. Er werd niets geregistreerd; probeer opnieuw.',
  },
  'workplace-taken': {
    status: 409,
    detail:
      'Voor deze vestiging en opleiding loopt intussen een andere aanvraag of erkenning: de uitspraak kan niet uitgevoerd worden zonder die eerst af te handelen. Er werd niets geregistreerd.',
  },
} as const satisfies ConflictTable<string>;

/** Throws the problem of a refusal, if there is one (a domain rule that returned its conflict). */
export function refuseIf<C extends string>(conflict: C | undefined, table: ConflictTable<C>): void {
  if (conflict) throw problemFor(conflict, table);
}

const refusals = {
  'not-allowed-for-party': 'Deze actie is niet voorzien voor uw rol in dit dossier.',
  'not-your-enterprise': 'U kunt alleen voor uw eigen onderneming een aanvraag indienen.',
  'mandate-required': 'Een trajectbegeleider heeft een geregistreerde machtiging van de onderneming nodig.',
  'not-your-workplaces': 'Als onderneming kiest u alleen uit uw eigen erkende werkplekken: laat enterprise weg of geef uw eigen ondernemingsnummer.',
  'choice-not-for-party':
    'De keuzelijst van werkplekken (programme zonder establishment) is voor ondernemingen en trajectbegeleiders. Zoek een werkplek op vestiging (establishment).',
};
/** A party the file knows, acting beyond its part in it (403). */
export const notAllowed = (code: keyof typeof refusals): Problem => forbidden(code, refusals[code]);

const bodyErrors = (problems: RuleProblem[]): FieldError[] => problems.map((p) => ({ in: 'body', pointer: p.pointer, code: p.code, detail: p.detail }));

/** Masked national numbers sent back that are not the stored ones of those mentors: a 400 like any bad field. */
export const maskedValuesUnknown = (problems: RuleProblem[]) =>
  badRequest('validation-failed', 'De inhoud van de aanvraag voldoet niet aan de regels.', bodyErrors(problems));

export const draftInvalid = (problems: RuleProblem[]) => unprocessable('draft-invalid', 'De aanvraag kan niet aangemaakt worden.', bodyErrors(problems));

export const documentNotYours = (documentId: string) =>
  unprocessable('document-not-yours', 'Een gekoppeld document bestaat niet of is niet van uw organisatie.', [
    { in: 'body', pointer: '/documents', code: 'document-not-yours', detail: `Document ${documentId} is onbekend.` },
  ]);

/** Every blocking problem at once, so the portal can show the whole list. */
export const applicationIncomplete = (problems: RuleProblem[]) =>
  unprocessable('application-incomplete', 'De aanvraag kan nog niet ingediend worden. Los eerst deze punten op.', bodyErrors(problems));

export const mentorInvalid = (problems: RuleProblem[]) =>
  unprocessable('mentor-invalid', 'Deze mentor voldoet nog niet aan de voorwaarden.', bodyErrors(problems));

export const notSubmittable = (application: Pick<Application, 'status'>) =>
  problemFor('invalid-transition', {
    'invalid-transition': invalidTransition(`Een dossier met status "${statusLabels[application.status]}" kan niet ingediend worden.`),
  });

export const transitionNotAllowed = (from: ApplicationStatus, to: ApplicationStatus) =>
  problemFor('invalid-transition', { 'invalid-transition': invalidTransition(`Van "${statusLabels[from]}" naar "${statusLabels[to]}" is niet mogelijk.`) });

export const nothingToExclude = (level: 'establishment' | 'enterprise') =>
  problemFor('no-recognitions-of-partnership', {
    'no-recognitions-of-partnership': {
      status: 404,
      detail: `Uw partnerschap erkende geen werkplek bij deze ${level === 'establishment' ? 'vestiging' : 'onderneming'}: u kan ze niet uitsluiten.`,
    },
  });
