// What each conflict of the webhooks context means to the subscriber: status, stable code and the Dutch detail.
import type { RedeliveryConflict, SubscriptionConflict } from '../../shared/data/webhooks.ts';
import { type ConflictAnswer, type ConflictTable, invalidTransition, versionConflict } from '../../shared/http/conflicts.ts';

const notFound: ConflictAnswer = { status: 404, code: 'subscription-not-found', detail: 'Dit abonnement bestaat niet of hoort niet bij uw organisatie.' };

export const readConflicts: ConflictTable<'not-found'> = { 'not-found': notFound };

export const changeConflicts: ConflictTable<SubscriptionConflict> = {
  'not-found': notFound,
  'version-conflict': versionConflict('Het abonnement werd intussen gewijzigd. Lees het opnieuw.'),
};

export const redeliveryConflicts: ConflictTable<RedeliveryConflict> = {
  'not-found': notFound,
  'delivery-not-found': { status: 404, code: 'delivery-not-found', detail: 'Deze levering bestaat niet voor dit abonnement.' },
  'still-pending': invalidTransition('Deze levering wordt nog geprobeerd: wacht tot ze afgeleverd of mislukt is.'),
  'subscription-paused': invalidTransition('Het abonnement is gepauzeerd: hervat het eerst.'),
};
