// The query strings of the verification API.
import * as z from 'zod';
import { calendarDate, enterpriseNumberDigits, establishmentNumberDigits, postcode, slugId } from '../../shared/http/fields.ts';

export const recognitionVerificationQuery = z.strictObject({
  establishment: establishmentNumberDigits,
  programme: slugId.describe('Het id van de opleiding (GET /v1/reference/programmes)'),
  onDate: calendarDate.optional().describe('Zonder onDate: vandaag (Brussel)'),
});
export type RecognitionVerificationQuery = z.output<typeof recognitionVerificationQuery>;

/**
 * An enterprise by its number, optionally only its establishments at one postcode. A search by name is not
 * offered (yet): KBO names are stored per enterprise, with no index by name (README, "For school systems").
 */
export const enterpriseIdentificationQuery = z.strictObject({
  enterpriseNumber: enterpriseNumberDigits,
  postcode: postcode.optional().describe('Enkel de vestigingen met deze postcode'),
});
export type EnterpriseIdentificationQuery = z.output<typeof enterpriseIdentificationQuery>;
