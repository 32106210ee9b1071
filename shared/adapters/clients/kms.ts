// KMS GenerateMac with the keyring's root key (shared/adapters/keyring.ts imports this module on its first
// derivation). Named imports, so the bundle keeps the one command rather than the whole KMS client.
import { GenerateMacCommand, KMSClient } from '@aws-sdk/client-kms';
import type { Config } from '../../config.ts';

export function createMacGenerator(config: Pick<Config, 'HMAC_KEY_ARN' | 'AWS_REGION'>): (message: string) => Promise<Uint8Array> {
  const client = new KMSClient({ region: config.AWS_REGION });
  return async (message) => {
    const result = await client.send(
      new GenerateMacCommand({ KeyId: config.HMAC_KEY_ARN, MacAlgorithm: 'HMAC_SHA_256', Message: Buffer.from(message, 'utf8') }),
    );
    if (!result.Mac) throw new Error('KMS GenerateMac returned no MAC');
    return result.Mac;
  };
}
