// Handlers of the organisations context: who am I, an enterprise's profile, reference data.
import type { Dependencies } from '../../shared/adapters/dependencies.ts';
import { formatEnterpriseNumber, kboDigits } from '../../shared/domain/identifiers.ts';
import { organisationKey, roleLabels, type ActingOrganisation, type OrganisationGrant, type Principal } from '../../shared/domain/organisations.ts';
import { referenceKinds, type Partnership, type Provider, type ReferenceKind } from '../../shared/domain/reference.ts';
import { getEnterpriseProfile } from '../../shared/data/kbo.ts';
import { enterpriseExists, getEnterpriseName } from '../../shared/data/kbo-lookups.ts';
import { addDocumentReaders, getDocument } from '../../shared/data/documents.ts';
import { changeMandate, getMandate, listMandates, mandateScopeOf, registerMandate, type Mandate } from '../../shared/data/mandates.ts';
import { closeTask, openTask } from '../../shared/data/tasks.ts';
import { usersOfOrganisation } from '../../shared/data/users.ts';
import { requestNotification } from '../../shared/adapters/mail.ts';
import { mandateNoticeLines, mandateScope, mandateStatusLabels } from '../../shared/domain/mandates.ts';
import { taskTypes } from '../../shared/domain/tasks.ts';
import { ulid } from 'ulid';
import { recordUser } from '../../shared/data/users.ts';
import { createReference, getReference, listReference, replaceReference } from '../../shared/data/reference.ts';
import { badRequest, conflict, forbidden, notFound, unprocessable } from '../../shared/http/problem.ts';
import type { ApiResponse } from '../../shared/http/route.ts';

async function organisationName(deps: Dependencies, grant: OrganisationGrant): Promise<string | null> {
  switch (grant.type) {
    case 'enterprise':
      return getEnterpriseName(deps, grant.id);
    case 'provider':
      return (await getReference<Provider>(deps, 'providers', grant.id))?.record.name ?? null;
    case 'partnership':
      return (await getReference<Partnership>(deps, 'partnerships', grant.id))?.record.name ?? null;
    case 'department':
      return 'Departement Werk en Sociale Economie';
  }
}

export async function getMe(principal: Principal, acting: ActingOrganisation | undefined, deps: Dependencies): Promise<ApiResponse> {
  // The only user directory there is: who may get the daily task digest, and at which address.
  const [, organisations] = await Promise.all([
    recordUser(deps, principal),
    Promise.all(
      principal.organisations.map(async (grant) => ({
        key: organisationKey(grant.type, grant.id),
        type: grant.type,
        id: grant.id,
        name: await organisationName(deps, grant),
        roles: grant.roles.map((role) => ({ role, label: roleLabels[role] })),
      })),
    ),
  ]);
  return {
    status: 200,
    body: {
      user: { id: principal.userId, name: principal.name, email: principal.email ?? null },
      acting: organisations.find((o) => o.key === acting?.key) ?? null,
      organisations,
    },
  };
}

/**
 * The enterprise itself, the department, partnership staff, and a training provider holding an active
 * mandate from the enterprise may read its profile.
 */
export async function getEnterprise(enterpriseDigits: string, acting: ActingOrganisation | undefined, deps: Dependencies): Promise<ApiResponse> {
  const own = acting?.type === 'enterprise' && kboDigits(acting.id) === enterpriseDigits;
  // KBO data is public; a provider reads it for the enterprises whose mandate it registered (pending or confirmed).
  const mandated = acting?.type === 'provider' && (await mandateScopeOf(deps, enterpriseDigits, acting.id)) !== 'none';
  if (!own && !mandated && acting?.type !== 'department' && acting?.type !== 'partnership') {
    throw forbidden('not-your-enterprise', 'U kunt alleen de gegevens van uw eigen onderneming raadplegen, of van een onderneming die u machtigde.');
  }
  const profile = await getEnterpriseProfile(deps, enterpriseDigits);
  if (!profile) throw notFound('enterprise-not-found', 'Deze onderneming is niet gekend in de KBO-gegevens van werkplekduaal.');
  return { status: 200, body: profile };
}

/**
 * A reference record with its concurrency version and update time. An agreement model has a field of its own
 * called version (the model's "2024.1"); that one is kept, and its concurrency version travels in the ETag only.
 */
function withMeta(item: { record: Record<string, unknown>; version: number; updatedAt: string }): Record<string, unknown> {
  return { ...item.record, ...('version' in item.record ? {} : { version: item.version }), updatedAt: item.updatedAt };
}

export async function listReferenceRecords(
  kind: ReferenceKind,
  query: { cursor?: string | undefined; limit?: number | undefined },
  deps: Dependencies,
): Promise<ApiResponse> {
  const page = await listReference<Record<string, unknown>>(deps, kind, {
    ...(query.cursor ? { cursor: query.cursor } : {}),
    ...(query.limit ? { limit: query.limit } : {}),
  });
  return { status: 200, body: { items: page.items.map((i) => withMeta(i)), cursor: page.cursor } };
}

export async function getReferenceRecord(kind: ReferenceKind, id: string, deps: Dependencies): Promise<ApiResponse> {
  const found = await getReference<Record<string, unknown>>(deps, kind, id);
  if (!found) throw notFound('reference-not-found', `Geen ${referenceKinds[kind].label} met id "${id}".`);
  return { status: 200, body: withMeta(found), version: found.version };
}

export async function createReferenceRecord(kind: ReferenceKind, record: { id: string }, principal: Principal, deps: Dependencies): Promise<ApiResponse> {
  const created = await createReference(deps, kind, record, principal.userId);
  return {
    status: 201,
    body: withMeta(created),
    version: created.version,
    headers: { Location: `/v1/reference/${kind}/${record.id}` },
  };
}

export async function replaceReferenceRecord(
  kind: ReferenceKind,
  id: string,
  record: { id: string },
  ifMatch: number,
  principal: Principal,
  deps: Dependencies,
): Promise<ApiResponse> {
  if (record.id !== id) {
    throw badRequest('id-mismatch', 'Het id in de inhoud verschilt van het id in het pad.', [
      { in: 'body', pointer: '/id', code: 'id_mismatch', detail: 'Gebruik hetzelfde id als in het pad.' },
    ]);
  }
  const existing = await getReference(deps, kind, id);
  if (!existing) throw notFound('reference-not-found', `Geen ${referenceKinds[kind].label} met id "${id}".`);
  const replaced = await replaceReference(deps, kind, record, ifMatch, principal.userId);
  return { status: 200, body: withMeta(replaced), version: replaced.version };
}

/** What the enterprise and the provider see of a mandate (the partnership sees it in the file it reviews). */
export const mandateView = (m: Mandate) => ({
  enterpriseNumber: m.enterpriseNumber,
  providerId: m.providerId,
  documentId: m.documentId,
  status: m.status,
  statusLabel: mandateStatusLabels[m.status],
  allows: mandateScope(m),
  enterpriseEmail: m.enterpriseEmail,
  registeredAt: m.registeredAt,
  confirmedAt: m.confirmedAt ?? null,
  rejection: m.rejection ? { partnershipId: m.rejection.partnershipId, reasons: m.rejection.reasons, at: m.rejection.at } : null,
  revokedAt: m.revokedAt ?? null,
  version: m.version,
});

const mandatePath = (m: Pick<Mandate, 'enterpriseNumber' | 'providerId'>) => `/v1/mandates/${m.enterpriseNumber.replace(/\./g, '')}/${m.providerId}`;
const confirmTaskId = (m: Pick<Mandate, 'registrationId'>) => `mandate:${m.registrationId}`;

/**
 * A provider registers the mandate an enterprise signed; the signed document must be its own verified upload.
 * The mandate is pending until the enterprise's legal representative confirms it: the enterprise is e-mailed at
 * once (at the address given and at its legal representatives known to the portal) and gets a dashboard task.
 */
export async function registerMandateForProvider(
  input: { enterpriseNumber: string; documentId: string; enterpriseEmail: string },
  principal: Principal,
  acting: ActingOrganisation,
  deps: Dependencies,
): Promise<ApiResponse> {
  if (!(await enterpriseExists(deps, input.enterpriseNumber))) {
    throw unprocessable('enterprise-unknown', 'Deze onderneming is niet gekend in de KBO-gegevens.', [
      { in: 'body', pointer: '/enterpriseNumber', code: 'enterprise_unknown', detail: 'Onbekend ondernemingsnummer.' },
    ]);
  }
  const document = await getDocument(deps, input.documentId);
  if (!document || document.ownerKey !== acting.key || document.kind !== 'mandate' || document.status !== 'verified') {
    throw unprocessable('mandate-document-invalid', 'Laad eerst het ondertekende machtigingsdocument op (soort "mandate") en laat het controleren.', [
      { in: 'body', pointer: '/documentId', code: 'document_invalid', detail: 'Geen gecontroleerd machtigingsdocument van uw organisatie.' },
    ]);
  }
  const mandate: Mandate = {
    enterpriseNumber: formatEnterpriseNumber(input.enterpriseNumber),
    providerId: acting.id,
    registrationId: ulid(),
    documentId: input.documentId,
    status: 'pending',
    enterpriseEmail: input.enterpriseEmail,
    registeredBy: principal.userId,
    registeredByEmail: principal.email ?? null,
    registeredAt: deps.clock.now().toISOString(),
    confirmedBy: null,
    confirmedAt: null,
    rejection: null,
    revokedBy: null,
    revokedAt: null,
    version: 1,
  };
  const registered = await registerMandate(deps, mandate);
  if (!registered.ok)
    throw conflict('mandate-exists', 'Deze opleidingsverstrekker heeft al een machtiging van deze onderneming die wacht op bevestiging of bevestigd is.');
  const enterpriseKey = organisationKey('enterprise', input.enterpriseNumber);
  // The enterprise may always see what was signed in its name.
  await addDocumentReaders(deps, input.documentId, [enterpriseKey]);
  const providerName = (await getReference<Provider>(deps, 'providers', acting.id))?.record.name ?? acting.id;
  await openTask(deps, {
    id: confirmTaskId(mandate),
    type: 'confirmMandate',
    title: taskTypes.confirmMandate,
    organisationKey: enterpriseKey,
    roles: ['legalRepresentative'],
    subject: { kind: 'mandate', id: `${input.enterpriseNumber}/${acting.id}`, label: `Machtiging voor ${providerName}` },
    dueDate: null,
    actions: ['confirm-mandate', 'revoke-mandate'],
    link: mandatePath(mandate),
    status: 'open',
    createdAt: mandate.registeredAt,
    closedAt: null,
  });
  const representatives = (await usersOfOrganisation(deps, enterpriseKey))
    .filter((u) => u.email && u.organisations.some((o) => o.key === enterpriseKey && o.roles.includes('legalRepresentative')))
    .map((u) => u.email!);
  await requestNotification(deps, {
    id: `mandate-${mandate.registrationId}`,
    to: [...new Set([input.enterpriseEmail, ...representatives])].slice(0, 20),
    template: 'generic',
    data: {
      subject: `Machtiging geregistreerd voor ${providerName}`,
      lines: mandateNoticeLines({ providerName, counsellorName: principal.name, portalPath: mandatePath(mandate) }),
    },
  });
  return { status: 201, body: mandateView(mandate), version: mandate.version, headers: { Location: mandatePath(mandate) } };
}

export async function listMandatesFor(
  query: { cursor?: string | undefined; limit?: number | undefined },
  acting: ActingOrganisation,
  deps: Dependencies,
): Promise<ApiResponse> {
  const owner = acting.type === 'enterprise' ? { enterpriseDigits: acting.id } : { providerId: acting.id };
  const page = await listMandates(deps, owner, query);
  return { status: 200, body: { items: page.items.map(mandateView), cursor: page.cursor } };
}

/** The enterprise, the provider that registered it, and the department read one mandate; others get a 404. */
async function readableMandate(enterpriseDigits: string, providerId: string, acting: ActingOrganisation, deps: Dependencies): Promise<Mandate> {
  const mandate = await getMandate(deps, enterpriseDigits, providerId);
  const mayRead =
    acting.type === 'department' ||
    (acting.type === 'enterprise' && acting.id === enterpriseDigits) ||
    (acting.type === 'provider' && acting.id === providerId);
  if (!mandate || !mayRead) throw notFound('mandate-not-found', 'Deze machtiging bestaat niet of u hebt er geen toegang toe.');
  return mandate;
}

export async function readMandate(enterpriseDigits: string, providerId: string, acting: ActingOrganisation, deps: Dependencies): Promise<ApiResponse> {
  const mandate = await readableMandate(enterpriseDigits, providerId, acting, deps);
  return { status: 200, body: mandateView(mandate), version: mandate.version };
}

/** The enterprise confirms (legal representative) or revokes (any of its users) a mandate given in its name. */
export async function changeMandateByEnterprise(
  action: 'confirm' | 'revoke',
  enterpriseDigits: string,
  providerId: string,
  principal: Principal,
  acting: ActingOrganisation,
  deps: Dependencies,
): Promise<ApiResponse> {
  await readableMandate(enterpriseDigits, providerId, acting, deps);
  const changed = await changeMandate(deps, enterpriseDigits, providerId, { action, by: principal.userId });
  if (!changed.ok) {
    throw changed.conflict === 'mandate-not-found'
      ? notFound('mandate-not-found', 'Deze machtiging bestaat niet of u hebt er geen toegang toe.')
      : conflict(
          'mandate-status',
          action === 'confirm' ? 'Alleen een machtiging die op bevestiging wacht, kan bevestigd worden.' : 'Deze machtiging is al beëindigd.',
        );
  }
  const mandate = changed.mandate;
  await closeTask(deps, acting.key, confirmTaskId(mandate));
  await notifyProvider(
    deps,
    mandate,
    action === 'confirm'
      ? 'De onderneming bevestigde de machtiging.'
      : 'De onderneming trok de machtiging in: u hebt geen toegang meer tot haar erkenningsaanvragen.',
  );
  return { status: 200, body: mandateView(mandate), version: mandate.version };
}

export async function notifyProvider(deps: Dependencies, mandate: Mandate, line: string): Promise<void> {
  if (!mandate.registeredByEmail) return;
  await requestNotification(deps, {
    id: `mandate-${mandate.registrationId}-v${mandate.version}`,
    to: [mandate.registeredByEmail],
    template: 'generic',
    data: { subject: `Machtiging van onderneming ${mandate.enterpriseNumber}: ${mandateStatusLabels[mandate.status].toLowerCase()}`, lines: [line] },
  });
}
