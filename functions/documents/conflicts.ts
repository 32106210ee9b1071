// What each refusal of the documents context means to the portal.
import type { ConflictTable } from '../../shared/http/conflicts.ts';

export const uploadConflicts: ConflictTable<'document-already-checked'> = {
  'document-already-checked': { status: 409, detail: 'Dit document werd al gecontroleerd.' },
};
