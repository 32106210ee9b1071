// Each Lambda entry lists the clients its function uses (shared/adapters/cold-start.ts), and only those go into its
// bundle. That list must be what infra/stacks/access.ts grants: a client without a grant would fail in AWS with an
// access denial, a grant without a client is privilege nobody uses. The stand-in for a client an entry did not ask
// for fails loudly.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { entryDependencies, onColdStart } from '../../shared/adapters/cold-start.ts';
import { createDynamoDbClient } from '../../shared/adapters/clients/dynamodb.ts';
import { ConfigError, loadConfig, type Config } from '../../shared/config.ts';
import { repositoryRoot } from '../constructs/function.ts';
import { functionAccess, type FunctionAccess } from '../stacks/access.ts';

/** The clients a function needs for what access.ts grants it. */
function clientsFor(access: FunctionAccess): string[] {
  return [
    'db',
    ...(Object.keys(access.buckets ?? {}).length > 0 ? ['s3'] : []),
    ...((access.sendTo ?? []).length > 0 ? ['sqs'] : []),
    ...((access.startStateMachines ?? []).length > 0 ? ['sfn'] : []),
    ...(access.deriveKeys ? ['keys'] : []),
  ].sort();
}

const environment = {
  STAGE: 'test',
  TABLE_NAME: 'test-table',
  DOCUMENTS_BUCKET: 'test-documents',
  KBO_INBOX_BUCKET: 'test-kbo-inbox',
  NOTIFICATIONS_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/000000000000/notifications',
  DOMAIN_EVENTS_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/000000000000/domain-events',
  KBO_CHANGES_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/000000000000/kbo-changes',
  WEBHOOKS_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/000000000000/webhooks',
  RECOGNITION_REVIEW_ARN: 'arn:aws:states:eu-west-1:000000000000:stateMachine:recognition-review',
  OIDC_ISSUER: 'https://issuer.test',
  OIDC_AUDIENCE: 'werkplekduaal',
  MAIL_FROM: 'noreply@werkplekduaal.test',
  PORTAL_URL: 'https://portal.werkplekduaal.test',
  LOCAL_HMAC_KEY: '0'.repeat(64),
};
const config = loadConfig(environment);

describe('the clients of each Lambda entry', () => {
  it.each(Object.entries(functionAccess))('%s asks for what access.ts grants it', async (entry, access) => {
    const module = (await import(pathToFileURL(join(repositoryRoot, entry)).href)) as { clients?: Record<string, unknown> };
    expect(module.clients, `${entry} exports its clients`).toBeDefined();
    expect(Object.keys(module.clients!).sort()).toEqual(clientsFor(access));
  });

  it('gives a client that was not asked for as a stand-in that fails loudly when used', () => {
    const deps = entryDependencies(config, { db: createDynamoDbClient });
    expect(() => deps.s3.send).toThrow(/did not ask for the s3 client: add it to the clients of its Lambda entry/);
    expect(() => deps.sqs.send).toThrow(/did not ask for the sqs client/);
    expect(() => deps.sfn.send).toThrow(/did not ask for the sfn client/);
    expect(() => deps.keys.derive).toThrow(/did not ask for the keys client/);
    // A stand-in is not mistaken for a promise, so it can pass through async code until it is used.
    expect((deps.s3 as unknown as { then?: unknown }).then).toBeUndefined();
  });

  afterEach(() => vi.unstubAllEnvs());

  it('builds the dependencies once, on the first call, and only the clients asked for', () => {
    for (const [name, value] of Object.entries(environment)) vi.stubEnv(name, value);
    const made: string[] = [];
    const db = (c: Config) => {
      made.push('db');
      return createDynamoDbClient(c);
    };
    const get = onColdStart({ db }, (deps) => ({ deps }));
    expect(made).toEqual([]);
    const first = get();
    expect(get()).toBe(first);
    expect(made).toEqual(['db']);
  });

  it('refuses a bad configuration on every call until it is fixed, instead of keeping the failure', () => {
    vi.stubEnv('TABLE_NAME', '');
    const get = onColdStart({ db: createDynamoDbClient }, (deps) => deps);
    expect(() => get()).toThrow(ConfigError);
    expect(() => get()).toThrow(ConfigError);
    for (const [name, value] of Object.entries(environment)) vi.stubEnv(name, value);
    expect(get().config.TABLE_NAME).toBe('test-table');
  });
});
