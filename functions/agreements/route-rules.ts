// What the agreements' two route tables (routes.ts, document-routes.ts) share: the tag, the id parameter and who
// may call them.
import * as z from 'zod';
import { ulidId } from '../../shared/http/fields.ts';

export const tags = ['Overeenkomsten'];
export const idParam = z.strictObject({ id: ulidId });
export const counsellor = { kind: 'organisation', allow: { provider: ['counsellor'] } } as const;
export const parties = { kind: 'organisation', allow: { provider: ['counsellor'], enterprise: ['legalRepresentative', 'user'] } } as const;
