// What the agreements' two route tables (routes.ts, document-routes.ts) share: the tag, the id parameter and who
// may call them.
import * as z from 'zod';
import { ulidId } from '../../shared/http/fields.ts';

export const tags = ['Overeenkomsten'];
export const idParam = z.strictObject({ id: ulidId });
/** An addendum of an agreement: the agreement's id and the addendum's number (1, 2, ...). */
export const addendumParams = z.strictObject({ id: ulidId, number: z.coerce.number().int().min(1).max(999) });
export const counsellor = { kind: 'organisation', allow: { provider: ['counsellor'] } } as const;
export const parties = { kind: 'organisation', allow: { provider: ['counsellor'], enterprise: ['legalRepresentative', 'user'] } } as const;
