import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

const valid = {
  STAGE: 'prod',
  TABLE_NAME: 'werkplekduaal-prod-table',
  DOCUMENTS_BUCKET: 'docs-bucket',
  KBO_INBOX_BUCKET: 'kbo-bucket',
  NOTIFICATIONS_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/1/notifications',
  DOMAIN_EVENTS_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/1/domain-events',
  KBO_CHANGES_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/1/kbo-changes',
  WEBHOOKS_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/1/webhooks',
  RECOGNITION_REVIEW_ARN: 'arn:aws:states:eu-west-1:1:stateMachine:x',
  OIDC_ISSUER: 'https://authenticatie.vlaanderen.be/op',
  OIDC_AUDIENCE: 'werkplekduaal',
  MAIL_FROM: 'noreply@werkplekduaal.be',
  PORTAL_URL: 'https://app.werkplekduaal.be',
  HMAC_KEY_ARN: 'arn:aws:kms:eu-west-1:1:key/x',
};

describe('configuration', () => {
  it('parses the environment once, with defaults', () => {
    const config = loadConfig(valid);
    expect(config).toMatchObject({ MAIL_TRANSPORT: 'ses', ALLOWED_ORIGINS: [], AWS_REGION: 'eu-west-1' });
    expect(loadConfig({ ...valid, ALLOWED_ORIGINS: 'https://a.example, https://b.example' }).ALLOWED_ORIGINS).toEqual([
      'https://a.example',
      'https://b.example',
    ]);
  });
  it('stops a cold start with a message naming every missing or bad variable', () => {
    const { TABLE_NAME: _t, ...missing } = valid;
    expect(() => loadConfig({ ...missing, MAIL_FROM: 'not-an-address' })).toThrow(/TABLE_NAME[\s\S]*MAIL_FROM|MAIL_FROM[\s\S]*TABLE_NAME/);
    expect(() => loadConfig({ ...valid, MAIL_TRANSPORT: 'file' })).toThrow(/MAIL_DIRECTORY/);
    expect(() => loadConfig({ ...valid, STAGE: 'Prod!' })).toThrow(/STAGE/);
  });
  it('delivers webhooks to localhost only on the local stage, and retries on the stated schedule unless shortened', () => {
    const { HMAC_KEY_ARN: _k, ...local } = valid;
    expect(loadConfig(valid)).toMatchObject({ WEBHOOK_ALLOW_LOCAL_URLS: false, WEBHOOK_TIMEOUT_MS: 10_000 });
    expect(loadConfig(valid).WEBHOOK_RETRY_DELAYS_SECONDS).toEqual([60, 300, 1800, 3600, 10_800, 21_600, 43_200]);
    expect(() => loadConfig({ ...valid, WEBHOOK_ALLOW_LOCAL_URLS: 'true' })).toThrow(/WEBHOOK_ALLOW_LOCAL_URLS/);
    const shortened = loadConfig({ ...local, LOCAL_HMAC_KEY: 'ab'.repeat(32), WEBHOOK_ALLOW_LOCAL_URLS: 'true', WEBHOOK_RETRY_DELAYS_SECONDS: '1,2' });
    expect([shortened.WEBHOOK_ALLOW_LOCAL_URLS, shortened.WEBHOOK_RETRY_DELAYS_SECONDS]).toEqual([true, [1, 2]]);
    expect(() => loadConfig({ ...valid, WEBHOOK_RETRY_DELAYS_SECONDS: '1,x' })).toThrow(/WEBHOOK_RETRY_DELAYS_SECONDS/);
  });
  it('needs exactly one root key for the keyring: the KMS HMAC key in AWS, a local key on the local stage', () => {
    const { HMAC_KEY_ARN: _k, ...withoutKey } = valid;
    const localKey = 'ab'.repeat(32);
    expect(() => loadConfig(withoutKey)).toThrow(/HMAC_KEY_ARN/);
    expect(loadConfig({ ...withoutKey, LOCAL_HMAC_KEY: localKey }).LOCAL_HMAC_KEY).toBe(localKey);
    expect(() => loadConfig({ ...withoutKey, LOCAL_HMAC_KEY: 'ab'.repeat(16) })).toThrow(/LOCAL_HMAC_KEY/);
    expect(() => loadConfig({ ...withoutKey, HMAC_KEY_ARN: 'key/x' })).toThrow(/HMAC_KEY_ARN/);
    expect(() => loadConfig({ ...valid, LOCAL_HMAC_KEY: localKey })).toThrow(/not both/);
  });
  it('needs the portal URL that e-mails link into: https, or http for a portal on localhost; no trailing slash, query or fragment', () => {
    const { PORTAL_URL: _p, ...withoutPortal } = valid;
    expect(() => loadConfig(withoutPortal)).toThrow(/PORTAL_URL/);
    expect(loadConfig({ ...valid, PORTAL_URL: 'https://app.werkplekduaal.be/loket' }).PORTAL_URL).toBe('https://app.werkplekduaal.be/loket');
    expect(loadConfig({ ...valid, PORTAL_URL: 'http://localhost:5173' }).PORTAL_URL).toBe('http://localhost:5173');
    for (const bad of [
      'http://app.werkplekduaal.be',
      'app.werkplekduaal.be',
      'ftp://app.werkplekduaal.be',
      'https://app.werkplekduaal.be/',
      'https://app.werkplekduaal.be?x=1',
      'https://app.werkplekduaal.be#top',
      'javascript:alert(1)',
    ])
      expect(() => loadConfig({ ...valid, PORTAL_URL: bad }), bad).toThrow(/PORTAL_URL/);
  });
});
