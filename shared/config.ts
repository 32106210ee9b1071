// The one place that reads the environment. CDK sets these variables on every Lambda, the local stage
// sets them for its in-process handlers; a missing or bad variable stops the cold start with a clear message.
import * as z from 'zod';

const commaList = z.string().transform((s) =>
  s
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v.length > 0),
);

const localHosts = ['localhost', '127.0.0.1', '[::1]'];

/**
 * The portal front end, the base of every deep link in an e-mail (`${PORTAL_URL}/aanvragen/<id>`): an https
 * origin with an optional path, without a query, fragment or trailing slash; plain http only for a portal on
 * this machine (the local stage). The CDK settings refuse http altogether (infra/stacks/settings.ts).
 */
export const portalUrlSchema = z
  .url({ protocol: /^https?$/, error: 'a URL like https://app.werkplekduaal.be' })
  .refine((value) => {
    const url = URL.parse(value);
    return url === null || url.protocol === 'https:' || localHosts.includes(url.hostname);
  }, 'https, or http for localhost only')
  .refine((value) => {
    const url = URL.parse(value);
    return url === null || (!url.search && !url.hash && !url.username && !url.password && !value.endsWith('/'));
  }, 'no query, fragment, credentials or trailing slash: the links append /aanvragen/<id> and the like');

export const configSchema = z.object({
  STAGE: z.string().regex(/^[a-z][a-z0-9-]{0,20}$/, 'lowercase letters, digits and dashes'),
  TABLE_NAME: z.string().min(3),
  DOCUMENTS_BUCKET: z.string().min(3),
  KBO_INBOX_BUCKET: z.string().min(3),
  NOTIFICATIONS_QUEUE_URL: z.url(),
  DOMAIN_EVENTS_QUEUE_URL: z.url(),
  /** KBO changes for the partnerships, from the KBO sync to the changes consumer. */
  KBO_CHANGES_QUEUE_URL: z.url(),
  /** Webhook deliveries (functions/webhooks/consumer.ts): one message per attempt, its retries re-enqueued with a delay. */
  WEBHOOKS_QUEUE_URL: z.url(),
  /**
   * The waits before each retry of a failed webhook delivery, in seconds (the first attempt is at once). The default
   * is 8 attempts over about 23 hours: 1 min, 5 min, 30 min, 1 h, 3 h, 6 h, 12 h. The local stage shortens it.
   */
  WEBHOOK_RETRY_DELAYS_SECONDS: commaList
    .pipe(
      z
        .array(
          z
            .string()
            .regex(/^\d{1,5}$/, 'seconds')
            .transform(Number),
        )
        .min(1)
        .max(20),
    )
    .default([60, 300, 1800, 3600, 10_800, 21_600, 43_200]),
  /** How long one delivery attempt may take, connect to answer, before it counts as failed. */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(20_000).default(10_000),
  /**
   * Only the local stage sets this (`true`): webhooks may then go to http://localhost and 127.0.0.1 (a receiver of a
   * test on this machine). Everywhere else only https to public addresses; the CDK app refuses it at synth.
   */
  WEBHOOK_ALLOW_LOCAL_URLS: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /** The kbo-sync state machine; no function starts it (the schedule does), so it may be absent. */
  KBO_SYNC_ARN: z.string().startsWith('arn:').optional(),
  /** The kbo-full-import state machine; an upload under full/ in the KBO inbox or ops starts it, so it may be absent. */
  KBO_FULL_IMPORT_ARN: z.string().startsWith('arn:').optional(),
  /**
   * Uncompressed bytes of delta files per sync slice: one slice must fit one Lambda invocation, in time and in
   * memory (the ApplySlice heap limit in infra/topology.ts). 4 MiB is about 40,000 rows; the bench measures it.
   */
  KBO_SYNC_SLICE_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(4 * 1024 * 1024),
  /**
   * Uncompressed bytes of the four members a Full import reads (enterprise, establishment, denomination, address)
   * per part of the deployed Full import (kbo-full-import): one part must fit one ApplyPart invocation, in time
   * and memory. 16 MiB is about 170,000 rows; a real Full (~750 MB of these members) makes about 45 parts.
   */
  KBO_FULL_PART_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(16 * 1024 * 1024),
  /**
   * Parts of a Full applied at once (the Distributed Map's MaxConcurrencyPath). The table is on demand: a new
   * on-demand table takes about 4,000 write units a second at once and doubles its peak over 30 minutes; writes
   * above it are throttled and retried (by the writer, then by the map as DynamoDbUnprocessedItems). One worker
   * writes ~4,000 items a second (the import's measured rate), so 4 workers (~16,000/s) assume a table pre-warmed
   * to about 20,000 write units a second (warm throughput) before a real Full; on a new table they are simply
   * throttled to its capacity (the README's estimate, "KBO Full import"). More only helps with more capacity.
   */
  KBO_FULL_IMPORT_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(4),
  /**
   * Requests per second one machine client (client-credentials token) may make, counted per second in the table
   * (shared/data/client-rates.ts); more is answered 429 with Retry-After. API Gateway's stage and route limits
   * protect the API as a whole; this keeps one misbehaving system from using them up.
   */
  CLIENT_REQUESTS_PER_SECOND: z.coerce.number().int().min(1).max(10_000).default(20),
  /** The recognition-review state machine that submissions start. */
  RECOGNITION_REVIEW_ARN: z.string().startsWith('arn:'),
  OIDC_ISSUER: z.url(),
  OIDC_AUDIENCE: z.string().min(1),
  /** Defaults to the issuer's discovery document. */
  OIDC_JWKS_URL: z.url().optional(),
  MAIL_FROM: z.email(),
  PORTAL_URL: portalUrlSchema,
  /** The department (DWSE) address that receives escalations of overdue reviews and appeals. */
  DEPARTMENT_EMAIL: z.email().default('werkplekduaal@werkplekduaal.test'),
  /** `ses` in AWS; `file` writes .eml files locally. */
  MAIL_TRANSPORT: z.enum(['ses', 'file']).default('ses'),
  MAIL_DIRECTORY: z.string().optional(),
  ALLOWED_ORIGINS: commaList.default([]),
  /** Only the local stage sets these: DynamoDB Local and the S3/SQS emulator. */
  LOCAL_DYNAMODB_ENDPOINT: z.url().optional(),
  LOCAL_AWS_ENDPOINT: z.url().optional(),
  /** The local stage's Step Functions endpoint (it runs the ASL files itself). */
  LOCAL_SFN_ENDPOINT: z.url().optional(),
  AWS_REGION: z.string().default('eu-west-1'),
  /**
   * The KMS HMAC key (HMAC_256) the keyring derives its keys from with GenerateMac: learner keys and cursor
   * seals. CDK sets it in AWS; the root key never leaves KMS.
   */
  HMAC_KEY_ARN: z.string().startsWith('arn:').optional(),
  /** Only the local stage, the tests and the CLIs set this instead: a root key of 32 bytes as 64 hex digits. */
  LOCAL_HMAC_KEY: z
    .string()
    .regex(/^[0-9a-f]{64}$/, '64 lowercase hex digits (32 bytes)')
    .optional(),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration, the function cannot start:\n${lines.join('\n')}`);
  }
  const config = parsed.data;
  if (config.MAIL_TRANSPORT === 'file' && !config.MAIL_DIRECTORY) {
    throw new ConfigError('Invalid configuration, the function cannot start:\n  MAIL_DIRECTORY: required when MAIL_TRANSPORT is file');
  }
  // Without a root key there are no learner keys and no cursor seals; refuse now rather than on the first list.
  if (!config.HMAC_KEY_ARN && !config.LOCAL_HMAC_KEY) {
    throw new ConfigError(
      'Invalid configuration, the function cannot start:\n  HMAC_KEY_ARN: required (the KMS HMAC key); only the local stage sets LOCAL_HMAC_KEY instead',
    );
  }
  // A function in AWS (its root key is KMS) never delivers webhooks to this machine's loopback: SSRF.
  if (config.HMAC_KEY_ARN && config.WEBHOOK_ALLOW_LOCAL_URLS) {
    throw new ConfigError(
      'Invalid configuration, the function cannot start:\n  WEBHOOK_ALLOW_LOCAL_URLS: only the local stage may deliver webhooks to localhost',
    );
  }
  // Both would leave it to chance which root key the learner keys come from: a local key has no place in AWS.
  if (config.HMAC_KEY_ARN && config.LOCAL_HMAC_KEY) {
    throw new ConfigError('Invalid configuration, the function cannot start:\n  LOCAL_HMAC_KEY: set HMAC_KEY_ARN or LOCAL_HMAC_KEY, not both');
  }
  return config;
}
