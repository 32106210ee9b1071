import { describe, expect, it } from 'vitest';
import { checkUpload, isOwnVerifiedDocument } from './documents.ts';

const pdfHead = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31]);

describe('documents', () => {
  it('accept an upload only as declared: present, not empty, not larger, and of the declared type', () => {
    const declared = { contentType: 'application/pdf', maxBytes: 100 } as const;
    expect(checkUpload(declared, { sizeBytes: 50, head: pdfHead })).toEqual({ ok: true });
    expect(checkUpload(declared, { sizeBytes: undefined, head: undefined })).toMatchObject({ ok: false, code: 'upload-missing' });
    expect(checkUpload(declared, { sizeBytes: 0, head: pdfHead })).toMatchObject({ ok: false, code: 'upload-empty' });
    expect(checkUpload(declared, { sizeBytes: 101, head: pdfHead })).toMatchObject({ ok: false, code: 'upload-too-large' });
    expect(checkUpload(declared, { sizeBytes: 50, head: new Uint8Array([0xff, 0xd8, 0xff]) })).toMatchObject({ ok: false, code: 'content-type-mismatch' });
    expect(checkUpload(declared, { sizeBytes: 50, head: new Uint8Array([0x3c, 0x68]) })).toMatchObject({ ok: false, code: 'unsupported-content' });
  });

  it("count as evidence only when they are the organisation's own checked upload of that kind", () => {
    const mandate = { ownerKey: 'provider:campus-brugge', kind: 'mandate', status: 'verified' } as const;
    expect(isOwnVerifiedDocument(mandate, 'provider:campus-brugge', 'mandate')).toBe(true);
    expect(isOwnVerifiedDocument(undefined, 'provider:campus-brugge', 'mandate')).toBe(false);
    expect(isOwnVerifiedDocument(mandate, 'provider:syntra-mechelen', 'mandate')).toBe(false);
    expect(isOwnVerifiedDocument(mandate, 'provider:campus-brugge', 'criminalRecordExtract')).toBe(false);
    expect(isOwnVerifiedDocument({ ...mandate, status: 'pendingUpload' }, 'provider:campus-brugge', 'mandate')).toBe(false);
  });
});
