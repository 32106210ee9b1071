// The event feeds of providers and partnerships (GET /v1/events; keys: keys.ts `feed`; access patterns: README.md).
// The audience of an outbox event is computed once, when it is dispatched (outbox.ts): one entry per organisation
// that may see it, written before the event leaves the outbox, so an event is in every feed it belongs to or still
// in the outbox (a crash in between dispatches it again; the `SEEN#` marker makes the second write a no-op).
//
// Order: each feed hands out positions 1, 2, 3, ... from its head item. An entry is written in one transaction with
// the head moving from n-1 to n (conditional on n-1), so entry n+1 cannot exist before entry n does: a reader that
// has read up to n never finds an entry with a smaller position later, whatever the number of dispatchers. Two
// dispatchers on the same feed at once: one transaction fails its condition and tries again with the next position.
// Retention: entries and markers carry a TTL of feedRetentionDays; the reader also skips an expired entry, because
// TTL deletion lags (and DynamoDB Local does not delete at all).
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { CloudEvent } from '../../events/cloud-event.ts';
import type { DomainEvent } from '../../events/domain-event.ts';
import type { Dependencies } from '../adapters/dependencies.ts';
import { kboDigits } from '../domain/identifiers.ts';
import { audienceOf, cloudEventOf, feedRetentionDays, needsProvidersAt } from '../domain/feed.ts';
import { runningAgreementsOn } from './agreements.ts';
import { feed } from './keys.ts';
import { findRecognitions } from './recognitions.ts';

/** One organisation's entry of one event: what the feed serves and the webhooks deliver. */
export type FeedEntry = { organisationKey: string; event: CloudEvent };

/**
 * The providers with a learner at an establishment: those of the running agreements on any recognition there
 * (one Query of the establishment's recognitions, one Query per recognition; a workplace has a handful).
 */
async function providersAt(deps: Dependencies, establishmentNumber: string): Promise<string[]> {
  const recognitions = await findRecognitions(deps, kboDigits(establishmentNumber), undefined);
  const running = await Promise.all(recognitions.map((r) => runningAgreementsOn(deps, r.id)));
  return [...new Set(running.flat().map((link) => link.providerId))];
}

/** For one dispatched outbox event: its CloudEvent and each organisation that may see it (none for other events). */
export async function feedEntriesOf(deps: Dependencies, event: DomainEvent): Promise<FeedEntry[]> {
  const cloudEvent = cloudEventOf(event);
  if (!cloudEvent) return [];
  const establishment = needsProvidersAt(event);
  const providersAtEstablishment = establishment ? await providersAt(deps, establishment) : [];
  return audienceOf(event, { providersAtEstablishment }).map((organisationKey) => ({ organisationKey, event: cloudEvent }));
}

const maxAttempts = 8;

/** Appends the event to one feed, once: false when the feed has it already. */
async function appendEntry(deps: Dependencies, entry: FeedEntry): Promise<boolean> {
  const table = deps.config.TABLE_NAME;
  const org = entry.organisationKey;
  const ttl = Math.floor(deps.clock.now().getTime() / 1000) + feedRetentionDays * 86_400;
  for (let attempt = 1; ; attempt++) {
    const head = await deps.db.send(new GetCommand({ TableName: table, Key: feed.head(org), ConsistentRead: true }));
    const current = Number(head.Item?.position ?? 0);
    const position = current + 1;
    try {
      await deps.db.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: table, Item: { ...feed.seen(org, entry.event.id), position, ttl }, ConditionExpression: 'attribute_not_exists(pk)' } },
            {
              Put: {
                TableName: table,
                Item: { ...feed.head(org), position },
                ConditionExpression: current === 0 ? 'attribute_not_exists(pk)' : '#position = :current',
                ...(current === 0 ? {} : { ExpressionAttributeNames: { '#position': 'position' }, ExpressionAttributeValues: { ':current': current } }),
              },
            },
            {
              Put: {
                TableName: table,
                Item: { ...feed.entry(org, position), position, event: entry.event, dispatchedAt: deps.clock.now().toISOString(), ttl },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      // The marker exists: this event is in this feed already (a dispatch retried after a crash).
      if (reasons[0]?.Code === 'ConditionalCheckFailed') return false;
      // Another dispatcher took the position (the head moved) or wrote the feed at the same moment: next position.
      if (attempt >= maxAttempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5 * 2 ** attempt * Math.random()));
    }
  }
}

/** Writes each entry to its feed (idempotent per event and organisation); returns how many were new. */
export async function writeFeedEntries(deps: Dependencies, entries: readonly FeedEntry[]): Promise<number> {
  let written = 0;
  for (const entry of entries) if (await appendEntry(deps, entry)) written += 1;
  return written;
}

export type FeedPage = { events: CloudEvent[]; position: number };

/**
 * The entries of one organisation's feed after `position`, in order (one Query): the events, and the position to
 * read on from (the last entry read, or `position` itself when there was none yet).
 */
export async function readFeed(deps: Dependencies, organisationKey: string, position: number, limit: number): Promise<FeedPage> {
  const result = await deps.db.send(
    new QueryCommand({
      TableName: deps.config.TABLE_NAME,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':pk': feed.pk(organisationKey),
        ':from': feed.entrySk(position + 1),
        ':to': `${feed.entrySkPrefix}~`,
      },
      Limit: limit,
    }),
  );
  const items = result.Items ?? [];
  const now = Math.floor(deps.clock.now().getTime() / 1000);
  const events = items.filter((item) => Number(item.ttl) > now).map((item) => item.event as CloudEvent);
  return { events, position: items.length ? Number(items.at(-1)!.position) : position };
}
