// Every key of the one table, built in one place: the repositories import these, nothing else writes a key
// literal (shared/data/layers.test.ts fails on one anywhere else). The access patterns are in README.md next to
// this file. KBO numbers in keys are the 10 digits without dots; values keep the official formatted form.
import { kboDigits as digits } from '../domain/identifiers.ts';

export type TableKey = { pk: string; sk: string };

/** The enterprise's item collection: its KBO item (the profile) and its mandates. */
export const enterprise = {
  pk: (enterpriseNumber: string) => `ENT#${digits(enterpriseNumber)}`,
  /** The enterprise's one KBO item: its record, its names and its addresses. */
  profile: (enterpriseNumber: string): TableKey => ({ pk: enterprise.pk(enterpriseNumber), sk: 'PROFILE' }),
  /** gsi1: the enterprise's applications, agreements, appeals and sanctions (`<kind>#<id>`), and its KBO entities (`KBO#…`). */
  index: (enterpriseNumber: string) => `ENT#${digits(enterpriseNumber)}`,
};

/**
 * KBO data: one item per KBO entity, each at a key computed from its own number (what a sync reads with
 * BatchGets). The enterprise item is `ENT#<enterprise>` / `PROFILE`, an establishment's `EST#<establishment>` /
 * `KBO` (next to its recognition links). Both are in gsi1 `ENT#<enterprise>` under `KBO#…`, so one Query reads an
 * enterprise with its establishments.
 */
export const kbo = {
  establishment: (establishmentNumber: string): TableKey => ({ pk: `EST#${digits(establishmentNumber)}`, sk: 'KBO' }),
  /** gsi1 sort keys in the enterprise's partition: the enterprise first, then its establishments. */
  enterpriseIndexSk: 'KBO#',
  establishmentIndexSk: (establishmentNumber: string) => `KBO#EST#${digits(establishmentNumber)}`,
  entitiesIndexSkPrefix: 'KBO#',
  establishmentsIndexSkPrefix: 'KBO#EST#',
  /** The recognitions ever decided on an establishment. */
  recognitionLinks: (establishmentNumber: string): TableKey => ({ pk: `EST#${digits(establishmentNumber)}`, sk: 'RECOGNITIONS' }),
  extractsPk: 'KBO#EXTRACT',
  extract: (extractNumber: number): TableKey => ({ pk: 'KBO#EXTRACT', sk: String(extractNumber).padStart(6, '0') }),
  checkpointPk: 'KBO#SYNC',
  checkpoint: (extractNumber: number): TableKey => ({ pk: 'KBO#SYNC', sk: String(extractNumber).padStart(6, '0') }),
  /** A deployed Full import (the kbo-full-import state machine): its run, and one marker per applied part. */
  fullImport: (extractNumber: number): TableKey => ({ pk: 'KBO#FULLIMPORT', sk: String(extractNumber).padStart(6, '0') }),
  fullImportPartsPk: (extractNumber: number) => `KBO#FULLIMPORT#${String(extractNumber).padStart(6, '0')}`,
  fullImportPart: (extractNumber: number, part: number): TableKey => ({
    pk: `KBO#FULLIMPORT#${String(extractNumber).padStart(6, '0')}`,
    sk: `PART#${String(part).padStart(5, '0')}`,
  }),
  /**
   * gsi2 of an enterprise item and of an establishment item: every KBO entity the table knows, in 100 partitions
   * per kind (by the number's last two digits, so an import's writes spread), for a reconciling Full reload to
   * list them with Queries. Sort key: the 10 digits.
   */
  entityIndex: (kind: 'enterprise' | 'establishment', digits10: string) => kbo.entityIndexOf(kind, digits10.slice(-2)),
  entityIndexOf: (kind: 'enterprise' | 'establishment', shard: string) => `KBOENTITY#${kind === 'enterprise' ? 'E' : 'S'}#${shard}`,
  entityIndexShards: Array.from({ length: 100 }, (_, n) => String(n).padStart(2, '0')),
  /**
   * gsi3 (sparse): an enterprise by its main name at its seat's postcode, an establishment with a name of its own at
   * its postcode, so a name search is one Query of one postcode with a prefix of the normalised name. The sort key
   * ends with the 10 digits: two entities of one name stay apart. The name is cut so the key stays far under
   * DynamoDB's 1024 bytes.
   */
  nameIndex: (postcode: string) => `KBONAME#${postcode}`,
  nameIndexSk: (normalisedName: string, digits10: string) => `${normalisedName.slice(0, nameIndexLength)}#${digits10}`,
  nameIndexSkPrefix: (normalisedName: string) => normalisedName.slice(0, nameIndexLength),
};
const nameIndexLength = 200;

export const kboChange = {
  key: (id: string): TableKey => ({ pk: `KBOCHANGE#${id}`, sk: 'CHANGE' }),
  /** gsi1: a partnership's changes by status; gsi2: the changes of one slice of one extract. */
  partnershipIndex: (partnershipId: string) => `KBOCHANGES#${partnershipId}`,
  partnershipIndexSk: (status: string, detectedAt: string, id: string) => `${status}#${detectedAt}#${id}`,
  partnershipIndexStatusPrefix: (status: string) => `${status}#`,
  sliceIndex: (extractNumber: number) => `KBOSYNC#${extractNumber}`,
  sliceIndexSk: (slice: number, id: string) => `${sliceIndexPrefix(slice)}${id}`,
  sliceIndexPrefix: (slice: number) => sliceIndexPrefix(slice),
};
const sliceIndexPrefix = (slice: number) => `${String(slice).padStart(5, '0')}#`;

export const reference = {
  pk: (kind: string) => `REF#${kind}`,
  key: (kind: string, id: string): TableKey => ({ pk: `REF#${kind}`, sk: id }),
};

/** The history of a file lives in the file's own collection: `<file pk>` / `HIST#<instant>#<ulid>`. */
export const history = {
  sk: (at: string, unique: string) => `HIST#${at}#${unique}`,
  skPrefix: 'HIST#',
};

export const application = {
  pk: (id: string) => `APP#${id}`,
  key: (id: string): TableKey => ({ pk: `APP#${id}`, sk: 'APP' }),
  enterpriseIndexSk: (id: string) => `APP#${id}`,
  enterpriseIndexSkPrefix: 'APP#',
  /** gsi2: the partnership's work lists by status. */
  partnershipIndex: (partnershipId: string) => `PARTNERSHIP#${partnershipId}`,
  partnershipIndexSk: (status: string, submittedAt: string | null, id: string) => `${status}#${submittedAt ?? ''}#${id}`,
  partnershipIndexStatusPrefix: (status: string) => `${status}#`,
  /** At most one open application or active recognition per establishment and programme. */
  lock: (establishmentNumber: string, programmeId: string): TableKey => ({ pk: `LOCK#${digits(establishmentNumber)}#${programmeId}`, sk: 'LOCK' }),
  /** The files whose extracts and mentor numbers go on a day (60 days after the decision). */
  retentionOn: (day: string, applicationId: string): TableKey => ({ pk: `RETENTION#${day}`, sk: applicationId }),
  retentionOnPk: (day: string) => `RETENTION#${day}`,
};

export const recognition = {
  pk: (id: string) => `REC#${id}`,
  key: (id: string): TableKey => ({ pk: `REC#${id}`, sk: 'REC' }),
  /** gsi1: the recognitions of an establishment, per programme and start date. */
  establishmentIndex: (establishmentNumber: string) => `EST#${digits(establishmentNumber)}`,
  establishmentIndexSk: (programmeId: string, startDate: string) => `REC#${programmeId}#${startDate}`,
  establishmentIndexSkPrefix: (programmeId?: string) => (programmeId ? `REC#${programmeId}#` : 'REC#'),
  /** gsi2: the public search, per programme by postcode. */
  workplaceIndex: (programmeId: string) => `WORKPLACE#${programmeId}`,
  workplaceIndexSk: (postcode: string | null, id: string) => `${postcode ?? '0000'}#${id}`,
  workplaceIndexPostcodePrefix: (postcode: string) => `${postcode}#`,
  /** The recognitions ending in a month, for the daily job (renewal tasks, expiry, retention). */
  endsIn: (endDate: string, id: string): TableKey => ({ pk: `RECENDS#${endDate.slice(0, 7)}`, sk: `${endDate}#${id}` }),
  endsInPk: (month: string) => `RECENDS#${month}`,
  counter: { pk: 'COUNTER#RECOGNITION', sk: 'COUNTER' } satisfies TableKey,
  /** The recognitions that name one person as a mentor (by the person key, never the national number). */
  personMentorPk: (personKey: string) => `MENTORPERSON#${personKey}`,
  personMentor: (personKey: string, recognitionId: string, mentorId: string): TableKey => ({
    pk: `MENTORPERSON#${personKey}`,
    sk: `REC#${recognitionId}#${mentorId}`,
  }),
};

export const sanction = {
  key: (id: string): TableKey => ({ pk: `SANCTION#${id}`, sk: 'SANCTION' }),
  enterpriseIndexSk: (id: string) => `SANCTION#${id}`,
  /** An exclusion by one organisation (`partnership:<id>` or `department:dwse`) of an establishment or enterprise. */
  exclusion: (level: 'establishment' | 'enterprise', number: string, byOrganisation: string): TableKey => ({
    pk: `EXCLUSION#${level === 'establishment' ? 'EST' : 'ENT'}#${digits(number)}`,
    sk: byOrganisation,
  }),
};

export const appeal = {
  key: (id: string): TableKey => ({ pk: `APPEAL#${id}`, sk: 'APPEAL' }),
  enterpriseIndexSk: (id: string) => `APPEAL#${id}`,
  enterpriseIndexSkPrefix: 'APPEAL#',
  /** gsi2: every appeal, for the department's list, by status and receipt. */
  listIndex: 'APPEALS',
  listIndexSk: (status: string, receivedAt: string, id: string) => `${status}#${receivedAt}#${id}`,
  listIndexStatusPrefix: (status: string) => `${status}#`,
  /** Held by the one open appeal against a decision (a file's) or a sanction, until its outcome or inadmissibility. */
  openMarker: (against: 'decision' | 'sanction', id: string): TableKey => ({ pk: `APPEALOPEN#${against}#${id}`, sk: 'OPEN' }),
};

export const mandate = {
  key: (enterpriseNumber: string, providerId: string): TableKey => ({ pk: `ENT#${digits(enterpriseNumber)}`, sk: `MANDATE#${providerId}` }),
  skPrefix: 'MANDATE#',
  /** gsi1: the provider's mandates. */
  providerIndex: (providerId: string) => `PROVIDER#${providerId}`,
  providerIndexSk: (enterpriseNumber: string) => `MANDATE#${digits(enterpriseNumber)}`,
};

export const document = {
  key: (id: string): TableKey => ({ pk: `DOC#${id}`, sk: 'DOC' }),
};

export const agreement = {
  pk: (id: string) => `AGR#${id}`,
  key: (id: string): TableKey => ({ pk: `AGR#${id}`, sk: 'AGR' }),
  /** The sort key of an agreement in another collection (the enterprise's, the provider's, a recognition's, a learner's). */
  sk: (id: string) => `AGR#${id}`,
  skPrefix: 'AGR#',
  providerIndex: (providerId: string) => `PROVIDER#${providerId}`,
  taskRef: (agreementId: string, taskId: string): TableKey => ({ pk: `AGR#${agreementId}`, sk: `TASKREF#${taskId}` }),
  taskRefSkPrefix: 'TASKREF#',
  /** A learner's agreements and premiums, under the keyed hash of the national number (never the number). */
  learnerPk: (personKey: string) => `LEARNER#${personKey}`,
  learner: (personKey: string, agreementId: string): TableKey => ({ pk: `LEARNER#${personKey}`, sk: `AGR#${agreementId}` }),
  /** The running agreements on a recognition, in the recognition's item collection. */
  runningOnPk: (recognitionId: string) => `REC#${recognitionId}`,
  runningOn: (recognitionId: string, agreementId: string): TableKey => ({ pk: `REC#${recognitionId}`, sk: `AGR#${agreementId}` }),
  mentorSlots: (mentorId: string): TableKey => ({ pk: `SLOTS#MENTOR#${mentorId}`, sk: 'SLOTS' }),
  establishmentSlots: (establishmentNumber: string): TableKey => ({ pk: `SLOTS#EST#${digits(establishmentNumber)}`, sk: 'SLOTS' }),
  premium: (agreementId: string, kind: string): TableKey => ({ pk: `PREMIUM#${agreementId}#${kind}`, sk: 'PREMIUM' }),
  /** gsi1: the premiums that qualify, per school year, for the paying system. */
  premiumsIndex: (schoolYear: string) => `PREMIUMS#${schoolYear}`,
  premiumsIndexSk: (at: string, agreementId: string, kind: string) => `${at}#${agreementId}#${kind}`,
  /** Day markers of the daily job, one Query per day: a draft's expiry warning, a running agreement's end, a learner's erasure. */
  markerPk: {
    draftWarning: (day: string) => `DRAFTWARN#${day}`,
    endsOn: (day: string) => `AGREND#${day}`,
    /** An `ending` agreement's recorded end: the job ends it on that day. */
    endingOn: (day: string) => `AGRENDING#${day}`,
    learnerErasure: (day: string) => `ERASELEARNER#${day}`,
  },
  marker: (kind: AgreementMarker, day: string, agreementId: string): TableKey => ({ pk: agreement.markerPk[kind](day), sk: `AGR#${agreementId}` }),
};
export type AgreementMarker = 'draftWarning' | 'endsOn' | 'endingOn' | 'learnerErasure';

export const task = {
  key: (organisationKey: string, id: string): TableKey => ({ pk: `TASKS#${organisationKey}`, sk: `TASK#${id}` }),
  counts: (organisationKey: string): TableKey => ({ pk: `TASKS#${organisationKey}`, sk: task.countsSk }),
  /** gsi1 while open, by due date (the counter item first); gsi2 of the counter: every organisation that had a task. */
  openIndex: (organisationKey: string) => `OPENTASKS#${organisationKey}`,
  openIndexSk: (dueDate: string | null, id: string) => `${dueDate ?? '9999-12-31'}#${id}`,
  /** The counter item's place in the open-task partition: before every due date, so a dashboard's first page starts with it. */
  countsOpenIndexSk: '0000-00-00#COUNTS',
  countsSk: 'COUNTS',
  organisationsIndex: 'TASKORGS',
};

export const user = {
  profile: (userId: string): TableKey => ({ pk: `USER#${userId}`, sk: 'PROFILE' }),
  membership: (organisationKey: string, userId: string): TableKey => ({ pk: `ORGUSERS#${organisationKey}`, sk: `USER#${userId}` }),
  membersPk: (organisationKey: string) => `ORGUSERS#${organisationKey}`,
};

export const outbox = {
  key: (eventId: string): TableKey => ({ pk: `EVENT#${eventId}`, sk: 'EVENT' }),
  /** gsi1 while not dispatched, oldest first. */
  index: 'OUTBOX',
  indexSk: (createdAt: string, eventId: string) => `${createdAt}#${eventId}`,
};

/**
 * One organisation's event feed (shared/data/feed.ts): its head (the last position given out), its entries by
 * position (zero-padded, so the sort key orders them), and one marker per event it holds (an event is written once).
 */
export const feed = {
  pk: (organisationKey: string) => `FEED#${organisationKey}`,
  head: (organisationKey: string): TableKey => ({ pk: feed.pk(organisationKey), sk: 'HEAD' }),
  entrySkPrefix: 'POS#',
  entrySk: (position: number) => `POS#${String(position).padStart(12, '0')}`,
  entry: (organisationKey: string, position: number): TableKey => ({ pk: feed.pk(organisationKey), sk: feed.entrySk(position) }),
  seen: (organisationKey: string, eventId: string): TableKey => ({ pk: feed.pk(organisationKey), sk: `SEEN#${eventId}` }),
};

export const idempotency = {
  key: (scopeHash: string): TableKey => ({ pk: `IDEMPOTENCY#${scopeHash}`, sk: 'IDEMPOTENCY' }),
};

/**
 * A machine client's requests in one second (the per-client limit, shared/data/client-rates.ts): one item per client
 * and second, so a busy client's counters spread over partitions; TTL removes them after two minutes.
 */
export const clientRate = {
  window: (clientId: string, epochSecond: number): TableKey => ({ pk: `CLIENTRATE#${clientId}#${epochSecond}`, sk: 'RATE' }),
  /** For the IAM condition that lets an otherwise read-only function write only these counters. */
  pkPrefix: 'CLIENTRATE#',
};

/**
 * Webhooks: an organisation's subscriptions in one partition (its list and the fan-out of an event read it with one
 * Query); a delivery (one event for one subscription) under its deterministic id, and in gsi1 under its
 * subscription, newest last, for the delivery log.
 */
export const webhook = {
  subscriptionsPk: (organisationKey: string) => `WEBHOOKSUBS#${organisationKey}`,
  subscription: (organisationKey: string, id: string): TableKey => ({ pk: webhook.subscriptionsPk(organisationKey), sk: `SUBSCRIPTION#${id}` }),
  subscriptionSkPrefix: 'SUBSCRIPTION#',
  delivery: (deliveryId: string): TableKey => ({ pk: `WEBHOOKDELIVERY#${deliveryId}`, sk: 'DELIVERY' }),
  deliveriesIndex: (subscriptionId: string) => `WEBHOOKDELIVERIES#${subscriptionId}`,
  deliveriesIndexSk: (createdAt: string, deliveryId: string) => `${createdAt}#${deliveryId}`,
};

export const mail = {
  sent: (notificationId: string): TableKey => ({ pk: `MAIL#${notificationId}`, sk: 'MAIL' }),
};

/** The local stage's items: its marker (written at start: what tells a CLI that a table is this project's) and its seed's. */
export const localStage = {
  marker: { pk: 'LOCAL#STAGE', sk: 'MARKER' } satisfies TableKey,
  seeded: { pk: 'LOCAL#SEED', sk: 'SEED' } satisfies TableKey,
};
