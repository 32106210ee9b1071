// Demo machine clients of the local stage: the systems of providers and partnerships, as the government's identity
// provider registers them for the client-credentials grant (one organisation, a set of scopes).
// `npm run token -- --client <client>` prints a token for one.
import type { MachineClient } from '../../../shared/domain/organisations.ts';

export type DemoClient = MachineClient & { description: string };

export const demoClients: Record<string, DemoClient> = {
  'campus-brugge-sis': {
    clientId: 'campus-brugge-sis',
    organisation: { type: 'provider', id: 'campus-brugge' },
    scopes: ['verify', 'events:read'],
    description: 'Leerlingenadministratie van Campus Duaal Brugge: verify, events:read',
  },
  'syntra-mechelen-sis': {
    clientId: 'syntra-mechelen-sis',
    organisation: { type: 'provider', id: 'syntra-mechelen' },
    scopes: ['verify', 'webhooks:manage'],
    description: 'Systeem van Syntra Mechelen (een andere opleidingsverstrekker): verify, webhooks:manage',
  },
  'handel-dossiers': {
    clientId: 'handel-dossiers',
    organisation: { type: 'partnership', id: 'handel' },
    scopes: ['verify'],
    description: 'Dossiersysteem van het Sectoraal Partnerschap Handel: verify',
  },
  'handel-webhooks': {
    clientId: 'handel-webhooks',
    organisation: { type: 'partnership', id: 'handel' },
    scopes: ['webhooks:manage'],
    description: 'Webhook-ontvanger van het Sectoraal Partnerschap Handel: webhooks:manage',
  },
  'horeca-webhooks': {
    clientId: 'horeca-webhooks',
    organisation: { type: 'partnership', id: 'horeca' },
    scopes: ['webhooks:manage'],
    description: 'Webhook-ontvanger van het partnerschap Horeca (een ander partnerschap): webhooks:manage',
  },
  'campus-brugge-feed': {
    clientId: 'campus-brugge-feed',
    organisation: { type: 'provider', id: 'campus-brugge' },
    scopes: ['events:read'],
    description: 'Gebeurtenissenlezer van Campus Duaal Brugge, zonder verify',
  },
};
