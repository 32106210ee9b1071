// Documents: a presigned POST to upload, a check of size and magic bytes before use, a short-lived link to read.
import { ulid } from 'ulid';
import type { Dependencies } from '../../shared/adapters/dependencies.ts';
import {
  deleteObject,
  downloadUrlSeconds,
  inspectObject,
  presignDownload,
  presignUpload,
  promoteUpload,
  uploadUrlSeconds,
} from '../../shared/adapters/storage.ts';
import { createDocument, getDocument, objectKey, settleUpload, uploadKey, type DocumentRecord } from '../../shared/data/documents.ts';
import { checkUpload, maxDocumentBytes, type ContentType } from '../../shared/domain/documents.ts';
import type { ActingOrganisation, Principal } from '../../shared/domain/organisations.ts';
import { unwrap } from '../../shared/http/conflicts.ts';
import { forbidden, notFound, unprocessable } from '../../shared/http/problem.ts';
import type { ApiResponse } from '../../shared/http/route.ts';
import { uploadConflicts } from './conflicts.ts';
import type { UploadRequest } from './schemas.ts';
import * as view from './views.ts';

const extensions: Record<ContentType, string> = { 'application/pdf': 'pdf', 'image/jpeg': 'jpg', 'image/png': 'png' };

/** A new document waiting for its upload, owned by the organisation that asks. */
function pendingDocument(input: UploadRequest, principal: Principal, acting: ActingOrganisation, at: string): DocumentRecord {
  return {
    id: ulid(),
    kind: input.kind,
    contentType: input.contentType,
    maxBytes: Math.min(input.sizeBytes, maxDocumentBytes),
    label: input.label,
    status: 'pendingUpload',
    ownerKey: acting.key,
    readers: [],
    uploadedBy: principal.userId,
    createdAt: at,
    version: 1,
  };
}

export async function requestUpload(input: UploadRequest, principal: Principal, acting: ActingOrganisation, deps: Dependencies): Promise<ApiResponse> {
  const record = pendingDocument(input, principal, acting, deps.clock.now().toISOString());
  await createDocument(deps, record);
  const upload = await presignUpload(deps, uploadKey(record.id), input.contentType, record.maxBytes);
  return {
    status: 201,
    headers: { Location: `/v1/documents/${record.id}` },
    body: {
      document: view.document(record),
      upload: { method: 'POST', url: upload.url, fields: upload.fields, expiresInSeconds: uploadUrlSeconds, maxBytes: record.maxBytes },
    },
  };
}

function readable(document: DocumentRecord, acting: ActingOrganisation | undefined): boolean {
  return acting !== undefined && (document.ownerKey === acting.key || document.readers.includes(acting.key));
}

async function loadReadable(deps: Dependencies, id: string, acting: ActingOrganisation | undefined): Promise<DocumentRecord> {
  const document = await getDocument(deps, id);
  // Same answer for "absent" and "not yours": the id of someone else's document reveals nothing.
  if (!document || document.status === 'deleted' || !readable(document, acting))
    throw notFound('document-not-found', 'Dit document bestaat niet of u hebt er geen toegang toe.');
  return document;
}

/** After the upload: the API checks size and magic bytes; a bad file is deleted and the document rejected. */
export async function completeUpload(id: string, acting: ActingOrganisation, deps: Dependencies): Promise<ApiResponse> {
  const document = await loadReadable(deps, id, acting);
  if (document.ownerKey !== acting.key) throw forbidden('not-document-owner', 'Alleen wie het document opliet, kan het vervolledigen.');
  if (document.status === 'verified') return { status: 200, body: view.document(document) };
  if (document.status === 'rejected') throw unprocessable('document-rejected', document.rejectedReason ?? 'Dit document werd geweigerd.');
  const actual = await inspectObject(deps, uploadKey(id));
  const check = checkUpload({ contentType: document.contentType, maxBytes: document.maxBytes }, actual);
  if (!check.ok) {
    if (check.code !== 'upload-missing') {
      await deleteObject(deps, uploadKey(id));
      unwrap(await settleUpload(deps, id, { status: 'rejected', reason: check.detail }), uploadConflicts);
    }
    throw unprocessable(check.code, check.detail);
  }
  // Only a checked file reaches its document key; an upload never completed is removed by the bucket's lifecycle.
  await promoteUpload(deps, uploadKey(id), objectKey(id));
  const verified = unwrap(await settleUpload(deps, id, { status: 'verified', sizeBytes: actual.sizeBytes! }), uploadConflicts);
  return { status: 200, body: view.document(verified) };
}

export async function readDocument(id: string, acting: ActingOrganisation | undefined, deps: Dependencies): Promise<ApiResponse> {
  const document = await loadReadable(deps, id, acting);
  const fileName = `${document.kind}-${id}.${extensions[document.contentType]}`;
  const download = document.status === 'verified' ? { url: await presignDownload(deps, objectKey(id), fileName), expiresInSeconds: downloadUrlSeconds } : null;
  return { status: 200, body: { ...view.document(document), download }, version: document.version };
}
