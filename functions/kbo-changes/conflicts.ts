// What each conflict of the change review means to the portal: status, stable code and the Dutch detail.
import type { ChangeDecisionConflict } from '../../shared/data/kbo-changes.ts';
import type { Decision } from '../../shared/domain/kbo-changes.ts';
import { type ConflictAnswer, type ConflictTable, invalidTransition, versionConflict } from '../../shared/http/conflicts.ts';

const notFound: ConflictAnswer = { status: 404, code: 'kbo-change-not-found', detail: 'Deze KBO-wijziging bestaat niet of hoort niet bij uw partnerschap.' };
const changedMeanwhile: ConflictAnswer = {
  status: 409,
  code: 'kbo-change-changed',
  detail: 'De wijziging of een van haar erkenningen werd intussen gewijzigd. Lees ze opnieuw.',
};
const words: Record<Decision, string> = { keep: 'behouden', revoke: 'opheffen' };

export const readConflicts: ConflictTable<'not-found'> = { 'not-found': notFound };

/**
 * The answers to a refused decision. There are two decisions, so the one refused names the other: it is the
 * one taken already, or the only one this kind of change allows.
 */
export function decisionConflicts(asked: Decision): ConflictTable<ChangeDecisionConflict> {
  const other: Decision = asked === 'keep' ? 'revoke' : 'keep';
  return {
    'not-found': notFound,
    'decided-otherwise': invalidTransition(`Over deze wijziging werd al beslist (${words[other]}).`),
    'version-conflict': versionConflict('De wijziging werd intussen gewijzigd. Lees ze opnieuw.'),
    'decision-not-allowed': {
      status: 422,
      code: 'decision-not-allowed',
      detail: `Voor deze wijziging kan u enkel kiezen uit: ${other}.`,
      errors: [{ in: 'body', pointer: '/decision', code: 'decision-not-allowed', detail: `Toegelaten: ${other}` }],
    },
    'changed-meanwhile': changedMeanwhile,
    // More recognitions than one transaction holds: refused as a whole, like a concurrent change, so nothing is half-done.
    'too-many-recognitions': changedMeanwhile,
  };
}
