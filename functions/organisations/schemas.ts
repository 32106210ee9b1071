// Request and response schemas of the organisations context; they validate input and generate the OpenAPI document.
import * as z from 'zod';
import { organisationTypes } from '../../shared/domain/organisations.ts';

export { enterpriseNumberDigits as enterpriseNumberParam } from '../../shared/http/fields.ts';

export const pageQuery = z.strictObject({
  cursor: z.string().max(2048).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});

export const organisationSchema = z.object({
  key: z.string().describe('Waarde voor de header X-Organisation'),
  type: z.enum(organisationTypes),
  id: z.string(),
  name: z.string().nullable(),
  roles: z.array(z.object({ role: z.string(), label: z.string() })),
});

export const meResponse = z.object({
  user: z.object({ id: z.string(), name: z.string(), email: z.string().nullable() }),
  acting: organisationSchema.nullable(),
  organisations: z.array(organisationSchema),
});

const addressSchema = z.object({
  street: z.string().nullable(),
  houseNumber: z.string().nullable(),
  box: z.string().nullable(),
  postcode: z.string().nullable(),
  municipality: z.string().nullable(),
  country: z.string().nullable().describe('null voor België'),
  struckOffOn: z.string().nullable(),
});

export const enterpriseProfileResponse = z.object({
  enterpriseNumber: z.string(),
  name: z.string().nullable(),
  names: z.array(z.object({ language: z.string(), type: z.string(), value: z.string() })),
  status: z.enum(['active', 'stopped']),
  juridicalSituation: z.object({ code: z.string(), class: z.string() }),
  juridicalForm: z.string().nullable(),
  typeOfEnterprise: z.enum(['naturalPerson', 'legalPerson', 'unknown']),
  startDate: z.string().nullable(),
  seat: addressSchema.nullable(),
  establishments: z.array(
    z.object({
      establishmentNumber: z.string(),
      startDate: z.string().nullable(),
      status: z.enum(['active', 'stopped']),
      name: z.string().nullable(),
      names: z.array(z.object({ language: z.string(), type: z.string(), value: z.string() })),
      address: addressSchema.nullable(),
      region: z.enum(['flanders', 'brussels', 'wallonia', 'abroad', 'unknown']),
    }),
  ),
  kboExtractNumber: z.number().nullable(),
});
