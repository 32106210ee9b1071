import { createHash, createHmac, randomBytes } from 'node:crypto';
import { GenerateMacCommand, KMSClient } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { createKeyring, derivationMessage, personKey } from './keyring.ts';

const local = (root: string) => createKeyring({ LOCAL_HMAC_KEY: root, HMAC_KEY_ARN: undefined, AWS_REGION: 'eu-west-1' });
const kms = mockClient(KMSClient);
afterEach(() => kms.reset());

describe('keyring', () => {
  it('derives one 32-byte key per purpose locally, HMAC-SHA256(root, werkplekduaal:<purpose>:v1)', async () => {
    const root = randomBytes(32).toString('hex');
    const keys = local(root);
    const cursor = await keys.derive('cursor');
    const person = await keys.derive('person');
    expect(cursor).toHaveLength(32);
    expect(cursor.equals(person)).toBe(false);
    expect(person.equals(createHmac('sha256', Buffer.from(root, 'hex')).update('werkplekduaal:person:v1').digest())).toBe(true);
    expect((await local(randomBytes(32).toString('hex')).derive('person')).equals(person)).toBe(false);
  });

  it('in AWS asks KMS GenerateMac once per purpose and cold start, with the HMAC key; the root never leaves KMS', async () => {
    const mac = (message: string) => createHash('sha256').update(`kms:${message}`).digest();
    kms
      .on(GenerateMacCommand)
      .callsFake((input: { Message: Uint8Array }) => ({ Mac: mac(Buffer.from(input.Message).toString('utf8')), MacAlgorithm: 'HMAC_SHA_256' }));
    const arn = 'arn:aws:kms:eu-west-1:111122223333:key/hmac';
    const keys = createKeyring({ HMAC_KEY_ARN: arn, LOCAL_HMAC_KEY: undefined, AWS_REGION: 'eu-west-1' });
    const [a, b, c] = await Promise.all([keys.derive('person'), keys.derive('person'), keys.derive('cursor')]);
    expect(a.equals(mac(derivationMessage('person')))).toBe(true);
    expect(b).toBe(a);
    expect(c.equals(mac('werkplekduaal:cursor:v1'))).toBe(true);
    await keys.derive('person');
    const calls = kms.commandCalls(GenerateMacCommand);
    expect(calls).toHaveLength(2);
    expect(calls[0]!.args[0].input).toMatchObject({ KeyId: arn, MacAlgorithm: 'HMAC_SHA_256' });
  });

  it('forgets a failed KMS call, so the next request tries again', async () => {
    kms
      .on(GenerateMacCommand)
      .rejectsOnce(new Error('ThrottlingException'))
      .resolves({ Mac: randomBytes(32) });
    const keys = createKeyring({ HMAC_KEY_ARN: 'arn:aws:kms:eu-west-1:1:key/x', LOCAL_HMAC_KEY: undefined, AWS_REGION: 'eu-west-1' });
    await expect(keys.derive('cursor')).rejects.toThrow(/Throttling/);
    expect(await keys.derive('cursor')).toHaveLength(32);
  });

  it('turns a national number into a keyed hash: not its sha256, different under another key', async () => {
    const digits = '09021312345';
    const key = await local(randomBytes(32).toString('hex')).derive('person');
    const learner = personKey(key, digits);
    expect(learner).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(learner).toBe(personKey(key, digits));
    expect(learner).not.toBe(createHash('sha256').update(digits).digest('base64url'));
    expect(personKey(randomBytes(32), digits)).not.toBe(learner);
    expect(() => personKey(key, '09.02.13-123.45')).toThrow(/11 digits/);
  });
});
