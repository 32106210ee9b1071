// The bundles carry the one link of the SDK's credential chain that Lambda uses (shared/adapters/lambda-credentials.ts).
import { describe, expect, it } from 'vitest';
import { buildBundle } from '../local/bench/bundles.ts';
import { defaultProvider } from '../../shared/adapters/lambda-credentials.ts';

describe('Lambda bundling', () => {
  it('replaces the default credential chain by the environment link, so no STS or SSO client is bundled', async () => {
    const { metafile } = await buildBundle('functions/tasks/lambda.ts');
    const inputs = Object.keys(metafile.inputs);
    expect(inputs.some((i) => i.endsWith('shared/adapters/lambda-credentials.ts'))).toBe(true);
    expect(inputs.filter((i) => /credential-provider-(node|sso|ini|web-identity)|nested-clients/.test(i))).toEqual([]);
  });

  it('reads the credentials Lambda puts in the environment, and fails clearly without them', async () => {
    const saved = { ...process.env };
    try {
      Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret', AWS_SESSION_TOKEN: 'token' });
      expect(await defaultProvider()()).toMatchObject({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', sessionToken: 'token' });
      delete process.env.AWS_ACCESS_KEY_ID;
      await expect(defaultProvider()()).rejects.toThrow(/environment variable credentials/);
    } finally {
      process.env = saved;
    }
  });
});
