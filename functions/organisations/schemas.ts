// Request schemas of the organisations context; they validate input, type the handlers (z.output) and
// generate the OpenAPI document. The responses are in views.ts.
import * as z from 'zod';
import type { ReferenceKind, referenceKinds } from '../../shared/domain/reference.ts';
import { enterpriseNumberDigits, slugId, ulidId } from '../../shared/http/fields.ts';

export { enterpriseNumberDigits as enterpriseNumberParam, pageQuery, type PageQuery } from '../../shared/http/fields.ts';

export const referenceIdParams = z.strictObject({ id: slugId });
/** A reference record of any kind as the department sends it (each kind's route validates with its own schema). */
export type ReferenceRecordInput = z.output<(typeof referenceKinds)[ReferenceKind]['schema']>;

export const mandateParams = z.strictObject({ enterpriseNumber: enterpriseNumberDigits, providerId: slugId });

export const registerMandateBody = z.strictObject({
  enterpriseNumber: enterpriseNumberDigits,
  documentId: ulidId,
  enterpriseEmail: z.email().describe('Het e-mailadres van de onderneming, zoals op de machtiging'),
});
export type RegisterMandateInput = z.output<typeof registerMandateBody>;
