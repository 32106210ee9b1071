// HTTP routes of the recognitions context: applications, their review by the partnership, recognitions.
import * as z from 'zod';
import { applicationStatuses } from '../../shared/domain/recognitions.ts';
import { defineRoute, type RouteDefinition } from '../../shared/http/route.ts';
import { calendarDate, enterpriseNumberDigits, establishmentNumberDigits, iban, nationalNumber, singleLine, slugId, ulidId } from '../../shared/http/fields.ts';
import * as handlers from './handlers.ts';
import * as sanctions from './sanctions.ts';
import * as appeals from './appeals.ts';
import * as mentors from './mentors.ts';

const tags = ['Erkenningen'];
const idParam = z.strictObject({ id: ulidId });
/** `E/20261112/000001` in paths as `E-20261112-000001`. */
const recognitionIdParam = z
  .string()
  .regex(/^E-\d{8}-\d{6}$/, 'een erkenning zoals E-20261112-000001')
  .transform((v) => v.replace(/-/g, '/'));
const filers = { kind: 'organisation', allow: { enterprise: ['legalRepresentative', 'user'], provider: ['counsellor'] } } as const;
const consultant = { kind: 'organisation', allow: { partnership: ['consultant'] } } as const;
const partnershipAdministrator = { kind: 'organisation', allow: { partnership: ['administrator'] } } as const;
const readers = {
  kind: 'organisation',
  allow: {
    enterprise: ['legalRepresentative', 'user'],
    provider: ['counsellor'],
    partnership: ['consultant', 'votingMember', 'administrator'],
    department: ['administrator'],
  },
} as const;

const contentBody = z.strictObject({
  jointCommittee: z
    .string()
    .regex(/^\d{3}(\.\d{2})?$/, 'paritair comité zoals 302')
    .nullable()
    .optional(),
  criteria: z.strictObject({ financialCapacity: z.boolean(), organisationAndEquipment: z.boolean(), noConvictions: z.boolean(), commitments: z.boolean() }),
  mentors: z
    .array(
      z.strictObject({
        id: ulidId.optional(),
        name: singleLine({ min: 2, max: 120 }),
        nationalNumber,
        yearsOfExperience: z.number().int().min(0).max(60),
        proofDocumentId: ulidId.nullable(),
        criminalRecordExtract: z.strictObject({ documentId: ulidId, issuedOn: calendarDate }).nullable(),
      }),
    )
    .max(20),
  documents: z.array(z.strictObject({ kind: z.enum(['declarationOnHonour', 'mandate', 'rszCertificate', 'other']), documentId: ulidId })).max(20),
  bankAccount: z.strictObject({ iban, premiumConsent: z.boolean() }).nullable(),
});

const transitionRoute = (action: 'request-completion' | 'mark-complete' | 'start-review' | 'pause' | 'resume', summary: string, body: z.ZodType) =>
  defineRoute({
    method: 'POST',
    path: `/v1/applications/{id}/${action}`,
    operationId: `application-${action}`,
    tags,
    summary,
    auth: consultant,
    requiresIfMatch: true,
    request: { params: idParam, body },
    responses: { 200: { description: 'Het dossier met de nieuwe status' }, 409: { description: 'Deze overgang is nu niet mogelijk, of versieconflict' } },
    handler: async (req, deps) =>
      handlers.partnershipTransition(
        req.params.id,
        action,
        (req.body ?? {}) as { message?: string; reason?: string },
        req.ifMatch!,
        req.principal!,
        req.acting!,
        deps,
      ),
  });
const emptyBody = z.strictObject({}).optional();

export const routes: RouteDefinition[] = [
  defineRoute({
    method: 'POST',
    path: '/v1/applications',
    operationId: 'create-application',
    tags,
    summary: 'Werkversie van een erkenningsaanvraag voor één vestiging en één opleiding (onderneming, of trajectbegeleider met machtiging)',
    auth: filers,
    idempotent: true,
    request: {
      body: z.strictObject({
        enterpriseNumber: enterpriseNumberDigits,
        establishmentNumber: establishmentNumberDigits,
        programmeId: slugId,
        jointCommittee: z
          .string()
          .regex(/^\d{3}(\.\d{2})?$/)
          .nullable()
          .optional(),
        contactEmail: z.email(),
      }),
    },
    responses: { 201: { description: 'De werkversie' }, 422: { description: 'Vestiging niet van deze onderneming, of onbekende opleiding' } },
    handler: async (req, deps) => handlers.createDraft(req.body, req.principal!, req.acting!, deps),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/applications',
    operationId: 'list-applications',
    tags,
    summary: 'Aanvragen van de onderneming, of de werklijsten van het partnerschap (filter op status)',
    auth: { kind: 'organisation', allow: { enterprise: ['legalRepresentative', 'user'], partnership: ['consultant', 'votingMember', 'administrator'] } },
    request: {
      query: z.strictObject({
        status: z.enum(applicationStatuses).optional(),
        cursor: z.string().max(2048).optional(),
        limit: z.coerce.number().int().min(1).max(100).optional(),
      }),
    },
    responses: { 200: { description: 'Een pagina aanvragen' } },
    handler: async (req, deps) => handlers.listApplications(req.query, req.acting!, deps),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/applications/{id}',
    operationId: 'get-application',
    tags,
    summary: 'Het dossier met historiek en, voor een werkversie, alles wat het indienen nog blokkeert',
    auth: readers,
    request: { params: idParam },
    responses: { 200: { description: 'Het dossier' }, 404: { description: 'Onbekend of geen toegang' } },
    handler: async (req, deps) => handlers.readApplication(req.params.id, req.acting, deps),
  }),
  defineRoute({
    method: 'PUT',
    path: '/v1/applications/{id}',
    operationId: 'update-application',
    tags,
    summary: 'Voorwaarden, mentoren, documenten en rekeningnummer van een werkversie of onvolledig dossier',
    auth: filers,
    requiresIfMatch: true,
    request: { params: idParam, body: contentBody },
    responses: { 200: { description: 'De bijgewerkte werkversie' } },
    handler: async (req, deps) => handlers.updateContent(req.params.id, req.body, req.ifMatch!, req.principal!, req.acting!, deps),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/applications/{id}/submit',
    operationId: 'submit-application',
    tags,
    summary: 'Indienen (of opnieuw indienen na vervollediging): naar het bevoegde partnerschap, de termijn van 14 dagen start',
    auth: filers,
    requiresIfMatch: true,
    request: { params: idParam, body: emptyBody },
    responses: {
      200: { description: 'Ingediend' },
      409: { description: 'Er loopt al een aanvraag of erkenning voor deze vestiging en opleiding' },
      422: { description: 'Alles wat nog ontbreekt, in errors[]' },
    },
    handler: async (req, deps) => handlers.submit(req.params.id, req.ifMatch!, req.principal!, req.acting!, deps),
  }),
  transitionRoute(
    'request-completion',
    'De consulent vraagt ontbrekende stukken op (met bericht); de onderneming vervolledigt en dient opnieuw in',
    z.strictObject({ message: z.string().trim().min(5).max(2000) }),
  ),
  transitionRoute('mark-complete', 'De consulent verklaart het dossier volledig', emptyBody),
  transitionRoute('start-review', 'De consulent neemt het dossier in behandeling', emptyBody),
  transitionRoute('pause', 'Behandeling pauzeren, met reden', z.strictObject({ reason: z.string().trim().min(3).max(500) })),
  transitionRoute('resume', 'Behandeling hervatten', emptyBody),
  defineRoute({
    method: 'POST',
    path: '/v1/applications/{id}/reject-mandate',
    operationId: 'reject-application-mandate',
    tags,
    summary:
      'Het bevoegde partnerschap weigert bij de controle van de volledigheid de machtiging waaronder een trajectbegeleider dit dossier indiende: de toegang van de opleidingsverstrekker tot de aanvragen van de onderneming eindigt',
    auth: { kind: 'organisation', allow: { partnership: ['consultant', 'administrator'] } },
    requiresIfMatch: true,
    request: { params: idParam, body: z.strictObject({ reasons: z.string().trim().min(10).max(4000) }) },
    responses: {
      200: { description: 'Het dossier, met de geweigerde machtiging' },
      409: { description: 'De machtiging is al beëindigd, of versieconflict' },
      422: { description: 'Het dossier werd niet onder een machtiging ingediend' },
    },
    handler: async (req, deps) => handlers.rejectMandate(req.params.id, req.body.reasons, req.ifMatch!, req.principal!, req.acting!, deps),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/applications/{id}/propose',
    operationId: 'propose-decision',
    tags,
    summary: 'De consulent stelt een beslissing voor',
    auth: consultant,
    requiresIfMatch: true,
    request: { params: idParam, body: z.strictObject({ decision: z.enum(['recognise', 'reject']), reasons: z.string().trim().min(3).max(4000) }) },
    responses: { 200: { description: 'Voorstel geregistreerd' } },
    handler: async (req, deps) => handlers.propose(req.params.id, req.body, req.ifMatch!, req.principal!, req.acting!, deps),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/applications/{id}/decide',
    operationId: 'decide-application',
    tags,
    summary: 'De stemgerechtigde beslist: erkend (5 jaar vanaf de begindatum) of niet erkend, met motivering',
    auth: { kind: 'organisation', allow: { partnership: ['votingMember'] } },
    requiresIfMatch: true,
    request: {
      params: idParam,
      body: z.strictObject({
        decision: z.enum(['recognised', 'notRecognised']),
        reasons: z.string().trim().min(3).max(4000),
        startDate: calendarDate.optional(),
      }),
    },
    responses: { 200: { description: 'Beslist; de onderneming krijgt de officiële kennisgeving' } },
    handler: async (req, deps) => handlers.decide(req.params.id, req.body, req.ifMatch!, req.principal!, req.acting!, deps),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/recognitions',
    operationId: 'search-recognitions',
    tags,
    summary: 'Erkenningen van een vestiging (optioneel voor één opleiding en geldig op een datum), om een werkplek te controleren',
    auth: readers,
    request: { query: z.strictObject({ establishment: establishmentNumberDigits, programme: slugId.optional(), onDate: calendarDate.optional() }) },
    responses: { 200: { description: 'De erkenningen' } },
    handler: async (req, deps) => handlers.searchRecognitions(req.query, req.acting!, deps),
  }),
  defineRoute({
    method: 'PUT',
    path: '/v1/recognitions/{recognitionId}/availability',
    operationId: 'set-place-available',
    tags,
    summary: 'De onderneming duidt aan of er voor deze erkenning een werkplek vrij is (zichtbaar in de publieke zoekfunctie)',
    auth: { kind: 'organisation', allow: { enterprise: ['legalRepresentative', 'user'] } },
    requiresIfMatch: true,
    request: { params: z.strictObject({ recognitionId: recognitionIdParam }), body: z.strictObject({ placeAvailable: z.boolean() }) },
    responses: { 200: { description: 'De erkenning' } },
    handler: async (req, deps) => handlers.setAvailability(req.params.recognitionId, req.body.placeAvailable, req.ifMatch!, req.acting!, deps),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/workplaces',
    operationId: 'search-workplaces',
    tags: ['Publiek'],
    summary:
      'Publiek, zonder aanmelding: erkende werkplekken met een vrije plaats, per opleiding of sector, postcode (of de streek: area=true), gemeente, of binnen distanceKm (1 tot 100, standaard 10) van de postcode near, dichtstbij eerst',
    auth: { kind: 'public' },
    request: {
      query: z
        .strictObject({
          programme: slugId.optional(),
          sector: slugId.optional(),
          postcode: z
            .string()
            .regex(/^\d{4}$/, 'vier cijfers')
            .optional(),
          area: z
            .enum(['true', 'false'])
            .transform((v) => v === 'true')
            .optional(),
          municipality: singleLine({ min: 2, max: 100 }).optional(),
          cursor: z.string().max(2048).optional(),
          limit: z.coerce.number().int().min(1).max(100).optional(),
          near: z
            .string()
            .regex(/^\d{4}$/, 'vier cijfers')
            .optional(),
          distanceKm: z.coerce.number().int().min(1).max(100).optional(),
        })
        .refine((q) => q.programme || q.sector, { message: 'kies een opleiding of een sector', path: ['programme'] })
        .refine((q) => q.distanceKm === undefined || q.near !== undefined, {
          message: 'een afstand hoort bij near (de postcode van waar u zoekt)',
          path: ['distanceKm'],
        })
        .refine((q) => q.near === undefined || (q.postcode === undefined && q.municipality === undefined), {
          message: 'zoek op afstand (near) of op postcode/gemeente, niet beide',
          path: ['near'],
        }),
    },
    responses: { 200: { description: 'Werkplekken met een vrije plaats' } },
    handler: async (req, deps) => handlers.findWorkplaces(req.query, deps),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/recognitions/{recognitionId}/revoke',
    operationId: 'revoke-recognition',
    tags: ['Sancties'],
    summary: 'Het partnerschap heft een erkenning op (na begeleiding), met motivering; lopende overeenkomsten krijgen een taak',
    auth: partnershipAdministrator,
    request: { params: z.strictObject({ recognitionId: recognitionIdParam }), body: z.strictObject({ reasons: z.string().trim().min(10).max(4000) }) },
    responses: { 200: { description: 'Opgeheven; de onderneming krijgt de kennisgeving' } },
    handler: async (req, deps) => sanctions.revoke(req.params.recognitionId, req.body.reasons, req.principal!, req.acting!, deps),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/recognitions/{recognitionId}/mentors/{mentorId}/withdraw',
    operationId: 'withdraw-mentor',
    tags: ['Sancties'],
    summary: 'Het partnerschap trekt een mentor in; zonder actieve mentor volgt de taak "Erkenning zonder geldige mentor behandelen"',
    auth: partnershipAdministrator,
    requiresIfMatch: true,
    request: {
      params: z.strictObject({ recognitionId: recognitionIdParam, mentorId: ulidId }),
      body: z.strictObject({ reasons: z.string().trim().min(10).max(4000) }),
    },
    responses: { 200: { description: 'Ingetrokken' } },
    handler: async (req, deps) =>
      sanctions.withdrawMentor(req.params.recognitionId, req.params.mentorId, req.body.reasons, req.ifMatch!, req.principal!, req.acting!, deps),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/exclusions',
    operationId: 'exclude',
    tags: ['Sancties'],
    summary:
      'Een vestiging of een hele onderneming uitsluiten, tijdelijk of definitief, in één keer. Een partnerschap sluit uit voor zijn eigen bevoegdheid: zijn erkenningen daar worden opgeheven en nieuwe aanvragen bij dat partnerschap geweigerd. Het departement sluit uit over alle partnerschappen heen',
    auth: { kind: 'organisation', allow: { partnership: ['administrator'], department: ['administrator'] } },
    request: {
      body: z
        .strictObject({
          level: z.enum(['establishment', 'enterprise']),
          enterpriseNumber: enterpriseNumberDigits,
          establishmentNumber: establishmentNumberDigits.optional(),
          reasons: z.string().trim().min(10).max(4000),
          until: calendarDate.nullable(),
        })
        .refine((b) => b.level === 'enterprise' || b.establishmentNumber !== undefined, {
          message: 'een vestiging uitsluiten vraagt het vestigingsnummer',
          path: ['establishmentNumber'],
        }),
    },
    responses: {
      200: { description: 'Uitgesloten; de opgeheven erkenningen staan in de sanctie' },
      404: { description: 'Vestiging niet van deze onderneming, of geen erkenning van uw partnerschap daar' },
      409: { description: 'Een erkenning werd intussen gewijzigd: er werd niets uitgesloten' },
      422: { description: 'Te veel erkenningen voor één sanctie' },
    },
    handler: async (req, deps) => sanctions.exclude(req.body, req.principal!, req.acting!, deps),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/appeals',
    operationId: 'lodge-appeal',
    tags: ['Beroep'],
    summary: 'De onderneming tekent beroep aan tegen een afwijzing of een sanctie, binnen 10 dagen na de beslissing',
    auth: { kind: 'organisation', allow: { enterprise: ['legalRepresentative', 'user'] } },
    idempotent: true,
    request: {
      body: z.strictObject({
        against: z.discriminatedUnion('kind', [
          z.strictObject({ kind: z.literal('decision'), applicationId: ulidId }),
          z.strictObject({ kind: z.literal('sanction'), sanctionId: ulidId }),
        ]),
        grounds: z.string().trim().min(10).max(8000),
        contactEmail: z.email(),
      }),
    },
    responses: {
      201: { description: 'Ontvangen; het departement bevestigt binnen 10 kalenderdagen' },
      422: { description: 'Te laat, of geen beslissing waartegen beroep kan' },
    },
    handler: async (req, deps) => appeals.lodge(req.body, req.principal!, req.acting!, deps),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/appeals/{id}',
    operationId: 'get-appeal',
    tags: ['Beroep'],
    summary: 'Een beroep (de onderneming die het indiende, het departement)',
    auth: { kind: 'organisation', allow: { enterprise: ['legalRepresentative', 'user'], department: ['administrator'] } },
    request: { params: idParam },
    responses: { 200: { description: 'Het beroep' } },
    handler: async (req, deps) => appeals.read(req.params.id, req.acting!, deps),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/appeals/{id}/confirm',
    operationId: 'confirm-appeal',
    tags: ['Beroep'],
    summary: 'Het departement bevestigt ontvangst en ontvankelijkheid (een weigering is gemotiveerd)',
    auth: { kind: 'organisation', allow: { department: ['administrator'] } },
    requiresIfMatch: true,
    request: { params: idParam, body: z.strictObject({ admissible: z.boolean(), reasons: z.string().trim().min(3).max(4000) }) },
    responses: { 200: { description: 'Bevestigd' } },
    handler: async (req, deps) => appeals.confirm(req.params.id, req.body, req.ifMatch!, req.principal!, req.acting!, deps),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/appeals/{id}/outcome',
    operationId: 'record-appeal-outcome',
    tags: ['Beroep'],
    summary: 'Het departement registreert de uitspraak van de beroepscommissie',
    auth: { kind: 'organisation', allow: { department: ['administrator'] } },
    requiresIfMatch: true,
    request: { params: idParam, body: z.strictObject({ outcome: z.enum(['upheld', 'rejected']), reasons: z.string().trim().min(3).max(4000) }) },
    responses: { 200: { description: 'Geregistreerd' } },
    handler: async (req, deps) => appeals.recordOutcome(req.params.id, req.body, req.ifMatch!, req.principal!, req.acting!, deps),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/recognitions/{recognitionId}/renew',
    operationId: 'renew-recognition',
    tags,
    summary: 'Hernieuwing: een nieuwe aanvraag, vooraf ingevuld vanuit de erkenning, die dezelfde behandeling doorloopt',
    auth: { kind: 'organisation', allow: { enterprise: ['legalRepresentative', 'user'] } },
    idempotent: true,
    request: { params: z.strictObject({ recognitionId: recognitionIdParam }) },
    responses: { 201: { description: 'De hernieuwingsaanvraag (werkversie)' } },
    handler: async (req, deps) => handlers.renew(req.params.recognitionId, req.principal!, req.acting!, deps),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/recognitions/{recognitionId}/mentors',
    operationId: 'request-mentor',
    tags,
    summary: 'De onderneming voegt een mentor toe (zelfde documenten en controles); het partnerschap keurt goed',
    auth: { kind: 'organisation', allow: { enterprise: ['legalRepresentative', 'user'] } },
    requiresIfMatch: true,
    request: {
      params: z.strictObject({ recognitionId: recognitionIdParam }),
      body: z.strictObject({
        name: singleLine({ min: 2, max: 120 }),
        nationalNumber,
        yearsOfExperience: z.number().int().min(0).max(60),
        proofDocumentId: ulidId.nullable(),
        criminalRecordExtract: z.strictObject({ documentId: ulidId, issuedOn: calendarDate }).nullable(),
      }),
    },
    responses: { 202: { description: 'Wacht op goedkeuring door het partnerschap' }, 422: { description: 'Alles wat nog ontbreekt' } },
    handler: async (req, deps) => mentors.requestMentor(req.params.recognitionId, req.body, req.ifMatch!, req.acting!, deps),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/recognitions/{recognitionId}/mentors/{mentorId}/approve',
    operationId: 'approve-mentor',
    tags,
    summary: 'Het partnerschap keurt een nieuwe mentor goed; de termijn voor de mentoropleiding start',
    auth: { kind: 'organisation', allow: { partnership: ['consultant', 'administrator'] } },
    requiresIfMatch: true,
    request: { params: z.strictObject({ recognitionId: recognitionIdParam, mentorId: ulidId }) },
    responses: { 200: { description: 'Goedgekeurd' } },
    handler: async (req, deps) => mentors.approveMentor(req.params.recognitionId, req.params.mentorId, req.ifMatch!, req.acting!, deps),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/recognitions/{recognitionId}/mentors/{mentorId}/reject',
    operationId: 'reject-mentor',
    tags,
    summary: 'Het partnerschap weigert een nieuwe mentor; de aanvraag vervalt',
    auth: { kind: 'organisation', allow: { partnership: ['consultant', 'administrator'] } },
    requiresIfMatch: true,
    request: { params: z.strictObject({ recognitionId: recognitionIdParam, mentorId: ulidId }) },
    responses: { 200: { description: 'Geweigerd' }, 404: { description: 'Geen mentor die op goedkeuring wacht' } },
    handler: async (req, deps) => mentors.rejectMentor(req.params.recognitionId, req.params.mentorId, req.ifMatch!, req.acting!, deps),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/recognitions/{recognitionId}/mentors/{mentorId}/change',
    operationId: 'change-mentor',
    tags,
    summary: 'Mentor deactiveren, heractiveren, of mentoropleiding gevolgd / vrijgesteld melden',
    auth: { kind: 'organisation', allow: { enterprise: ['legalRepresentative', 'user'], partnership: ['consultant', 'administrator'] } },
    requiresIfMatch: true,
    request: {
      params: z.strictObject({ recognitionId: recognitionIdParam, mentorId: ulidId }),
      body: z.discriminatedUnion('action', [
        z.strictObject({ action: z.literal('deactivate') }),
        z.strictObject({ action: z.literal('reactivate') }),
        z.strictObject({ action: z.literal('training'), completedOn: calendarDate.nullable(), exempted: z.boolean() }),
      ]),
    },
    responses: { 200: { description: 'Gewijzigd' } },
    handler: async (req, deps) => mentors.changeMentor(req.params.recognitionId, req.params.mentorId, req.body, req.ifMatch!, req.acting!, deps),
  }),
];
