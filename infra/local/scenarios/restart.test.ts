// Restarting the local stage keeps everything: table data, uploaded documents, the signing key and the HMAC root key.
import { freePort } from '../free-port.ts';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hmacRootKeyPath } from '../environment.ts';
import { startLocalStage, type RunningStage } from '../stage.ts';
import { demoUsers } from '../seed/users.ts';
import { allRoutes } from '../../topology.ts';
import { contractFetch } from '../testing/contract.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'werkplekduaal-restart-'));
let stage: RunningStage | undefined;
const routes = allRoutes().map((r) => r.route);
// Every answer of the API is checked against the document (contract.ts), whatever the scenario was about.
const apiFetch: typeof fetch = (input, init) => contractFetch(routes, stage!.url)(input, init);

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
    const created: any = await (
      await apiFetch(`${stage.url}/v1/documents`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ kind: 'other', contentType: 'application/pdf', sizeBytes: pdf.length, label: 'bewaard' }),
      })
    ).json();
    const form = new FormData();
    for (const [name, value] of Object.entries(created.upload.fields as Record<string, string>)) form.append(name, value);
    form.append('file', new Blob([pdf], { type: 'application/pdf' }));
    expect((await fetch(created.upload.url, { method: 'POST', body: form })).ok).toBe(true);
    expect((await apiFetch(`${stage.url}/v1/documents/${created.document.id}/complete`, { method: 'POST', headers })).status).toBe(200);
    const hmacKey = stage.config.LOCAL_HMAC_KEY;
    expect(hmacKey).toMatch(/^[0-9a-f]{64}$/);
    await stage.stop();

    stage = await startLocalStage({ apiPort, dynamoPort, awsPort, dataDir });
    const again = await stage.issuer.sign(demoUsers['jan.mega']!);
    const read: any = await (await apiFetch(`${stage.url}/v1/documents/${created.document.id}`, { headers: { authorization: `Bearer ${again}` } })).json();
    expect(read.status).toBe('verified');
    const download = await fetch(read.download.url);
    expect(Buffer.from(await download.arrayBuffer()).equals(pdf)).toBe(true);
    // The signing key persisted too: a token from before the restart still verifies.
    expect((await apiFetch(`${stage.url}/v1/me`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    // And the HMAC root key, readable by the owner only: learner keys and cursors stay valid across restarts.
    expect(stage.config.LOCAL_HMAC_KEY).toBe(hmacKey);
    expect(statSync(hmacRootKeyPath(dataDir)).mode & 0o777).toBe(0o600);
  }, 120_000);
});
