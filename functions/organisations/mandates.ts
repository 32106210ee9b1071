// Handlers of the mandates (machtigingen): a provider registers the mandate an enterprise signed, the enterprise
// confirms or revokes it, the parties read it. What each status allows is in shared/domain/mandates.ts.
import { ulid } from 'ulid';
import type { Dependencies } from '../../shared/adapters/dependencies.ts';
import { requestNotification } from '../../shared/adapters/mail.ts';
import { addDocumentReaders, getDocument } from '../../shared/data/documents.ts';
import { enterpriseExists } from '../../shared/data/kbo-lookups.ts';
import { changeMandate, getMandate, listMandates, registerMandate, type Mandate } from '../../shared/data/mandates.ts';
import { readOrganisationNames } from '../../shared/data/organisation-names.ts';
import { closeTask, openTask } from '../../shared/data/tasks.ts';
import { usersOfOrganisation } from '../../shared/data/users.ts';
import { isOwnVerifiedDocument } from '../../shared/domain/documents.ts';
import { formatEnterpriseNumber, kboDigits } from '../../shared/domain/identifiers.ts';
import { confirmMandateTask, confirmMandateTaskId, mandatePath } from '../../shared/domain/organisation-tasks.ts';
import { organisationKey, type ActingOrganisation, type Principal } from '../../shared/domain/organisations.ts';
import { problemFor } from '../../shared/http/conflicts.ts';
import type { ApiResponse } from '../../shared/http/route.ts';
import { mandateChangeConflicts, mandateReadConflicts, mandateRegistrationConflicts } from './conflicts.ts';
import type { PageQuery, RegisterMandateInput } from './schemas.ts';
import * as view from './views.ts';

/** A new registration: pending until the enterprise's legal representative confirms it. */
function pendingMandate(input: RegisterMandateInput, principal: Principal, acting: ActingOrganisation, at: string): Mandate {
  return {
    enterpriseNumber: formatEnterpriseNumber(input.enterpriseNumber),
    providerId: acting.id,
    registrationId: ulid(),
    documentId: input.documentId,
    status: 'pending',
    enterpriseEmail: input.enterpriseEmail,
    registeredBy: principal.userId,
    registeredByEmail: principal.email ?? null,
    registeredAt: at,
    confirmedBy: null,
    confirmedAt: null,
    rejection: null,
    revokedBy: null,
    revokedAt: null,
    version: 1,
  };
}

/**
 * A provider registers the mandate an enterprise signed; the signed document must be its own verified upload.
 * The enterprise may read that document from then on, its legal representative gets the task to confirm, and
 * the enterprise is e-mailed at once (at the address given and at its legal representatives known to the portal).
 */
export async function registerMandateForProvider(
  input: RegisterMandateInput,
  principal: Principal,
  acting: ActingOrganisation,
  deps: Dependencies,
): Promise<ApiResponse> {
  const [known, document, { names }] = await Promise.all([
    enterpriseExists(deps, input.enterpriseNumber),
    getDocument(deps, input.documentId),
    readOrganisationNames(deps, [acting.key]),
  ]);
  if (!known) throw problemFor('enterprise-unknown', mandateRegistrationConflicts);
  if (!isOwnVerifiedDocument(document, acting.key, 'mandate')) throw problemFor('mandate-document-invalid', mandateRegistrationConflicts);
  const mandate = pendingMandate(input, principal, acting, deps.clock.now().toISOString());
  const registered = await registerMandate(deps, mandate);
  if (!registered.ok) throw problemFor(registered.conflict, mandateRegistrationConflicts);
  const providerName = names.get(acting.key) ?? acting.id;
  await addDocumentReaders(deps, input.documentId, [organisationKey('enterprise', input.enterpriseNumber)]);
  await openTask(deps, confirmMandateTask({ ...mandate, providerName }));
  await notifyEnterprise(deps, mandate, principal.name);
  return { status: 201, body: view.mandate(mandate), version: mandate.version, headers: { Location: mandatePath(mandate) } };
}

async function notifyEnterprise(deps: Dependencies, mandate: Mandate, counsellorName: string): Promise<void> {
  const enterpriseKey = organisationKey('enterprise', kboDigits(mandate.enterpriseNumber));
  const representatives = (await usersOfOrganisation(deps, enterpriseKey))
    .filter((u) => u.email && u.organisations.some((o) => o.key === enterpriseKey && o.roles.includes('legalRepresentative')))
    .map((u) => u.email!);
  await requestNotification(deps, {
    id: `mandate-${mandate.registrationId}`,
    to: [...new Set([mandate.enterpriseEmail, ...representatives])].slice(0, 20),
    template: 'mandate-registered',
    data: { enterpriseNumber: mandate.enterpriseNumber, providerId: mandate.providerId, counsellorName },
  });
}

export async function listMandatesFor(query: PageQuery, acting: ActingOrganisation, deps: Dependencies): Promise<ApiResponse> {
  const owner = acting.type === 'enterprise' ? { enterpriseDigits: acting.id } : { providerId: acting.id };
  const page = await listMandates(deps, owner, query);
  return { status: 200, body: { items: page.items.map(view.mandate), cursor: page.cursor } };
}

/** The enterprise, the provider that registered it, and the department read one mandate; others get a 404. */
async function readableMandate(enterpriseDigits: string, providerId: string, acting: ActingOrganisation, deps: Dependencies): Promise<Mandate> {
  const mandate = await getMandate(deps, enterpriseDigits, providerId);
  const mayRead =
    acting.type === 'department' ||
    (acting.type === 'enterprise' && acting.id === enterpriseDigits) ||
    (acting.type === 'provider' && acting.id === providerId);
  if (!mandate || !mayRead) throw problemFor('mandate-not-found', mandateReadConflicts);
  return mandate;
}

export async function readMandate(enterpriseDigits: string, providerId: string, acting: ActingOrganisation, deps: Dependencies): Promise<ApiResponse> {
  const mandate = await readableMandate(enterpriseDigits, providerId, acting, deps);
  return { status: 200, body: view.mandate(mandate), version: mandate.version };
}

/** The enterprise confirms (legal representative) or revokes (any of its users) a mandate given in its name, at the version it read. */
export async function changeMandateByEnterprise(
  action: 'confirm' | 'revoke',
  key: { enterpriseDigits: string; providerId: string; expectedVersion: number },
  principal: Principal,
  acting: ActingOrganisation,
  deps: Dependencies,
): Promise<ApiResponse> {
  await readableMandate(key.enterpriseDigits, key.providerId, acting, deps);
  const changed = await changeMandate(deps, key, { action, by: principal.userId });
  if (!changed.ok) throw problemFor(changed.conflict, mandateChangeConflicts(action));
  const mandate = changed.mandate;
  await closeTask(deps, acting.key, confirmMandateTaskId(mandate.registrationId));
  await notifyProvider(deps, mandate);
  return { status: 200, body: view.mandate(mandate), version: mandate.version };
}

async function notifyProvider(deps: Dependencies, mandate: Mandate): Promise<void> {
  if (!mandate.registeredByEmail || (mandate.status !== 'confirmed' && mandate.status !== 'revoked')) return;
  await requestNotification(deps, {
    id: `mandate-${mandate.registrationId}-v${mandate.version}`,
    to: [mandate.registeredByEmail],
    template: 'mandate-changed',
    data: { enterpriseNumber: mandate.enterpriseNumber, providerId: mandate.providerId, status: mandate.status },
  });
}
