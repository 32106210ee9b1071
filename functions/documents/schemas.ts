// Request schemas of the documents context; the responses are in views.ts.
import * as z from 'zod';
import { allDocumentKinds, contentTypes, maxDocumentBytes } from '../../shared/domain/documents.ts';
import { singleLine, ulidId } from '../../shared/http/fields.ts';

export const documentIdParams = z.strictObject({ id: ulidId });

export const uploadRequestBody = z.strictObject({
  kind: z.enum(allDocumentKinds),
  contentType: z.enum(contentTypes),
  sizeBytes: z.number().int().min(1).max(maxDocumentBytes),
  label: singleLine({ max: 120 }),
});
export type UploadRequest = z.output<typeof uploadRequestBody>;
