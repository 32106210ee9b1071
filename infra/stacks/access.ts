// What each function's code may touch, by Lambda entry file: the least privilege its handlers need.
// Every function still gets every variable of shared/config.ts (loadConfig requires them all); a variable
// is a name, not a permission. A new entry in infra/topology.ts fails the synth until it is listed here,
// so nobody gets broad access by default.
import { Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { bindBucket, bindHmacKey, bindQueue, bindStateMachine, bindTable, bindTableCounters, type AppFunction } from '../constructs/function.ts';
import { clientRate } from '../../shared/data/keys.ts';
import type { BucketDefinition } from '../topology.ts';
import { stateMachineArn, type Resources } from './environment.ts';
import type { StageSettings } from './settings.ts';

export type FunctionAccess = {
  table: 'read' | 'readwrite';
  buckets?: Partial<Record<BucketDefinition['id'], 'read' | 'readwrite' | 'delete'>>;
  /** Queue ids (QueueDefinition.id) the function sends to. */
  sendTo?: string[];
  /** State machine names (StateMachineDefinition.name) the function starts. */
  startStateMachines?: string[];
  /** Sends e-mail through SES as MAIL_FROM. */
  sendEmail?: boolean;
  /**
   * Derives keys from the KMS HMAC key (kms:GenerateMac): every API function, to seal and open list cursors,
   * and whatever computes a learner's key from a national number.
   */
  deriveKeys?: boolean;
  /**
   * Counts the requests of machine clients (shared/data/client-rates.ts): UpdateItem on the `CLIENTRATE#` counters
   * only, for a function whose table access is otherwise `read`. A function with routes that accept scopes needs it
   * or `readwrite` (the API stack refuses to synthesise otherwise).
   */
  countClientRequests?: boolean;
};

export type AccessCatalogue = Record<string, FunctionAccess>;

export const functionAccess: AccessCatalogue = {
  // Mandates and idempotency records are written; reference data and KBO lookups are read. A registered,
  // confirmed or revoked mandate e-mails the enterprise or the provider (the notifications queue).
  'functions/organisations/lambda.ts': { table: 'readwrite', sendTo: ['notifications'], deriveKeys: true },
  // Presigned POST uploads are signed with the function's role: it needs PutObject (and the key) itself.
  // No list, so no cursor to seal, and no learner key: no keyring.
  'functions/documents/lambda.ts': { table: 'readwrite', buckets: { documents: 'readwrite' } },
  // Submitting starts a review round; decisions, sanctions and appeals notify the parties.
  'functions/recognitions/lambda.ts': {
    table: 'readwrite',
    sendTo: ['notifications', 'domain-events', 'webhooks'],
    startStateMachines: ['recognition-review'],
    deriveKeys: true,
  },
  // Agreements open and close their counsellors' tasks and notify the counsellor of long suspensions and early ends.
  // Each change's event is dispatched right after it (outbox dispatchSoon): the domain events and the webhooks.
  'functions/agreements/lambda.ts': { table: 'readwrite', sendTo: ['notifications', 'domain-events', 'webhooks'], deriveKeys: true },
  // The agreement and addendum PDFs only read: the agreement, KBO, the recognition and the reference data. No list,
  // so no cursor to seal, and no learner key: no keyring.
  'functions/agreements/documents-lambda.ts': { table: 'read' },
  // Warns about expiring work versions and ends agreements past their end date (which updates the learner's item),
  // then dispatches the run's events (outbox dispatchSoon).
  'functions/agreements/daily-lambda.ts': { table: 'readwrite', deriveKeys: true, sendTo: ['notifications', 'domain-events', 'webhooks'] },
  // Opens the counsellors' tasks for revoked recognitions and moved establishments.
  'functions/agreements/events-consumer.ts': { table: 'readwrite' },
  // Writes outbox events to the event feeds of their audience and hands them to the webhook deliveries, sends them to the domain-events queue and marks them sent.
  'functions/events/dispatch-lambda.ts': { table: 'readwrite', sendTo: ['domain-events', 'webhooks'] },
  // The dashboard lists tasks; the user's digest preference is written.
  'functions/tasks/lambda.ts': { table: 'readwrite', deriveKeys: true },
  // The daily digest marks each organisation digested and e-mails its users.
  'functions/tasks/digest-lambda.ts': { table: 'readwrite', sendTo: ['notifications'] },
  // Marks each message sent (idempotency) and sends it with SES.
  'functions/notifications/consumer.ts': { table: 'readwrite', sendEmail: true },
  // Review tasks read and update the application and e-mail the partnership.
  'functions/recognitions/review-lambda.ts': { table: 'readwrite', sendTo: ['notifications'] },
  // The daily job deletes documents whose retention ended, opens tasks and sends notices, then dispatches the run's
  // events (expiries, suspensions: outbox dispatchSoon).
  'functions/recognitions/daily-lambda.ts': { table: 'readwrite', buckets: { documents: 'delete' }, sendTo: ['notifications', 'domain-events', 'webhooks'] },
  // KBO sync tasks: list and read the inbox zips (ranged GETs), apply them to the table, send the changes, and
  // write each file's report next to it (reports/).
  'functions/kbo-sync/sync-lambda.ts': { table: 'readwrite', buckets: { kboInbox: 'readwrite' }, sendTo: ['kboChanges'] },
  // The deployed Full import: reads the Full and writes its parts, manifest and reports in the inbox; a reconciling
  // reload sends its changes like the sync.
  'functions/kbo-import/full-import-lambda.ts': { table: 'readwrite', buckets: { kboInbox: 'readwrite' }, sendTo: ['kboChanges'] },
  // Turns KBO change messages into partnership tasks.
  'functions/kbo-changes/consumer.ts': { table: 'readwrite' },
  // Change review: decisions revoke or update recognitions (with outbox events) and e-mail the enterprise; the
  // department reads the files' reports.
  'functions/kbo-changes/lambda.ts': {
    table: 'readwrite',
    buckets: { kboInbox: 'read' },
    sendTo: ['notifications', 'domain-events', 'webhooks'],
    deriveKeys: true,
  },
  // Subscriptions and the delivery log; a redelivery puts its first attempt on the webhooks queue. Lists: cursors.
  'functions/webhooks/lambda.ts': { table: 'readwrite', sendTo: ['webhooks'], deriveKeys: true, countClientRequests: true },
  // Records each attempt on its delivery and puts the next retry back on its own queue, with a delay.
  'functions/webhooks/consumer.ts': { table: 'readwrite', sendTo: ['webhooks'] },
  // Verification only reads; its one write is each machine client's request counter.
  'functions/verifications/lambda.ts': { table: 'read', countClientRequests: true },
  // The event feed reads the organisation's feed (the dispatcher writes it) and seals its cursors; its one write
  // is each machine client's request counter.
  'functions/events/lambda.ts': { table: 'read', countClientRequests: true, deriveKeys: true },
};

export function accessFor(catalogue: AccessCatalogue, entry: string): FunctionAccess {
  const access = catalogue[entry];
  if (!access) {
    throw new Error(
      `${entry} has no entry in infra/stacks/access.ts: list what it may touch (table, buckets, queues, state machines, e-mail, keys) before it can be deployed.`,
    );
  }
  return access;
}

/** Grants a function what its catalogue entry lists, setting each resource's variable on the way. */
export function grantAccess(input: { fn: AppFunction; access: FunctionAccess; settings: StageSettings; resources: Resources }): void {
  const { fn, access, settings, resources } = input;
  const where = `infra/stacks/access.ts (${fn.name})`;
  bindTable({ fn, table: resources.table, access: access.table });
  for (const [id, level] of Object.entries(access.buckets ?? {})) {
    const definition = resources.bucketDefinitions.find((b) => b.id === id);
    if (!definition || !level) throw new Error(`${where}: unknown bucket "${id}"`);
    bindBucket({ fn, bucket: resources.buckets[definition.id], variable: definition.nameVariable, access: level });
  }
  for (const queueId of access.sendTo ?? []) {
    const found = resources.queues.find((q) => q.definition.id === queueId);
    if (!found) throw new Error(`${where}: unknown queue "${queueId}"`);
    bindQueue({ fn, queue: found.queue, variable: found.definition.urlVariable, access: 'send' });
  }
  for (const name of access.startStateMachines ?? []) {
    const machine = resources.stateMachineDefinitions.find((m) => m.name === name);
    if (!machine) throw new Error(`${where}: unknown state machine "${name}"`);
    bindStateMachine({ fn, arn: stateMachineArn(fn, settings.stage, machine), variable: machine.arnVariable, access: 'start' });
  }
  if (access.deriveKeys) bindHmacKey({ fn, key: resources.hmacKey });
  if (access.countClientRequests && access.table === 'read') {
    bindTableCounters({ fn, table: resources.table, prefix: clientRate.pkPrefix });
  }
  if (access.sendEmail) {
    // SES authorises the sender identity: the verified domain or the verified address, whichever exists.
    const stack = Stack.of(fn);
    const domain = settings.mailFrom.split('@')[1]!;
    fn.function.addToRolePolicy(
      new PolicyStatement({
        actions: ['ses:SendEmail', 'ses:SendRawEmail'],
        resources: [
          stack.formatArn({ service: 'ses', resource: 'identity', resourceName: domain }),
          stack.formatArn({ service: 'ses', resource: 'identity', resourceName: settings.mailFrom }),
        ],
      }),
    );
  }
}
