// What each refusal of the organisations context means to the portal: status, stable code and Dutch detail.
import type { ReferenceConflict } from '../../shared/data/reference.ts';
import { referenceKinds, type ReferenceKind } from '../../shared/domain/reference.ts';
import { type ConflictTable, invalidTransition, versionConflict } from '../../shared/http/conflicts.ts';

export const referenceConflicts = (kind: ReferenceKind, id: string): ConflictTable<ReferenceConflict> => ({
  'already-exists': { status: 409, detail: `Er bestaat al een record met id "${id}".` },
  'reference-not-found': { status: 404, detail: `Geen ${referenceKinds[kind].label} met id "${id}".` },
  'version-conflict': versionConflict('Iemand anders wijzigde dit record intussen. Lees het opnieuw en pas uw wijziging toe op de nieuwste versie.'),
});

/** Why a provider cannot register a mandate: the first two are checked before writing, the last by the write. */
export type MandateRegistrationRefusal = 'enterprise-unknown' | 'mandate-document-invalid' | 'mandate-exists';

export const mandateRegistrationConflicts: ConflictTable<MandateRegistrationRefusal> = {
  'enterprise-unknown': {
    status: 422,
    detail: 'Deze onderneming is niet gekend in de KBO-gegevens.',
    errors: [{ in: 'body', pointer: '/enterpriseNumber', code: 'enterprise-unknown', detail: 'Onbekend ondernemingsnummer.' }],
  },
  'mandate-document-invalid': {
    status: 422,
    detail: 'Laad eerst het ondertekende machtigingsdocument op (soort "mandate") en laat het controleren.',
    errors: [{ in: 'body', pointer: '/documentId', code: 'document-invalid', detail: 'Geen gecontroleerd machtigingsdocument van uw organisatie.' }],
  },
  'mandate-exists': {
    status: 409,
    detail: 'Deze opleidingsverstrekker heeft al een machtiging van deze onderneming die wacht op bevestiging of bevestigd is.',
  },
};

const mandateNotFound = { status: 404, code: 'mandate-not-found', detail: 'Deze machtiging bestaat niet of u hebt er geen toegang toe.' } as const;

export const mandateReadConflicts: ConflictTable<'mandate-not-found'> = { 'mandate-not-found': mandateNotFound };

export const mandateChangeConflicts = (action: 'confirm' | 'revoke'): ConflictTable<'mandate-not-found' | 'mandate-status' | 'version-conflict'> => ({
  'mandate-not-found': mandateNotFound,
  'mandate-status': invalidTransition(
    action === 'confirm' ? 'Alleen een machtiging die op bevestiging wacht, kan bevestigd worden.' : 'Deze machtiging is al beëindigd.',
  ),
  'version-conflict': versionConflict('De machtiging werd intussen gewijzigd. Lees ze opnieuw.'),
});
