// HTTP routes of the webhooks context: the systems of providers and partnerships (client-credentials token with scope
// `webhooks:manage`) and their administrators subscribe to the organisation's events, pause, resume and delete a
// subscription, read its delivery log and send a delivery again.
import { defineRoute, type RouteDefinition } from '../../shared/http/route.ts';
import * as handlers from './handlers.ts';
import { createSubscriptionBody, deliveryParams, listQuery, subscriptionChangeBody, subscriptionIdParam } from './schemas.ts';
import { createdSubscriptionView, deliveryPage, deliveryView, subscriptionPage, subscriptionView } from './views.ts';

const tags = ['Webhooks'];
const managers = {
  kind: 'organisation',
  allow: { provider: ['administrator'], partnership: ['administrator'] },
  scopes: ['webhooks:manage'],
} as const;
const notFound = { description: 'Onbekend of van een andere organisatie (subscription-not-found)' };

/** The delivery promise, in the document where a subscriber reads it (README "For school-system developers" too). */
const deliveryPromise =
  'Elke levering is een POST met het CloudEvent als JSON, ondertekend volgens Standard Webhooks (headers webhook-id, webhook-timestamp, webhook-signature). ' +
  'Een 2xx-antwoord binnen 10 s levert af; anders volgen nieuwe pogingen na 1 min, 5 min, 30 min, 1 u, 3 u, 6 u en 12 u (8 pogingen over ongeveer 23 uur), ' +
  'daarna is de levering mislukt (failed) en gaat ze naar de dead-letter-queue. Elke poging draagt dezelfde webhook-id.';

export const routes: RouteDefinition[] = [
  defineRoute({
    method: 'POST',
    path: '/v1/subscriptions',
    operationId: 'create-subscription',
    tags,
    summary: 'Abonneren op gebeurtenissen van uw organisatie met een https-URL op een publieke host; het geheim staat enkel in dit antwoord',
    auth: managers,
    idempotent: true,
    request: { body: createSubscriptionBody },
    responses: {
      201: { description: `Aangemaakt, met het geheim om handtekeningen te controleren. ${deliveryPromise}`, schema: createdSubscriptionView },
      422: { description: 'De URL is geen https of wijst naar een adres dat niet publiek is (url-not-https, url-not-public, url-credentials)' },
    },
    handler: async (req, deps) => handlers.create(req.body, req.acting!, deps),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/subscriptions',
    operationId: 'list-subscriptions',
    tags,
    summary: 'De abonnementen van uw organisatie (zonder geheim)',
    auth: managers,
    request: { query: listQuery },
    responses: { 200: { description: 'Een pagina abonnementen, oudste eerst', schema: subscriptionPage } },
    handler: async (req, deps) => handlers.list(req.query, req.acting!, deps),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/subscriptions/{id}',
    operationId: 'get-subscription',
    tags,
    summary: 'Eén abonnement (zonder geheim)',
    auth: managers,
    request: { params: subscriptionIdParam },
    responses: { 200: { description: 'Het abonnement', schema: subscriptionView }, 404: notFound },
    handler: async (req, deps) => handlers.read(req.params.id, req.acting!, deps),
  }),
  defineRoute({
    method: 'PATCH',
    path: '/v1/subscriptions/{id}',
    operationId: 'change-subscription',
    tags,
    summary: 'Pauzeren (status paused: geen leveringen) of hervatten (active)',
    auth: managers,
    requiresIfMatch: true,
    request: { params: subscriptionIdParam, body: subscriptionChangeBody },
    responses: { 200: { description: 'Gewijzigd', schema: subscriptionView }, 404: notFound },
    handler: async (req, deps) => handlers.change(req.params.id, req.body, req.ifMatch!, req.acting!, deps),
  }),
  defineRoute({
    method: 'DELETE',
    path: '/v1/subscriptions/{id}',
    operationId: 'delete-subscription',
    tags,
    summary: 'Een abonnement schrappen; lopende leveringen stoppen, het leveringslogboek blijft 30 dagen',
    auth: managers,
    requiresIfMatch: true,
    request: { params: subscriptionIdParam },
    responses: { 204: { description: 'Geschrapt' }, 404: notFound },
    handler: async (req, deps) => handlers.remove(req.params.id, req.ifMatch!, req.acting!, deps),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/subscriptions/{id}/deliveries',
    operationId: 'list-subscription-deliveries',
    tags,
    summary: 'Het leveringslogboek: per gebeurtenis de status (pending, delivered, failed), het aantal pogingen en het laatste antwoord, 30 dagen bewaard',
    auth: managers,
    request: { params: subscriptionIdParam, query: listQuery },
    responses: { 200: { description: `Een pagina leveringen, nieuwste eerst. ${deliveryPromise}`, schema: deliveryPage }, 404: notFound },
    handler: async (req, deps) => handlers.deliveries(req.params.id, req.query, req.acting!, deps),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/subscriptions/{id}/deliveries/{deliveryId}/redeliver',
    operationId: 'redeliver',
    tags,
    summary: 'Een afgeleverde of mislukte levering opnieuw versturen: meteen, met dezelfde webhook-id, en opnieuw met het volledige schema van pogingen',
    auth: managers,
    request: { params: deliveryParams },
    responses: {
      202: { description: 'Opnieuw in de wachtrij', schema: deliveryView },
      404: { description: 'Onbekend abonnement (subscription-not-found) of onbekende levering (delivery-not-found)' },
      409: { description: 'De levering wordt nog geprobeerd, of het abonnement is gepauzeerd (invalid-transition)' },
    },
    handler: async (req, deps) => handlers.redeliver(req.params.id, req.params.deliveryId, req.acting!, deps),
  }),
];
