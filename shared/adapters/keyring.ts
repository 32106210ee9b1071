// Keys derived from one root key, one per purpose: `cursor` seals list cursors, `person` turns a national number
// into a learner's key. In AWS the root is a KMS HMAC key and a derivation is one GenerateMac call, so the root
// never leaves KMS; locally the root is a generated key under .local/ and a derivation is the same HMAC, in
// process. Each purpose is derived once per cold start and kept in memory.
import { createHmac } from 'node:crypto';
import type { Config } from '../config.ts';

export type KeyPurpose = 'cursor' | 'person';
export type Keyring = { derive(purpose: KeyPurpose): Promise<Buffer> };

const purposes: readonly KeyPurpose[] = ['cursor', 'person'];

/** What is MACed with the root key. The version lets a purpose get a new key without touching the others. */
export const derivationMessage = (purpose: KeyPurpose) => `werkplekduaal:${purpose}:v1`;

export function createKeyring(config: Pick<Config, 'HMAC_KEY_ARN' | 'LOCAL_HMAC_KEY' | 'AWS_REGION'>): Keyring {
  const derived = new Map<KeyPurpose, Promise<Buffer>>();
  let kms: Promise<(message: string) => Promise<Uint8Array>> | undefined;

  // The KMS client is imported on the first derivation only: functions that never list nor touch a learner
  // (the consumers, the KBO sync) do not load it at cold start.
  const generateMac = async (message: string): Promise<Buffer> => {
    kms ??= import('./clients/kms.ts').then(({ createMacGenerator }) => createMacGenerator(config));
    return Buffer.from(await (await kms)(message));
  };

  const compute = async (purpose: KeyPurpose): Promise<Buffer> => {
    if (!purposes.includes(purpose)) throw new Error(`unknown key purpose ${String(purpose)}`);
    const message = derivationMessage(purpose);
    const key = config.HMAC_KEY_ARN
      ? await generateMac(message)
      : config.LOCAL_HMAC_KEY
        ? createHmac('sha256', Buffer.from(config.LOCAL_HMAC_KEY, 'hex')).update(message, 'utf8').digest()
        : undefined;
    if (!key) throw new Error('no root key: set HMAC_KEY_ARN (AWS) or LOCAL_HMAC_KEY (local stage)');
    if (key.length !== 32) throw new Error(`derived ${purpose} key has ${key.length} bytes, expected 32`);
    return key;
  };

  return {
    derive(purpose) {
      let key = derived.get(purpose);
      if (!key) {
        key = compute(purpose);
        derived.set(purpose, key);
        // A failed derivation (throttling, a network error) is not remembered: the next request tries again.
        key.catch(() => derived.delete(purpose));
      }
      return key;
    },
  };
}

/**
 * The key of a person in the table and the logs: HMAC-SHA256 of the 11 digits of the national number with the
 * `person` key, base64url, all 32 bytes. Unlike a plain hash it cannot be brute-forced from the number space
 * (about 10^9 valid numbers) without the key, which never sits in the table or the code.
 */
export function personKey(derivedKey: Buffer, nationalNumberDigits: string): string {
  if (!/^\d{11}$/.test(nationalNumberDigits)) throw new Error('personKey needs the 11 digits of a national number');
  return createHmac('sha256', derivedKey).update(nationalNumberDigits, 'utf8').digest('base64url');
}
