// What the system is made of: API contexts with their route tables, queues with their consumers, buckets,
// state machines and schedules. The CDK stacks and the local stage both build from this one list, so a
// route, queue or schedule cannot exist in one of them and not in the other.
import type { RouteDefinition } from '../shared/http/route.ts';
import type { Config } from '../shared/config.ts';
import { routes as organisationRoutes } from '../functions/organisations/routes.ts';
import { routes as documentRoutes } from '../functions/documents/routes.ts';
import { routes as recognitionRoutes } from '../functions/recognitions/routes.ts';
import { routes as taskRoutes } from '../functions/tasks/routes.ts';
import { routes as agreementRoutes } from '../functions/agreements/routes.ts';
import { documentRoutes as agreementDocumentRoutes } from '../functions/agreements/document-routes.ts';
import { routes as kboChangeRoutes } from '../functions/kbo-changes/routes.ts';
import { fullPartsPrefix } from '../functions/kbo-import/inbox-keys.ts';
import { routes as verificationRoutes } from '../functions/verifications/routes.ts';
import { routes as eventRoutes } from '../functions/events/routes.ts';
import { routes as webhookRoutes } from '../functions/webhooks/routes.ts';

/** A Lambda entry file (relative to the repository root) and its exported handler. */
export type FunctionEntry = {
  entry: string;
  handler: string;
  /** Longer than the default 25 s, for work that is sliced to fit one invocation (at most 900). */
  timeoutSeconds?: number;
  /** Lambda memory in MB when the default 1024 is not right. */
  memorySize?: number;
  /** V8 flags added to NODE_OPTIONS, e.g. a heap limit that makes the garbage collector keep memory tight. */
  nodeOptions?: string;
  /** Lambda's /tmp in MiB when the default 512 is not enough (512 to 10240): files staged on local disk. */
  ephemeralStorageMiB?: number;
};

/**
 * One API function and the routes it serves: a bounded context's route table, or a group of its routes that needs
 * what the rest does not (the agreement PDFs need pdf-lib), so that neither bundle carries the other's code.
 */
export type ApiContext = {
  /** Also the Lambda's logical name: `api-<name>`. */
  name: string;
  function: FunctionEntry;
  routes: RouteDefinition[];
};

export type QueueDefinition = {
  id: string;
  /** The config variable that carries this queue's URL to the producers. */
  urlVariable: keyof Config;
  consumer: FunctionEntry;
  batchSize: number;
  maxBatchingWindowSeconds: number;
  visibilityTimeoutSeconds: number;
  /** After this many failed receives a message moves to the queue's dead-letter queue. */
  maxReceiveCount: number;
  /**
   * At most this many consumer invocations at once (the event source mapping's MaximumConcurrency, 2 to 1000),
   * so a burst on the queue cannot take the account's concurrency from the API functions. Messages beyond it
   * wait in the queue: the poller stops receiving, so they are not received (and counted towards
   * maxReceiveCount) without being processed. Reserved concurrency would also cap the consumer, but Lambda
   * throttles the poller's invocations above it, the throttled messages return to the queue with a receive
   * counted, and a burst could push good messages into the dead-letter queue; it would also subtract from the
   * account's unreserved pool (Lambda keeps at least 100 unreserved). So the consumers reserve nothing.
   */
  maxConcurrency: number;
};

export type BucketDefinition = {
  id: 'documents' | 'kboInbox';
  nameVariable: keyof Config;
  /** Objects under these prefixes expire after the given days (lifecycle rules). */
  expirations: { prefix: string; days: number }[];
  /** Sends its object events to EventBridge (a state machine's startOnUpload listens there). */
  eventBridge?: boolean;
};

export type StateMachineDefinition = {
  name: string;
  /** The config variable that carries this state machine's ARN to the functions that start it. */
  arnVariable: keyof Config;
  /** The ASL file in state-machines/. */
  file: string;
  /** `${Name}` substitutions in the ASL that name a Lambda function ARN, and the function behind each. */
  functions: Record<string, FunctionEntry>;
  /**
   * A Distributed Map reads its items from this bucket (ItemReader, objects under `prefix`) and runs them as child
   * executions of the state machine itself: its role gets s3:GetObject there and may start, watch and stop its
   * own executions.
   */
  distributedMap?: { bucket: BucketDefinition['id']; prefix: string };
  /** Objects created under `prefix` in this bucket start an execution with input `{ "key": <object key> }`. */
  startOnUpload?: { bucket: BucketDefinition['id']; prefix: string };
};

/**
 * How long EventBridge Scheduler keeps trying to deliver one invocation (the Lambda invoke or StartExecution
 * call was throttled or refused) before it puts it in the schedule's dead-letter queue. Scheduler allows 0 to 185
 * attempts and 60 to 86400 seconds; its default (185 attempts, a day) would hide a broken schedule for a day.
 * Scheduler invokes a function asynchronously: a job that starts and then fails is Lambda's to retry (twice) and
 * the function's `-errors` alarm, not this policy.
 */
export type ScheduleRetry = { maximumRetryAttempts: number; maximumEventAgeSeconds: number };

/**
 * A job that runs once a day or once a week: a delivery that still fails after two hours needs a person (the
 * schedule's DLQ alarm), who runs the job by hand, before office hours for the night jobs. The jobs are
 * idempotent, so a late or repeated run changes nothing more.
 */
const dailyRetry: ScheduleRetry = { maximumRetryAttempts: 10, maximumEventAgeSeconds: 2 * 3600 };
/**
 * A job that runs every minute: a blip is retried within the minute; after that the next run does the same work
 * (it drains whatever waits), so an older delivery goes to the DLQ instead of overlapping with newer runs.
 */
const minutelyRetry: ScheduleRetry = { maximumRetryAttempts: 2, maximumEventAgeSeconds: 60 };

export type ScheduleDefinition = {
  name: string;
  /** EventBridge Scheduler cron expression, evaluated in `timezone`. */
  cron: string;
  timezone: 'Europe/Brussels';
  target: { stateMachine: string } | { function: FunctionEntry };
  retry: ScheduleRetry;
};

export const apiContexts: ApiContext[] = [
  { name: 'organisations', function: { entry: 'functions/organisations/lambda.ts', handler: 'handler' }, routes: organisationRoutes },
  { name: 'documents', function: { entry: 'functions/documents/lambda.ts', handler: 'handler' }, routes: documentRoutes },
  { name: 'recognitions', function: { entry: 'functions/recognitions/lambda.ts', handler: 'handler' }, routes: recognitionRoutes },
  { name: 'tasks', function: { entry: 'functions/tasks/lambda.ts', handler: 'handler' }, routes: taskRoutes },
  { name: 'agreements', function: { entry: 'functions/agreements/lambda.ts', handler: 'handler' }, routes: agreementRoutes },
  { name: 'agreement-documents', function: { entry: 'functions/agreements/documents-lambda.ts', handler: 'handler' }, routes: agreementDocumentRoutes },
  { name: 'kbo-changes', function: { entry: 'functions/kbo-changes/lambda.ts', handler: 'handler' }, routes: kboChangeRoutes },
  { name: 'verifications', function: { entry: 'functions/verifications/lambda.ts', handler: 'handler' }, routes: verificationRoutes },
  { name: 'events', function: { entry: 'functions/events/lambda.ts', handler: 'handler' }, routes: eventRoutes },
  { name: 'webhooks', function: { entry: 'functions/webhooks/lambda.ts', handler: 'handler' }, routes: webhookRoutes },
];

export const queues: QueueDefinition[] = [
  {
    id: 'notifications',
    urlVariable: 'NOTIFICATIONS_QUEUE_URL',
    consumer: { entry: 'functions/notifications/consumer.ts', handler: 'handler' },
    batchSize: 10,
    maxBatchingWindowSeconds: 1,
    visibilityTimeoutSeconds: 60,
    maxReceiveCount: 5,
    // Mail is not urgent, and SES has a sending rate (14 mails a second for a new production account): five
    // batches of ten at once stay near it, a digest morning drains in minutes.
    maxConcurrency: 5,
  },
  {
    // Events one context publishes for others through the table's outbox (recognition revoked, establishment moved).
    id: 'domain-events',
    urlVariable: 'DOMAIN_EVENTS_QUEUE_URL',
    consumer: { entry: 'functions/agreements/events-consumer.ts', handler: 'handler' },
    batchSize: 10,
    maxBatchingWindowSeconds: 1,
    visibilityTimeoutSeconds: 60,
    maxReceiveCount: 5,
    // Few events (a revocation, a move), each a handful of task writes; five at once keeps them prompt.
    maxConcurrency: 5,
  },
  {
    // One standard queue for all partnerships: each message names its partnership and the consumer's task ids
    // are deterministic, so order and duplicates do not matter (a FIFO queue would only add throughput limits).
    id: 'kboChanges',
    urlVariable: 'KBO_CHANGES_QUEUE_URL',
    consumer: { entry: 'functions/kbo-changes/consumer.ts', handler: 'handler' },
    batchSize: 10,
    maxBatchingWindowSeconds: 5,
    visibilityTimeoutSeconds: 60,
    maxReceiveCount: 5,
    // The weekly sync can fan out thousands of changes at once at 03:00; their tasks are for the next working
    // day, so the minimum (two) lets the burst trickle through without competing with anything.
    maxConcurrency: 2,
  },
  {
    // One message per delivery attempt (functions/webhooks/delivery.ts). A failed attempt is not a failed message:
    // the consumer records it and sends the next retry as a new message with its delay (WEBHOOK_RETRY_DELAYS_SECONDS,
    // 8 attempts over about 23 hours), so maxReceiveCount only counts the consumer's own failures and the receives
    // of a delivery that used up its attempts, whose message then moves to the dead-letter queue (alarmed).
    id: 'webhooks',
    urlVariable: 'WEBHOOKS_QUEUE_URL',
    consumer: { entry: 'functions/webhooks/consumer.ts', handler: 'handler' },
    batchSize: 10,
    maxBatchingWindowSeconds: 1,
    // Ten attempts in parallel of at most WEBHOOK_TIMEOUT_MS (10 s) each, well within the function's 25 s.
    visibilityTimeoutSeconds: 60,
    maxReceiveCount: 3,
    // A slow receiver holds an invocation up to 10 s per attempt: five at once keeps fifty attempts in flight.
    maxConcurrency: 5,
  },
];

export const buckets: BucketDefinition[] = [
  // An upload lands under uploads/ and moves to documents/ once checked: what is never completed (its item
  // goes by the table's TTL after a day) is deleted here after a day, so no unchecked file (an extract) stays.
  { id: 'documents', nameVariable: 'DOCUMENTS_BUCKET', expirations: [{ prefix: 'uploads/', days: 1 }] },
  // The parts of a deployed Full import are copies of the Full, needed only while it runs (and for a re-run).
  { id: 'kboInbox', nameVariable: 'KBO_INBOX_BUCKET', expirations: [{ prefix: fullPartsPrefix, days: 30 }], eventBridge: true },
];

const reviewTasks = 'functions/recognitions/review-lambda.ts';
const syncTasks = 'functions/kbo-sync/sync-lambda.ts';
const fullImportTasks = 'functions/kbo-import/full-import-lambda.ts';

export const stateMachines: StateMachineDefinition[] = [
  {
    name: 'recognition-review',
    arnVariable: 'RECOGNITION_REVIEW_ARN',
    file: 'recognition-review.asl.json',
    functions: {
      NotifySubmittedFunction: { entry: reviewTasks, handler: 'notifySubmitted' },
      PlanReviewFunction: { entry: reviewTasks, handler: 'planReview' },
      SendReminderFunction: { entry: reviewTasks, handler: 'sendReminder' },
      EscalateFunction: { entry: reviewTasks, handler: 'escalate' },
    },
  },
  {
    name: 'kbo-sync',
    arnVariable: 'KBO_SYNC_ARN',
    file: 'kbo-sync.asl.json',
    functions: {
      PlanRunFunction: { entry: syncTasks, handler: 'planRun' },
      PrepareFileFunction: { entry: syncTasks, handler: 'prepareFile', timeoutSeconds: 300 },
      // A slice (KBO_SYNC_SLICE_BYTES of delta rows) must fit one invocation. The heap limit makes V8 collect
      // before it grows: the bench (infra/local/bench/kbo-sync.ts) runs the sync with these same flags.
      ApplySliceFunction: {
        entry: syncTasks,
        handler: 'applySlice',
        timeoutSeconds: 900,
        memorySize: 512,
        nodeOptions: '--max-old-space-size=192 --max-semi-space-size=4',
      },
    },
  },
  {
    // The deployed `kbo:import`: ops drops a Full zip under full/ in the KBO inbox (README, "KBO Full import").
    name: 'kbo-full-import',
    arnVariable: 'KBO_FULL_IMPORT_ARN',
    file: 'kbo-full-import.asl.json',
    functions: {
      // Reads the whole Full once and stages its parts on /tmp (the four members of a real Full are ~750 MB of
      // CSV), holding the Full's entity numbers in memory (~2 M enterprises and, for a reload, ~1.7 M
      // establishments: a few hundred MB). A real Full's split is a few minutes; the timeout is Lambda's maximum.
      PrepareFullFunction: { entry: fullImportTasks, handler: 'prepareFull', timeoutSeconds: 900, memorySize: 3008, ephemeralStorageMiB: 4096 },
      // One part (KBO_FULL_PART_BYTES of CSV, ~170,000 rows) per invocation: a few minutes at most.
      ApplyPartFunction: { entry: fullImportTasks, handler: 'applyPart', timeoutSeconds: 900, memorySize: 1024 },
      FinishFullFunction: { entry: fullImportTasks, handler: 'finishFull', timeoutSeconds: 300 },
    },
    distributedMap: { bucket: 'kboInbox', prefix: fullPartsPrefix },
    startOnUpload: { bucket: 'kboInbox', prefix: 'full/' },
  },
];

export const schedules: ScheduleDefinition[] = [
  {
    name: 'recognitions-daily',
    cron: 'cron(30 2 * * ? *)',
    timezone: 'Europe/Brussels',
    target: { function: { entry: 'functions/recognitions/daily-lambda.ts', handler: 'handler' } },
    retry: dailyRetry,
  },
  {
    name: 'agreements-daily',
    cron: 'cron(45 2 * * ? *)',
    timezone: 'Europe/Brussels',
    target: { function: { entry: 'functions/agreements/daily-lambda.ts', handler: 'handler' } },
    retry: dailyRetry,
  },
  {
    // Catches outbox events a producer could not send right after its transaction.
    name: 'outbox-dispatch',
    cron: 'cron(* * * * ? *)',
    timezone: 'Europe/Brussels',
    target: { function: { entry: 'functions/events/dispatch-lambda.ts', handler: 'handler' } },
    retry: minutelyRetry,
  },
  {
    // Weekly, Monday 03:00 Brussels time (the seeds' rhythm); KBO publishes daily, the run takes every Update
    // waiting in the inbox. Day-of-week 2 is Monday in EventBridge cron.
    name: 'kbo-sync',
    cron: 'cron(0 3 ? * 2 *)',
    timezone: 'Europe/Brussels',
    target: { stateMachine: 'kbo-sync' },
    // Weekly, and it resumes at its checkpoint: the daily policy's two hours are plenty.
    retry: dailyRetry,
  },
  {
    // After the recognitions' daily job, before office hours: the day's new and overdue dashboard tasks.
    name: 'tasks-digest',
    cron: 'cron(0 6 * * ? *)',
    timezone: 'Europe/Brussels',
    target: { function: { entry: 'functions/tasks/digest-lambda.ts', handler: 'handler' } },
    retry: dailyRetry,
  },
];

export const allRoutes = (): { context: ApiContext; route: RouteDefinition }[] =>
  apiContexts.flatMap((context) => context.routes.map((route) => ({ context, route })));
