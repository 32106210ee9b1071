// Restarting the local stage keeps everything: table data, uploaded documents and the signing key.
import { freePort } from '../free-port.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startLocalStage, type RunningStage } from '../stage.ts';
import { demoUsers } from '../seed/users.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'werkplekduaal-restart-'));
let stage: RunningStage | undefined;

afterAll(async () => {
  await stage?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('local stage restart', () => {
  it('keeps a verified document and the data after a stop and start', async () => {
    // The same ports both times, as `npm start` always uses 3000/8000/4566: the issuer URL contains the API
    // port, and within one test process the Lambda modules (imported once) keep their first endpoints.
    const dynamoPort = await freePort();
    const apiPort = await freePort();
    const awsPort = await freePort();
    stage = await startLocalStage({ apiPort, dynamoPort, awsPort, dataDir });
    const token = await stage.issuer.sign(demoUsers['jan.mega']!);
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const pdf = Buffer.from('%PDF-1.7\nbewaard\n%%EOF');
    const created: any = await (await fetch(`${stage.url}/v1/documents`, { method: 'POST', headers, body: JSON.stringify({ kind: 'other', contentType: 'application/pdf', sizeBytes: pdf.length, label: 'bewaard' }) })).json();
    const form = new FormData();
    for (const [name, value] of Object.entries(created.upload.fields as Record<string, string>)) form.append(name, value);
    form.append('file', new Blob([pdf], { type: 'application/pdf' }));
    expect((await fetch(created.upload.url, { method: 'POST', body: form })).ok).toBe(true);
    expect((await fetch(`${stage.url}/v1/documents/${created.document.id}/complete`, { method: 'POST', headers })).status).toBe(200);
    await stage.stop();

    stage = await startLocalStage({ apiPort, dynamoPort, awsPort, dataDir });
    const again = await stage.issuer.sign(demoUsers['jan.mega']!);
    const read: any = await (await fetch(`${stage.url}/v1/documents/${created.document.id}`, { headers: { authorization: `Bearer ${again}` } })).json();
    expect(read.status).toBe('verified');
    const download = await fetch(read.download.url);
    expect(Buffer.from(await download.arrayBuffer()).equals(pdf)).toBe(true);
    // The signing key persisted too: a token from before the restart still verifies.
    expect((await fetch(`${stage.url}/v1/me`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
  }, 120_000);
});
