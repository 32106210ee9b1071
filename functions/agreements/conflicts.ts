// What every refusal of the agreements context means to the portal: per operation, each typed conflict of the
// repository and each refusal of a domain decision with its status, stable code and Dutch detail. A decision's
// field problems become the answer's errors[]. Handlers unwrap a repository Result with `unwrap` and a decision
// with `decided`, both with their operation's table.
import type { Decision } from '../../shared/domain/agreements.ts';
import { type ConflictAnswer, type ConflictTable, invalidTransition, versionConflict as stale } from '../../shared/http/conflicts.ts';
import { type FieldError, Problem } from '../../shared/http/problem.ts';

/** The value of a decision; a refusal becomes its problem, with the rule's field errors. */
export function decided<T, R extends string>(decision: Decision<T, R>, table: ConflictTable<R>): T {
  if (decision.ok) return decision.value;
  const answer: ConflictAnswer = table[decision.refusal];
  const errors = decision.problems.map((p): FieldError => ({ in: p.in ?? 'body', pointer: p.pointer, code: p.code, detail: p.detail }));
  throw new Problem(answer.status, answer.code ?? decision.refusal, decision.detail ?? answer.detail, errors.length ? { errors } : {});
}

const versionConflict = stale('De overeenkomst werd intussen gewijzigd. Lees ze opnieuw.');
const documents = {
  'document-not-yours': { status: 422, detail: 'Dit document bestaat niet of is niet van uw organisatie.' },
  'document-not-verified': { status: 422, detail: 'Dit document is nog niet opgeladen en gecontroleerd.' },
  'document-wrong-kind': { status: 422, detail: 'Dit document is van een andere soort.' },
} as const;

export const access = {
  'agreement-not-found': { status: 404, detail: 'Deze overeenkomst bestaat niet (meer) of u hebt er geen toegang toe.' },
} satisfies ConflictTable<'agreement-not-found'>;
export const notAllowedForParty = 'Deze actie is voorbehouden aan de trajectbegeleider van de opleidingsverstrekker.';

export const draftAnswers = {
  'draft-invalid': { status: 422, detail: 'De werkversie kan niet bewaard worden.' },
  'not-a-draft': invalidTransition('Een geregistreerde overeenkomst wijzigt u met een wijziging (addendum), niet als werkversie.'),
  'version-conflict': versionConflict,
} satisfies ConflictTable<'draft-invalid' | 'not-a-draft' | 'version-conflict'>;

export const annexAnswers = {
  'annexes-after-registration': invalidTransition('Na registratie vervangt u het uurrooster met een wijziging (addendum).'),
  ...documents,
  'version-conflict': versionConflict,
} satisfies ConflictTable<string>;

export const registrationAnswers = {
  'already-registered': invalidTransition('Deze overeenkomst is al geregistreerd.'),
  'registration-blocked': { status: 422, detail: 'De overeenkomst kan nog niet geregistreerd worden: los eerst deze punten op.' },
  'mentor-capacity-reached': { status: 409, detail: 'De mentor heeft intussen geen vrije plaats meer.' },
  'establishment-capacity-reached': { status: 409, detail: 'De vestiging heeft intussen geen vrije plaats meer.' },
  'version-conflict': versionConflict,
} satisfies ConflictTable<string>;

export const amendmentAnswers = {
  'not-running': invalidTransition('Alleen een lopende (geregistreerde) overeenkomst kan gewijzigd worden.'),
  // The detail names the day the agreement ends (the decision's own detail).
  ending: invalidTransition('De overeenkomst wordt beëindigd: enkel de trajectbegeleider kan nog wijzigen.'),
  'mentor-not-eligible': { status: 422, detail: 'Kies een erkende, actieve mentor van deze vestiging.' },
  'mentor-unchanged': { status: 422, detail: 'Dit is al de mentor van de overeenkomst.' },
  'end-date-invalid': { status: 422, detail: 'Deze einddatum is niet mogelijk.' },
  // The detail names the agreement type (the decision's own detail).
  'no-agreement-model': { status: 422, detail: 'Er is vandaag geen modelovereenkomst van kracht.' },
  ...documents,
  'mentor-capacity-reached': { status: 409, detail: 'De nieuwe mentor heeft geen vrije plaats meer.' },
  'version-conflict': versionConflict,
} satisfies ConflictTable<string>;

export const addendumAnswers = {
  'addendum-not-found': { status: 404, detail: 'Dit addendum bestaat niet.' },
  'addendum-registered': invalidTransition('Dit addendum is al geregistreerd.'),
  ...documents,
  'version-conflict': versionConflict,
} satisfies ConflictTable<string>;

export const suspensionAnswers = {
  'not-running': invalidTransition('Alleen een lopende overeenkomst kan geschorst worden.'),
  'suspension-invalid': { status: 422, detail: 'Deze schorsing is niet mogelijk.' },
  // The detail names the dates of the suspension it overlaps (the decision's own detail).
  'suspension-overlaps': { status: 422, detail: 'Deze schorsing overlapt met een andere schorsing van de overeenkomst.' },
  'suspension-not-found': { status: 404, detail: 'Deze schorsing bestaat niet.' },
  'not-reported': invalidTransition('Deze schorsing werd niet gemeld aan de trajectbegeleider: er is niets op te volgen.'),
  'already-acknowledged': invalidTransition('Deze schorsing is al opgevolgd.'),
  'version-conflict': versionConflict,
} satisfies ConflictTable<string>;

export const endingAnswers = {
  'not-running': invalidTransition('Deze overeenkomst loopt niet (meer).'),
  // The detail names the day it ends (the decision's own detail).
  'already-ending': invalidTransition('De beëindiging van deze overeenkomst is al geregistreerd.'),
  'ending-invalid': { status: 422, detail: 'Deze beëindiging is niet mogelijk.' },
  'version-conflict': versionConflict,
} satisfies ConflictTable<string>;
