// HTTP routes of the agreements context: drafting with the pre-flight check, annexes, registration with the
// premiums, amendments with addenda, suspensions and ending. The PDFs have their own table (document-routes.ts).
import * as z from 'zod';
import { type AmendmentRequest, type DraftFields, suspensionGrounds, terminationParties } from '../../shared/domain/agreements.ts';
import { addressSchema } from '../../shared/domain/reference.ts';
import { defineRoute, type RouteDefinition } from '../../shared/http/route.ts';
import { calendarDate, enterpriseNumberDigits, establishmentNumberDigits, iban, nationalNumber, singleLine, slugId, ulidId } from '../../shared/http/fields.ts';
import * as handlers from './handlers.ts';
import { addendumResponse, agreementPageResponse, agreementWithHistoryResponse, counsellorAgreementView, suspendedAgreementResponse } from './views.ts';

import { addendumParams, counsellor, idParam, parties, tags } from './route-rules.ts';

const name = singleLine({ max: 120 });
const personName = singleLine({ min: 2, max: 200 });
const hours = z.number().min(0).max(60).multipleOf(0.25);

const draftBody = z.strictObject({
  learner: z.strictObject({
    firstName: name,
    lastName: name,
    nationalNumber,
    address: addressSchema,
    legalRepresentative: z.strictObject({ name: personName, address: addressSchema.nullable() }).nullable(),
    iban: iban.nullable(),
    premiumConsent: z.boolean(),
    priorEducationTier: z.union([z.literal(1), z.literal(2), z.literal(3)]),
    firstTwoYearsSecondaryCompleted: z.boolean(),
    paid: z.boolean(),
  }),
  enterpriseNumber: enterpriseNumberDigits,
  establishmentNumber: establishmentNumberDigits,
  enterpriseRepresentative: personName,
  enterpriseBankAccount: z.strictObject({ iban, consent: z.boolean() }).nullable(),
  mentorId: ulidId,
  programmeId: slugId,
  trajectoryYear: z.number().int().min(1).max(6),
  lessonLocationId: slugId.nullable(),
  providerRepresentative: personName,
  startDate: calendarDate,
  endDate: calendarDate,
  weeklyHours: z.strictObject({ enterpriseFullTime: hours, school: hours, workplace: hours }),
}) satisfies z.ZodType<DraftFields>;
export type DraftBody = z.output<typeof draftBody>;

const amendmentBody = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('counsellor'), counsellor: z.strictObject({ userId: singleLine({ max: 128 }), name: personName, email: z.email() }) }),
  z.strictObject({ kind: z.literal('mentor'), mentorId: ulidId, effectiveDate: calendarDate }),
  z.strictObject({ kind: z.literal('endDate'), endDate: calendarDate }),
  z.strictObject({ kind: z.literal('schedule'), documentId: ulidId, effectiveDate: calendarDate }),
  z.strictObject({ kind: z.literal('establishmentAddress'), effectiveDate: calendarDate }),
]) satisfies z.ZodType<AmendmentRequest>;
export type AmendmentBody = z.output<typeof amendmentBody>;

const annexesBody = z
  .strictObject({
    schedule: ulidId.optional(),
    trainingPlan: ulidId.optional(),
    learnerPremiumConsent: ulidId.optional(),
    signedAgreement: ulidId.optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'noem minstens één bijlage', params: { code: 'annex-required' } });
export type AnnexesBody = z.output<typeof annexesBody>;

const suspensionBody = z.strictObject({ ground: z.enum(suspensionGrounds), from: calendarDate, to: calendarDate });
export type SuspensionBody = z.output<typeof suspensionBody>;

const endingBody = z.strictObject({
  kind: z.enum(['normal', 'early']),
  date: calendarDate,
  reason: z.string().trim().min(3).max(1000),
  by: z.enum(terminationParties),
});
export type EndingBody = z.output<typeof endingBody>;

const listQuery = z.strictObject({ cursor: z.string().max(2048).optional(), limit: z.coerce.number().int().min(1).max(100).optional() });
export type ListQuery = z.output<typeof listQuery>;

const counsellorView = (description: string) => ({ description, schema: counsellorAgreementView });

export const routes: RouteDefinition[] = [
  defineRoute({
    method: 'POST',
    path: '/v1/agreements',
    operationId: 'create-agreement',
    tags,
    summary: 'Werkversie van een overeenkomst (trajectbegeleider); het antwoord bevat de controle vooraf (blokkerende problemen en waarschuwingen)',
    auth: counsellor,
    idempotent: true,
    request: { body: draftBody },
    responses: {
      201: counsellorView('De werkversie met `issues`'),
      422: { description: 'Onbekende opleiding of lesplaats, of vestiging niet van deze onderneming' },
    },
    handler: async (req, deps) => handlers.createDraft(req.body, req.principal!, req.acting!, deps),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/agreements',
    operationId: 'list-agreements',
    tags,
    summary: 'De overeenkomsten van de opleidingsverstrekker of van de onderneming (rijksregisternummer gemaskeerd voor de onderneming)',
    auth: parties,
    request: { query: listQuery },
    responses: { 200: { description: 'Een pagina overeenkomsten', schema: agreementPageResponse } },
    handler: async (req, deps) => handlers.listForActing(req.query, req.acting!, deps),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/agreements/{id}',
    operationId: 'get-agreement',
    tags,
    summary:
      'De overeenkomst met historiek (wie: naam, organisatie, rol; wanneer; wat). Voor een werkversie herhaalt elke lezing de controle vooraf op de gegevens van nu (`issuesCheckedAt`), met de vervaldatum',
    auth: parties,
    request: { params: idParam },
    responses: {
      200: { description: 'De overeenkomst met historiek, zoals de partij ze ziet', schema: agreementWithHistoryResponse },
      404: { description: 'Onbekend, vervallen werkversie, of geen toegang' },
    },
    handler: async (req, deps) => handlers.readAgreement(req.params.id, req.acting, deps),
  }),
  defineRoute({
    method: 'PUT',
    path: '/v1/agreements/{id}',
    operationId: 'update-agreement',
    tags,
    summary: 'De werkversie bewaren; elke bewaring herhaalt de controle vooraf en verlengt de bewaartermijn tot 90 dagen',
    auth: counsellor,
    requiresIfMatch: true,
    request: { params: idParam, body: draftBody },
    responses: {
      200: counsellorView('De werkversie met `issues`'),
      404: { description: 'Onbekend, vervallen werkversie, of geen toegang' },
      409: { description: 'Geen werkversie meer (invalid-transition)' },
      422: { description: 'Onbekende opleiding of lesplaats, of vestiging niet van deze onderneming' },
    },
    handler: async (req, deps) => handlers.updateDraft(req.params.id, req.body, req.ifMatch!, req.principal!, req.acting!, deps),
  }),
  defineRoute({
    method: 'PUT',
    path: '/v1/agreements/{id}/annexes',
    operationId: 'attach-agreement-annexes',
    tags,
    summary: 'Bijlagen koppelen: uurrooster (een nieuw vervangt het vorige), opleidingsplan, toestemming leerlingpremie, ondertekende overeenkomst',
    auth: counsellor,
    requiresIfMatch: true,
    request: { params: idParam, body: annexesBody },
    responses: {
      200: counsellorView('De werkversie'),
      404: { description: 'Onbekend, vervallen werkversie, of geen toegang' },
      409: { description: 'Al geregistreerd: het uurrooster vervangt u dan met een wijziging (addendum)' },
      422: { description: 'Document onbekend, niet gecontroleerd of van een andere soort' },
    },
    handler: async (req, deps) => handlers.attachAnnexes(req.params.id, req.body, req.ifMatch!, req.principal!, req.acting!, deps),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/agreements/{id}/register',
    operationId: 'register-agreement',
    tags,
    summary: 'Registreren: herhaalt de controle vooraf, neemt de plaatsen van mentor en vestiging in één transactie en vraagt de premies aan',
    auth: counsellor,
    requiresIfMatch: true,
    idempotent: true,
    request: { params: idParam, body: z.strictObject({}).optional() },
    responses: {
      200: counsellorView('De geregistreerde overeenkomst met de premiebeslissingen'),
      404: { description: 'Onbekend, vervallen werkversie, of geen toegang' },
      409: { description: 'Al geregistreerd, of geen vrije plaats meer' },
      422: { description: 'Wat de registratie blokkeert' },
    },
    handler: async (req, deps) => handlers.register(req.params.id, req.ifMatch!, req.principal!, req.acting!, deps),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/agreements/{id}/amendments',
    operationId: 'amend-agreement',
    tags,
    summary:
      'Een geregistreerde overeenkomst wijzigen (trajectbegeleider, mentor, einddatum, uurrooster, adres vestiging); waar het model het vraagt ontstaat een addendum en de taak "Addendum afwerken"',
    auth: counsellor,
    requiresIfMatch: true,
    request: { params: idParam, body: amendmentBody },
    responses: {
      200: counsellorView('De gewijzigde overeenkomst'),
      404: { description: 'Onbekend of geen toegang' },
      409: {
        description:
          'Niet lopend, of wordt beëindigd en dit is geen wijziging van trajectbegeleider (invalid-transition), of geen vrije plaats bij de nieuwe mentor',
      },
      422: { description: 'Wijziging niet mogelijk' },
    },
    handler: async (req, deps) => handlers.amend(req.params.id, req.body, req.ifMatch!, req.principal!, req.acting!, deps),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/agreements/{id}/addenda/{number}/register',
    operationId: 'register-addendum',
    tags,
    summary: 'Het ondertekende addendum registreren; sluit de taak "Addendum afwerken"',
    auth: counsellor,
    requiresIfMatch: true,
    request: { params: z.strictObject({ id: ulidId, number: z.coerce.number().int().min(1).max(999) }), body: z.strictObject({ signedDocumentId: ulidId }) },
    responses: {
      200: counsellorView('De overeenkomst'),
      404: { description: 'Onbekende overeenkomst of onbekend addendum, of geen toegang' },
      409: { description: 'Dit addendum is al geregistreerd' },
      422: { description: 'Het ondertekende document is onbekend, niet gecontroleerd of van een andere soort' },
    },
    handler: async (req, deps) =>
      handlers.registerAddendum(req.params.id, req.params.number, req.body.signedDocumentId, req.ifMatch!, req.principal!, req.acting!, deps),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/agreements/{id}/suspensions',
    operationId: 'suspend-agreement',
    tags,
    summary:
      'Een schorsing melden (grond, van, tot): de onderneming meldt ze, of de trajectbegeleider registreert ze (artikel 9 van het model). Een melding van de onderneming en een schorsing van meer dan 14 dagen gaan naar de trajectbegeleider (taak "Schorsing opvolgen" en e-mail)',
    auth: parties,
    requiresIfMatch: true,
    request: { params: idParam, body: suspensionBody },
    responses: {
      201: { description: 'De overeenkomst met de schorsing, zoals de melder ze ziet', schema: suspendedAgreementResponse },
      404: { description: 'Onbekend of geen toegang' },
      409: { description: 'Alleen een lopende overeenkomst kan geschorst worden (invalid-transition)' },
      422: { description: 'Buiten de looptijd, einde voor begin, of overlapt met een andere schorsing (suspension-overlaps, met de data van die schorsing)' },
    },
    handler: async (req, deps) => handlers.suspend(req.params.id, req.body, req.ifMatch!, req.principal!, req.acting!, deps),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/agreements/{id}/suspensions/{suspensionId}/acknowledge',
    operationId: 'acknowledge-suspension',
    tags,
    summary:
      'De melding van een schorsing opgevolgd: staat in de historiek (wie, wanneer) en sluit de taak "Schorsing opvolgen"; de nieuwe versie staat in de ETag',
    auth: counsellor,
    requiresIfMatch: true,
    request: { params: z.strictObject({ id: ulidId, suspensionId: ulidId }), body: z.strictObject({}).optional() },
    responses: {
      204: { description: 'Opgevolgd' },
      404: { description: 'Onbekende overeenkomst of schorsing, of geen toegang' },
      409: { description: 'Al opgevolgd, of een schorsing zonder melding (invalid-transition)' },
    },
    handler: async (req, deps) => handlers.acknowledgeSuspension(req.params.id, req.params.suspensionId, req.ifMatch!, req.principal!, req.acting!, deps),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/agreements/{id}/end',
    operationId: 'end-agreement',
    tags,
    summary:
      'Beëindigen: normaal op de einddatum, of vroegtijdig (datum, reden, door wie). Vandaag of vroeger: meteen beëindigd, de plaatsen van mentor en vestiging komen vrij. Later: de overeenkomst is "ending" tot die dag en de dagelijkse verwerking beëindigt ze dan. De trajectbegeleider en de onderneming krijgen een e-mail',
    auth: counsellor,
    requiresIfMatch: true,
    request: { params: idParam, body: endingBody },
    responses: {
      200: counsellorView('De beëindigde overeenkomst, of de overeenkomst die wordt beëindigd (status ending)'),
      404: { description: 'Onbekend of geen toegang' },
      409: { description: 'Loopt niet (meer), of de beëindiging is al geregistreerd (invalid-transition)' },
      422: { description: 'Datum niet mogelijk' },
    },
    handler: async (req, deps) => handlers.end(req.params.id, req.body, req.ifMatch!, req.principal!, req.acting!, deps),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/agreements/{id}/addenda/{number}',
    operationId: 'get-addendum',
    tags,
    summary: 'Eén addendum (wijzigingen, ingangsdatum, status), met de versie van de overeenkomst als ETag; de PDF is .../document, registreren .../register',
    auth: parties,
    request: { params: addendumParams },
    responses: {
      200: { description: 'Het addendum', schema: addendumResponse },
      404: { description: 'Onbekende overeenkomst of onbekend addendum, of geen toegang' },
    },
    handler: async (req, deps) => handlers.readAddendum(req.params.id, req.params.number, req.acting, deps),
  }),
];
