import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hmacRootKeyPath, localHmacKey } from './environment.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'werkplekduaal-keys-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('local HMAC root key', () => {
  it('is generated once into <data dir>/keys/hmac-root.key, owner-only, and read back on every later start', () => {
    const first = localHmacKey(dataDir);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(hmacRootKeyPath(dataDir)).toBe(join(dataDir, 'keys', 'hmac-root.key'));
    expect(readFileSync(hmacRootKeyPath(dataDir), 'utf8').trim()).toBe(first);
    expect(statSync(hmacRootKeyPath(dataDir)).mode & 0o777).toBe(0o600);
    expect(localHmacKey(dataDir)).toBe(first);
  });

  it('differs per data folder, and without one is random but fixed for the process', () => {
    const other = mkdtempSync(join(tmpdir(), 'werkplekduaal-keys-'));
    try {
      expect(localHmacKey(other)).not.toBe(localHmacKey(dataDir));
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
    expect(localHmacKey()).toMatch(/^[0-9a-f]{64}$/);
    expect(localHmacKey()).toBe(localHmacKey());
  });

  it('refuses a damaged key file instead of silently making learner keys nobody can find again', () => {
    const broken = mkdtempSync(join(tmpdir(), 'werkplekduaal-keys-'));
    try {
      localHmacKey(broken);
      writeFileSync(hmacRootKeyPath(broken), 'not a key\n');
      expect(() => localHmacKey(broken)).toThrow(/64 hex digits/);
    } finally {
      rmSync(broken, { recursive: true, force: true });
    }
  });
});
