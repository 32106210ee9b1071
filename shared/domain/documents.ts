// Documents: what may be uploaded and how an upload is recognised. Pure; no AWS imports.
import { documentKinds } from './reference.ts';

export const allDocumentKinds = [...documentKinds, 'signedAgreement', 'schedule', 'trainingPlan', 'learnerPremiumConsent', 'addendum', 'other'] as const;
export type DocumentKind = (typeof allDocumentKinds)[number];

export const contentTypes = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export type ContentType = (typeof contentTypes)[number];

/** API Gateway's payload limit is irrelevant here (uploads go straight to S3); 10 MB is ample for a scan. */
export const maxDocumentBytes = 10 * 1024 * 1024;

/** The first bytes of each accepted format; anything else is refused, whatever its name or declared type. */
export function detectContentType(head: Uint8Array): ContentType | undefined {
  const starts = (...bytes: number[]) => bytes.every((b, i) => head[i] === b);
  if (starts(0x25, 0x50, 0x44, 0x46, 0x2d)) return 'application/pdf'; // %PDF-
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  return undefined;
}

export type UploadCheck =
  | { ok: true }
  | { ok: false; code: 'upload-missing' | 'upload-too-large' | 'upload-empty' | 'content-type-mismatch' | 'unsupported-content'; detail: string };

export function checkUpload(
  declared: { contentType: ContentType; maxBytes: number },
  actual: { sizeBytes: number | undefined; head: Uint8Array | undefined },
): UploadCheck {
  if (actual.sizeBytes === undefined || actual.head === undefined) return { ok: false, code: 'upload-missing', detail: 'Er werd nog geen bestand opgeladen.' };
  if (actual.sizeBytes === 0) return { ok: false, code: 'upload-empty', detail: 'Het opgeladen bestand is leeg.' };
  if (actual.sizeBytes > declared.maxBytes) return { ok: false, code: 'upload-too-large', detail: `Het bestand is groter dan ${declared.maxBytes} bytes.` };
  const detected = detectContentType(actual.head);
  if (!detected) return { ok: false, code: 'unsupported-content', detail: 'Alleen PDF, JPEG en PNG worden aanvaard.' };
  if (detected !== declared.contentType)
    return { ok: false, code: 'content-type-mismatch', detail: `Het bestand is ${detected}, niet ${declared.contentType}.` };
  return { ok: true };
}

/**
 * Whether an organisation may rely on a document as evidence of `kind` (a signed mandate, an extract): its own
 * upload of that kind, checked (size and magic bytes).
 */
export function isOwnVerifiedDocument(
  document: { ownerKey: string; kind: DocumentKind; status: string } | undefined,
  organisationKey: string,
  kind: DocumentKind,
): boolean {
  return document !== undefined && document.ownerKey === organisationKey && document.kind === kind && document.status === 'verified';
}
