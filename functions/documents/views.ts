// What the documents context answers, declared once: the owner and the organisations it shared a document with
// see the same view, never its storage key. Each schema is strict and is the route's documented response.
import * as z from 'zod';
import type { DocumentRecord } from '../../shared/data/documents.ts';
import { allDocumentKinds, contentTypes } from '../../shared/domain/documents.ts';

export const documentView = z.strictObject({
  id: z.string(),
  kind: z.enum(allDocumentKinds),
  label: z.string(),
  contentType: z.enum(contentTypes),
  status: z.enum(['pendingUpload', 'verified', 'rejected', 'deleted']),
  sizeBytes: z.number().int().nullable(),
  createdAt: z.string(),
  verifiedAt: z.string().nullable(),
  rejectedReason: z.string().nullable(),
  retainUntil: z.string().nullable().describe('Na deze datum wordt het document verwijderd (uittreksels uit het strafregister)'),
});

export const uploadView = z.strictObject({
  document: documentView,
  upload: z.strictObject({
    method: z.literal('POST'),
    url: z.string(),
    fields: z.record(z.string(), z.string()).describe('Mee te sturen als formuliervelden, vóór het bestand'),
    expiresInSeconds: z.number().int(),
    maxBytes: z.number().int(),
  }),
});

export const documentWithDownloadView = documentView.extend({
  download: z.strictObject({ url: z.string(), expiresInSeconds: z.number().int() }).nullable().describe('Alleen voor een gecontroleerd document'),
});

export const document = (d: DocumentRecord): z.output<typeof documentView> => ({
  id: d.id,
  kind: d.kind,
  label: d.label,
  contentType: d.contentType,
  status: d.status,
  sizeBytes: d.sizeBytes ?? null,
  createdAt: d.createdAt,
  verifiedAt: d.verifiedAt ?? null,
  rejectedReason: d.rejectedReason ?? null,
  retainUntil: d.retainUntil ?? null,
});
