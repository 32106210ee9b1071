// What each refusal of the documents context means to the portal.
import { type ConflictTable, invalidTransition } from '../../shared/http/conflicts.ts';

export const uploadConflicts: ConflictTable<'document-already-checked'> = {
  'document-already-checked': invalidTransition('Dit document werd al gecontroleerd.'),
};
