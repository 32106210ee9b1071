// Mandates (machtigingen): an enterprise's signed authorisation for a training provider's counsellors to act
// for it. Registering one is not holding one: a counsellor registers the signed document, the enterprise is
// told at once and its legal representative confirms it (or revokes it); the competent partnership checks the
// document in the completeness check of a file filed under it and may reject it. Pure; no AWS imports.

export const mandateStatuses = ['pending', 'confirmed', 'rejected', 'revoked'] as const;
export type MandateStatus = (typeof mandateStatuses)[number];

/** At most one per enterprise and provider. */
export type Mandate = {
  enterpriseNumber: string;
  providerId: string;
  /** One per registration: names the enterprise's "Machtiging bevestigen" task of this registration. */
  registrationId: string;
  documentId: string;
  status: MandateStatus;
  /** The enterprise's address as the counsellor gave it; the enterprise's known users are told as well. */
  enterpriseEmail: string;
  registeredBy: string;
  registeredByEmail: string | null;
  registeredAt: string;
  confirmedBy: string | null;
  confirmedAt: string | null;
  rejection: { partnershipId: string; reasons: string; by: string; at: string } | null;
  revokedBy: string | null;
  revokedAt: string | null;
  version: number;
};

export const mandateStatusLabels: Record<MandateStatus, string> = {
  pending: 'Wacht op bevestiging door de onderneming',
  confirmed: 'Bevestigd door de onderneming',
  rejected: 'Geweigerd door het partnerschap',
  revoked: 'Ingetrokken door de onderneming',
};

/**
 * What a counsellor of the provider may do for the enterprise under its mandate:
 * - `ownFiles` (pending): draft and submit applications, and see and change only the files it filed itself;
 * - `allFiles` (confirmed): also see and change the enterprise's other applications;
 * - `none` (rejected, revoked, or no mandate): nothing, not even the files it filed before.
 */
export type MandateScope = 'none' | 'ownFiles' | 'allFiles';

export function mandateScope(mandate: { status: MandateStatus } | undefined): MandateScope {
  if (mandate?.status === 'confirmed') return 'allFiles';
  if (mandate?.status === 'pending') return 'ownFiles';
  return 'none';
}

/** Whether a counsellor of `providerId` may act on a file of the enterprise under this mandate. */
export function counsellorMayAct(scope: MandateScope, file: { filedBy: { providerId: string | null } }, providerId: string): boolean {
  if (scope === 'allFiles') return true;
  return scope === 'ownFiles' && file.filedBy.providerId === providerId;
}

export type MandateAction = 'confirm' | 'revoke' | 'reject';

/** Which statuses each action starts from: a decided mandate (rejected, revoked) changes no more. */
export const mandateTransitions: Record<MandateAction, { from: readonly MandateStatus[]; to: MandateStatus }> = {
  confirm: { from: ['pending'], to: 'confirmed' },
  revoke: { from: ['pending', 'confirmed'], to: 'revoked' },
  reject: { from: ['pending', 'confirmed'], to: 'rejected' },
};

/** A new registration may replace a mandate that no longer counts; a pending or confirmed one stays. */
export const replaceableStatuses: readonly MandateStatus[] = ['rejected', 'revoked'];
