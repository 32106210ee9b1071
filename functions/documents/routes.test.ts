// Documents against the emulators: presigned POST upload to S3, size and magic-byte checks, scoped reads.
import { beforeAll, describe, expect, it } from 'vitest';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { createTestEnvironment, type TestEnvironment } from '../../infra/local/testing/environment.ts';
import { createTestApi, type TestApi } from '../../infra/local/testing/api.ts';
import { routes } from './routes.ts';

let env: TestEnvironment;
let api: TestApi;

beforeAll(async () => {
  env = await createTestEnvironment();
  api = await createTestApi(routes, env.deps);
});

const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(2000, 0x20), Buffer.from('\n%%EOF\n')]);
const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);

async function upload(target: { url: string; fields: Record<string, string> }, bytes: Buffer, contentType: string) {
  const form = new FormData();
  for (const [name, value] of Object.entries(target.fields)) form.append(name, value);
  form.append('file', new Blob([bytes], { type: contentType }));
  return fetch(target.url, { method: 'POST', body: form });
}

async function requestUpload(user: string, organisation: string, body: Record<string, unknown>) {
  return api.call({ method: 'POST', path: '/v1/documents', token: await api.tokenFor(user), organisation, body });
}

describe('documents', () => {
  it('uploads with a presigned POST under an opaque key, verifies it and gives the owner a short-lived link', async () => {
    const created = await requestUpload('jan.mega', 'enterprise:0417390703', {
      kind: 'criminalRecordExtract',
      contentType: 'application/pdf',
      sizeBytes: pdf.length,
      label: 'Uittreksel mentor Jan',
    });
    expect(created.status).toBe(201);
    const { document, upload: target } = created.body;
    expect(document.status).toBe('pendingUpload');
    // An upload lands under uploads/ (deleted by the bucket's lifecycle if never completed), never under documents/.
    expect(target.fields.key).toBe(`uploads/${document.id}`);
    expect(JSON.stringify(target)).not.toContain('Jan');

    const uploaded = await upload(target, pdf, 'application/pdf');
    expect(uploaded.status).toBeLessThan(300);
    const token = await api.tokenFor('jan.mega');
    const completed = await api.call({ method: 'POST', path: `/v1/documents/${document.id}/complete`, token, organisation: 'enterprise:0417390703' });
    expect(completed.status).toBe(200);
    expect(completed.body).toMatchObject({ status: 'verified', sizeBytes: pdf.length });
    // Checked, it moved to its document key; nothing is left under uploads/.
    await expect(env.deps.s3.send(new GetObjectCommand({ Bucket: env.config.DOCUMENTS_BUCKET, Key: `uploads/${document.id}` }))).rejects.toThrow();

    const read = await api.call({ method: 'GET', path: `/v1/documents/${document.id}`, token, organisation: 'enterprise:0417390703' });
    expect(read.status).toBe(200);
    const download = await fetch(read.body.download.url);
    expect(Buffer.from(await download.arrayBuffer()).equals(pdf)).toBe(true);
  });

  it('rejects a file whose bytes are not the declared type, and deletes it', async () => {
    const created = await requestUpload('jan.mega', 'enterprise:0417390703', {
      kind: 'criminalRecordExtract',
      contentType: 'application/pdf',
      sizeBytes: 100,
      label: 'nep',
    });
    const { document, upload: target } = created.body;
    await upload(target, png, 'application/pdf');
    const token = await api.tokenFor('jan.mega');
    const completed = await api.call({ method: 'POST', path: `/v1/documents/${document.id}/complete`, token, organisation: 'enterprise:0417390703' });
    expect(completed.status).toBe(422);
    expect(completed.body.code).toBe('content-type-mismatch');
    for (const prefix of ['uploads', 'documents']) {
      await expect(env.deps.s3.send(new GetObjectCommand({ Bucket: env.config.DOCUMENTS_BUCKET, Key: `${prefix}/${document.id}` }))).rejects.toThrow();
    }
    const again = await api.call({ method: 'GET', path: `/v1/documents/${document.id}`, token, organisation: 'enterprise:0417390703' });
    expect(again.body).toMatchObject({ status: 'rejected', download: null });
  });

  it('refuses text posing as a PDF, and an upload that never happened', async () => {
    const token = await api.tokenFor('jan.mega');
    const created = await requestUpload('jan.mega', 'enterprise:0417390703', { kind: 'other', contentType: 'application/pdf', sizeBytes: 100, label: 'tekst' });
    const notYet = await api.call({ method: 'POST', path: `/v1/documents/${created.body.document.id}/complete`, token, organisation: 'enterprise:0417390703' });
    expect(notYet.status).toBe(422);
    expect(notYet.body.code).toBe('upload-missing');
    await upload(created.body.upload, Buffer.from('just some text, not a pdf'), 'application/pdf');
    const completed = await api.call({
      method: 'POST',
      path: `/v1/documents/${created.body.document.id}/complete`,
      token,
      organisation: 'enterprise:0417390703',
    });
    expect(completed.body.code).toBe('unsupported-content');
  });

  it('refuses a file larger than announced even where storage let it through', async () => {
    // S3 enforces the presigned POST's content-length-range; the emulator does not, the API's own check does.
    const token = await api.tokenFor('jan.mega');
    const created = await requestUpload('jan.mega', 'enterprise:0417390703', { kind: 'other', contentType: 'application/pdf', sizeBytes: 100, label: 'groot' });
    expect(created.body.upload.maxBytes).toBe(100);
    await upload(created.body.upload, pdf, 'application/pdf');
    const completed = await api.call({
      method: 'POST',
      path: `/v1/documents/${created.body.document.id}/complete`,
      token,
      organisation: 'enterprise:0417390703',
    });
    expect(completed.status).toBe(422);
    expect(completed.body.code).toBe('upload-too-large');
  });

  it('hides a document from every other organisation', async () => {
    const created = await requestUpload('jan.mega', 'enterprise:0417390703', { kind: 'other', contentType: 'image/png', sizeBytes: png.length, label: 'logo' });
    const id = created.body.document.id;
    for (const [user, organisation] of [
      ['an.peeters', 'enterprise:0412345614'],
      ['sofie.trajectbegeleider', 'provider:campus-brugge'],
      ['karim.consulent', 'partnership:handel'],
    ] as const) {
      const res = await api.call({ method: 'GET', path: `/v1/documents/${id}`, token: await api.tokenFor(user), organisation });
      expect(res.status).toBe(404);
      const complete = await api.call({ method: 'POST', path: `/v1/documents/${id}/complete`, token: await api.tokenFor(user), organisation });
      expect(complete.status).toBe(404);
    }
  });

  it('validates the request: kind, type and size limit', async () => {
    const res = await requestUpload('jan.mega', 'enterprise:0417390703', { kind: 'selfie', contentType: 'text/html', sizeBytes: 50 * 1024 * 1024, label: '' });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/contentType', '/kind', '/label', '/sizeBytes']);
  });
});
