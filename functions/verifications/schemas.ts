// The query strings of the verification API.
import * as z from 'zod';
import { searchableName, searchableNameMinimum } from '../../shared/domain/kbo.ts';
import { calendarDate, enterpriseNumberDigits, establishmentNumberDigits, postcode, singleLine, slugId } from '../../shared/http/fields.ts';

export const recognitionVerificationQuery = z.strictObject({
  establishment: establishmentNumberDigits,
  programme: slugId.describe('Het id van de opleiding (GET /v1/reference/programmes)'),
  onDate: calendarDate.optional().describe('Zonder onDate: vandaag (Brussel)'),
});
export type RecognitionVerificationQuery = z.output<typeof recognitionVerificationQuery>;

/**
 * An enterprise by its number (optionally only its establishments at one postcode), or the candidates of a name at
 * a postcode: the enterprises whose main name starts with it at their seat, and those with an establishment of that
 * name there (README, "For school systems"). Never both.
 */
export const enterpriseIdentificationQuery = z
  .strictObject({
    enterpriseNumber: enterpriseNumberDigits.optional(),
    name: singleLine({ max: 100 })
      .refine((value) => searchableName(value).length >= searchableNameMinimum, {
        message: `minstens ${searchableNameMinimum} letters of cijfers`,
        params: { code: 'name-too-short' },
      })
      .optional()
      .describe(
        'Het begin van de naam (hoofdletters, accenten en leestekens tellen niet), met postcode: de ondernemingen met een hoofdnaam die zo begint op hun zetel daar, en de vestigingen met een eigen naam die zo begint op die postcode',
      ),
    postcode: postcode
      .optional()
      .describe('Bij een ondernemingsnummer: enkel de vestigingen met deze postcode; bij een naam: verplicht, de postcode waar gezocht wordt'),
  })
  .refine((q) => q.enterpriseNumber !== undefined || q.name !== undefined, {
    message: 'geef een ondernemingsnummer, of een naam met een postcode',
    path: ['name'],
    params: { code: 'enterprise-number-or-name-required' },
  })
  .refine((q) => q.enterpriseNumber === undefined || q.name === undefined, {
    message: 'zoek op ondernemingsnummer of op naam en postcode, niet beide',
    path: ['name'],
    params: { code: 'name-with-enterprise-number' },
  })
  .refine((q) => q.name === undefined || q.postcode !== undefined, {
    message: 'een zoekopdracht op naam heeft een postcode nodig',
    path: ['postcode'],
    params: { code: 'postcode-required-with-name' },
  });
export type EnterpriseIdentificationQuery = z.output<typeof enterpriseIdentificationQuery>;
