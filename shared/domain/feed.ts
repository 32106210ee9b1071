// The event feed's rules (GET /v1/events, and the webhooks that deliver the same events): which outbox event
// becomes which CloudEvent, and which organisations may see it. Pure: the facts of the audience (which providers
// have learners at an establishment) are read by shared/data/feed.ts. Also the builders of the outbox events the
// feed needs, so every producer writes them alike.
import { type CloudEvent, eventTypePrefix, type FeedEventType } from '../../events/cloud-event.ts';
import type { AgreementChanged } from '../../events/agreement-changed.ts';
import type { DomainEvent } from '../../events/domain-event.ts';
import type { MentorWithdrawn } from '../../events/mentor-withdrawn.ts';
import type { RecognitionChanged } from '../../events/recognition-changed.ts';
import type { Agreement } from './agreements.ts';
import { organisationKey } from './organisations.ts';
import { recognitionPathId, withoutValidMentor, type Recognition } from './recognitions.ts';

/** How long a feed keeps an entry (by TTL): a reader that stays away longer misses what is older. */
export const feedRetentionDays = 90;

export function recognitionChangedEvent(
  r: Recognition,
  change: RecognitionChanged['change'],
  at: string,
  links: { renewsRecognitionId?: string | null; appealId?: string | null; eventId?: string } = {},
): RecognitionChanged {
  return {
    type: 'recognition-changed',
    // One per recognition and change, unless the caller names the occasion (an appeal, a version).
    eventId: links.eventId ?? `${recognitionPathId(r.id)}-${change}`,
    change,
    recognitionId: r.id,
    enterpriseNumber: r.enterpriseNumber,
    establishmentNumber: r.establishmentNumber,
    programmeId: r.programmeId,
    partnershipId: r.partnershipId,
    startDate: r.startDate,
    endDate: r.endDate,
    renewsRecognitionId: links.renewsRecognitionId ?? null,
    appealId: links.appealId ?? null,
    at,
  };
}

/**
 * `suspended` for an active recognition none of whose mentors counts on `today`, once per version of the
 * recognition: its id names the version, so the change that caused it (a withdrawal, a deactivation, in its own
 * transaction) and the nightly job (which also sees a training deadline pass) record the same event and whichever
 * comes second finds it recorded. A later lapse, after a change (a new version), is another event.
 */
export function suspensionEvent(r: Recognition, today: string, at: string): RecognitionChanged | undefined {
  if (!withoutValidMentor(r, today)) return undefined;
  return recognitionChangedEvent(r, 'suspended', at, { eventId: `${recognitionPathId(r.id)}-suspended-v${r.version}` });
}

export const mentorWithdrawnEvent = (r: Recognition, mentorId: string, sanction: { id: string; decidedAt: string }): MentorWithdrawn => ({
  type: 'mentor-withdrawn',
  eventId: `${sanction.id}-${recognitionPathId(r.id)}-${mentorId}`,
  recognitionId: r.id,
  mentorId,
  enterpriseNumber: r.enterpriseNumber,
  establishmentNumber: r.establishmentNumber,
  programmeId: r.programmeId,
  partnershipId: r.partnershipId,
  sanctionId: sanction.id,
  withdrawnAt: sanction.decidedAt,
});

/**
 * An agreement's change for its provider's systems. The event id names the agreement and the version it was saved
 * at: one per change, and a retried transaction of the same change writes the same id.
 */
export function agreementChangedEvent(
  saved: Agreement,
  change: AgreementChanged['change'],
  at: string,
  suspension: { from: string; to: string } | null = null,
): AgreementChanged {
  return {
    type: 'agreement-changed',
    eventId: `${saved.id}-v${saved.version}-${change}`,
    change,
    agreementId: saved.id,
    providerId: saved.providerId,
    enterpriseNumber: saved.enterpriseNumber,
    establishmentNumber: saved.establishmentNumber,
    programmeId: saved.programmeId,
    recognitionId: saved.recognitionId,
    startDate: saved.startDate,
    endDate: saved.endDate,
    suspension,
    ending: change === 'ended' && saved.ending ? { kind: saved.ending.kind, date: saved.ending.date } : null,
    at,
  };
}

/** The feed type of an outbox event; undefined for events that are not for school systems (premiums, moves). */
export function feedTypeOf(event: DomainEvent): FeedEventType | undefined {
  switch (event.type) {
    case 'recognition-revoked':
      return 'recognition.revoked';
    case 'recognition-changed':
      return `recognition.${event.change}`;
    case 'mentor-withdrawn':
      return 'mentor.withdrawn';
    case 'agreement-changed':
      return `agreement.${event.change}`;
    case 'kbo-change-decided':
      return 'kbo-change.decided';
    default:
      return undefined;
  }
}

const timeOf = (event: DomainEvent): string => {
  switch (event.type) {
    case 'recognition-revoked':
      return event.revokedAt;
    case 'mentor-withdrawn':
      return event.withdrawnAt;
    case 'kbo-change-decided':
    case 'establishment-address-changed':
      return event.decidedAt;
    case 'premium-requested':
      return event.requestedAt;
    default:
      return event.at;
  }
};

const subjectOf = (event: DomainEvent): string => {
  if (event.type === 'agreement-changed') return `agreements/${event.agreementId}`;
  if (event.type === 'kbo-change-decided') return `kbo-changes/${event.changeId}`;
  if ('recognitionId' in event) return `recognitions/${recognitionPathId(event.recognitionId)}`;
  return `events/${event.eventId}`;
};

/** The CloudEvent of an outbox event: the outbox id as its id, the event's fields (without the envelope's) as data. */
export function cloudEventOf(event: DomainEvent): CloudEvent | undefined {
  const type = feedTypeOf(event);
  if (!type) return undefined;
  const { type: _type, eventId, ...data } = event;
  const subject = subjectOf(event);
  return {
    specversion: '1.0',
    id: eventId,
    // The context the event happened in: recognitions (a mentor belongs to a recognition), agreements, kbo-changes.
    source: `urn:werkplekduaal:${subject.split('/')[0]}`,
    type: `${eventTypePrefix}${type}`,
    time: timeOf(event),
    subject,
    datacontenttype: 'application/json',
    data,
  };
}

/** What the audience of a recognition's event depends on: the providers with a running agreement at its establishment. */
export type AudienceFacts = { providersAtEstablishment: readonly string[] };

/**
 * Who may see an event, as organisation keys. A recognition's events: its partnership, and each provider with a
 * learner at its establishment (a running agreement on any recognition there). An agreement's: its provider. A
 * KBO change decision: the partnership that decided. Nobody else, not another organisation of the same kind.
 */
export function audienceOf(event: DomainEvent, facts: AudienceFacts): string[] {
  if (!feedTypeOf(event)) return [];
  if (event.type === 'agreement-changed') return [organisationKey('provider', event.providerId)];
  if (event.type === 'kbo-change-decided') return [organisationKey('partnership', event.partnershipId)];
  if (!('partnershipId' in event)) return [];
  const providers = [...new Set(facts.providersAtEstablishment)].sort().map((id) => organisationKey('provider', id));
  return [organisationKey('partnership', event.partnershipId), ...providers];
}

/** Whether an event's audience needs the providers at its establishment (a query at dispatch). */
export const needsProvidersAt = (event: DomainEvent): string | undefined =>
  feedTypeOf(event) && event.type !== 'agreement-changed' && event.type !== 'kbo-change-decided' && 'establishmentNumber' in event
    ? event.establishmentNumber
    : undefined;
