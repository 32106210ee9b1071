// Handlers of the organisations context: who am I, an enterprise's profile, reference data. The mandates are in
// mandates.ts.
import type { Dependencies } from '../../shared/adapters/dependencies.ts';
import { getEnterpriseProfile } from '../../shared/data/kbo.ts';
import { mandateScopeOf } from '../../shared/data/mandates.ts';
import { createReference, getReference, listReference, replaceReference } from '../../shared/data/reference.ts';
import { recordUserWithOrganisationNames } from '../../shared/data/users.ts';
import type { ActingOrganisation, Principal } from '../../shared/domain/organisations.ts';
import type { ReferenceKind } from '../../shared/domain/reference.ts';
import { problemFor, unwrap } from '../../shared/http/conflicts.ts';
import { badRequest, forbidden, notFound } from '../../shared/http/problem.ts';
import type { ApiResponse } from '../../shared/http/route.ts';
import { referenceConflicts } from './conflicts.ts';
import type { PageQuery, ReferenceRecordInput } from './schemas.ts';
import * as view from './views.ts';

/** The user and the organisations they may act for; the only user directory there is (the daily digest's). */
export async function getMe(principal: Principal, acting: ActingOrganisation | undefined, deps: Dependencies): Promise<ApiResponse> {
  const names = await recordUserWithOrganisationNames(deps, principal);
  return { status: 200, body: view.me(principal, acting, names) };
}

/**
 * The enterprise itself, the department, partnership staff, and a training provider holding a mandate from the
 * enterprise (pending or confirmed) read its profile; KBO data is public, the route's rule keeps it to these.
 */
async function mayReadEnterprise(deps: Dependencies, enterpriseDigits: string, acting: ActingOrganisation | undefined): Promise<boolean> {
  if (acting?.type === 'department' || acting?.type === 'partnership') return true;
  if (acting?.type === 'enterprise') return acting.id === enterpriseDigits;
  return acting?.type === 'provider' && (await mandateScopeOf(deps, enterpriseDigits, acting.id)) !== 'none';
}

export async function getEnterprise(enterpriseDigits: string, acting: ActingOrganisation | undefined, deps: Dependencies): Promise<ApiResponse> {
  if (!(await mayReadEnterprise(deps, enterpriseDigits, acting))) {
    throw forbidden('not-your-enterprise', 'U kunt alleen de gegevens van uw eigen onderneming raadplegen, of van een onderneming die u machtigde.');
  }
  const profile = await getEnterpriseProfile(deps, enterpriseDigits);
  if (!profile) throw notFound('enterprise-not-found', 'Deze onderneming is niet gekend in de KBO-gegevens van werkplekduaal.');
  return { status: 200, body: view.enterpriseProfile(profile) };
}

export async function listReferenceRecords(kind: ReferenceKind, query: PageQuery, deps: Dependencies): Promise<ApiResponse> {
  const page = await listReference<Record<string, unknown>>(deps, kind, query);
  return { status: 200, body: { items: page.items.map(view.referenceRecord), cursor: page.cursor } };
}

export async function getReferenceRecord(kind: ReferenceKind, id: string, deps: Dependencies): Promise<ApiResponse> {
  const found = await getReference<Record<string, unknown>>(deps, kind, id);
  if (!found) throw problemFor('reference-not-found', referenceConflicts(kind, id));
  return { status: 200, body: view.referenceRecord(found), version: found.version };
}

export async function createReferenceRecord(kind: ReferenceKind, record: ReferenceRecordInput, principal: Principal, deps: Dependencies): Promise<ApiResponse> {
  const created = unwrap(await createReference(deps, kind, record, principal.userId), referenceConflicts(kind, record.id));
  return { status: 201, body: view.referenceRecord(created), version: created.version, headers: { Location: `/v1/reference/${kind}/${record.id}` } };
}

export async function replaceReferenceRecord(
  kind: ReferenceKind,
  id: string,
  record: ReferenceRecordInput,
  ifMatch: number,
  principal: Principal,
  deps: Dependencies,
): Promise<ApiResponse> {
  if (record.id !== id) {
    throw badRequest('id-mismatch', 'Het id in de inhoud verschilt van het id in het pad.', [
      { in: 'body', pointer: '/id', code: 'id-mismatch', detail: 'Gebruik hetzelfde id als in het pad.' },
    ]);
  }
  const replaced = unwrap(await replaceReference(deps, kind, record, ifMatch, principal.userId), referenceConflicts(kind, id));
  return { status: 200, body: view.referenceRecord(replaced), version: replaced.version };
}
