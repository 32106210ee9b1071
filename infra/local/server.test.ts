// The local HTTP server before the stage is ready: every request is a 503 problem+json with Retry-After, never
// the 500 a request got while the functions were still loading.
import { afterAll, describe, expect, it } from 'vitest';
import type { Server } from 'node:http';
import { startHttpServer } from './server.ts';

let server: Server | undefined;
afterAll(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

describe('the local HTTP server', () => {
  it('answers 503 with Retry-After until the stage is ready', async () => {
    let ready = false;
    server = await startHttpServer({ port: 0, routes: [], handlers: {}, extra: async () => ({ status: 200, body: 'ok' }), isReady: () => ready });
    const address = server.address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const early = await fetch(`${url}/v1/me`);
    expect(early.status).toBe(503);
    expect(early.headers.get('retry-after')).toBe('1');
    expect(early.headers.get('content-type')).toBe('application/problem+json');
    expect(await early.json()).toMatchObject({ status: 503, code: 'starting' });
    ready = true;
    expect((await fetch(`${url}/anything`)).status).toBe(200);
  });
});
