// The environment variables the local stage, the tests and the CLIs give the functions: the same names CDK
// sets, pointed at the emulators. Resource names are derived from the stage, never written by hand.
// Where CDK gives the KMS HMAC key, the local stage gives a root key it generated once into its data folder.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadConfig, type Config } from '../../shared/config.ts';
import { createDependencies, type Dependencies } from '../../shared/adapters/dependencies.ts';
import { queues as queueDefinitions, stateMachines } from '../topology.ts';
import { ensureBuckets, ensureQueues, localRegion, type LocalQueue } from './emulators.ts';

/** The portal's development server on this machine: the base of the links in locally captured e-mails. */
export const localPortalUrl = 'http://localhost:5173';

export const localStateMachineArn = (name: string) => `arn:aws:states:${localRegion}:000000000000:stateMachine:${name}`;

export type LocalEndpoints = {
  stage: string;
  tableName: string;
  dynamoEndpoint: string;
  awsEndpoint: string;
  issuer: string;
  audience: string;
  sfnEndpoint?: string;
  /** The keyring's root key (LOCAL_HMAC_KEY, 64 hex digits): see localHmacKey. */
  hmacKey: string;
};

/** Where a stage with this data folder keeps its root key (`.local/keys/hmac-root.key` for `npm start`). */
export const hmacRootKeyPath = (dataDir: string) => join(dataDir, 'keys', 'hmac-root.key');

const hexKey = /^[0-9a-f]{64}$/;
/** One random key per process for stages and tests without a data folder: in-memory data, in-memory key. */
let processKey: string | undefined;

/**
 * The local root key of the keyring. With a data folder it is generated once into `keys/hmac-root.key`
 * (readable by the owner only) and read back on every later start, so a restarted stage, and every CLI that
 * writes into the same stage, derives the same learner keys and opens the same cursors. `npm run reset`
 * removes it with the data it protects. Without a data folder it is random for this process.
 */
export function localHmacKey(dataDir?: string): string {
  if (!dataDir) return (processKey ??= randomBytes(32).toString('hex'));
  const path = hmacRootKeyPath(dataDir);
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    try {
      // `wx`: two processes starting at once must not each write their own key; the loser reads the winner's.
      writeFileSync(path, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  chmodSync(path, 0o600);
  const key = readFileSync(path, 'utf8').trim();
  if (!hexKey.test(key)) throw new Error(`${path} is not a root key of 64 hex digits; restore it, or run npm run reset to start over without the data`);
  return key;
}

function baseEnvironment(e: LocalEndpoints): Record<string, string> {
  const env: Record<string, string> = {
    STAGE: e.stage,
    TABLE_NAME: e.tableName,
    OIDC_ISSUER: e.issuer,
    OIDC_AUDIENCE: e.audience,
    MAIL_FROM: 'noreply@werkplekduaal.local',
    // The portal's development server (also an allowed origin of the local stage): where e-mails link to.
    PORTAL_URL: localPortalUrl,
    LOCAL_DYNAMODB_ENDPOINT: e.dynamoEndpoint,
    LOCAL_AWS_ENDPOINT: e.awsEndpoint,
    AWS_REGION: localRegion,
    LOCAL_HMAC_KEY: e.hmacKey,
    // Webhooks to a receiver on this machine, retried after seconds rather than minutes and hours (the scenarios
    // see a retry and the dead letter): never in AWS, where loadConfig and the CDK app refuse the first.
    WEBHOOK_ALLOW_LOCAL_URLS: 'true',
    WEBHOOK_RETRY_DELAYS_SECONDS: '1,1,1',
    WEBHOOK_TIMEOUT_MS: '2000',
    ...(e.sfnEndpoint ? { LOCAL_SFN_ENDPOINT: e.sfnEndpoint } : {}),
  };
  for (const machine of stateMachines) env[machine.arnVariable] = localStateMachineArn(machine.name);
  return env;
}

/** Creates the stage's buckets and queues on the emulator and returns the full environment for them. */
export async function provisionLocalResources(
  e: LocalEndpoints,
): Promise<{ environment: Record<string, string>; queues: LocalQueue[]; config: Config; deps: Dependencies }> {
  const placeholders: Record<string, string> = { DOCUMENTS_BUCKET: 'bootstrap', KBO_INBOX_BUCKET: 'bootstrap' };
  for (const queue of queueDefinitions) placeholders[queue.urlVariable] = 'http://localhost/bootstrap';
  const bootstrap = createDependencies(loadConfig({ ...baseEnvironment(e), ...placeholders }));
  const buckets = await ensureBuckets(bootstrap.s3, e.stage);
  const queues = await ensureQueues(bootstrap.sqs, e.stage);
  const environment: Record<string, string> = { ...baseEnvironment(e), DOCUMENTS_BUCKET: buckets.documents, KBO_INBOX_BUCKET: buckets.kboInbox };
  for (const queue of queues) environment[queue.definition.urlVariable] = queue.url;
  const config = loadConfig(environment);
  return { environment, queues, config, deps: createDependencies(config) };
}
