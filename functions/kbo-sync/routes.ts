// HTTP routes of the kbo-changes context: the partnership reviews the KBO changes that touch its recognitions.
import * as z from 'zod';
import { changeIdPattern, changeStatuses } from '../../shared/domain/kbo-changes.ts';
import { defineRoute, type RouteDefinition } from '../../shared/http/route.ts';
import * as handlers from './handlers.ts';

const tags = ['KBO-wijzigingen'];
const staff = { kind: 'organisation', allow: { partnership: ['consultant', 'votingMember', 'administrator'] } } as const;
// The beheerder handles recognitions and their revocation (as for sanctions).
const administrator = { kind: 'organisation', allow: { partnership: ['administrator'] } } as const;
const idParam = z.strictObject({ id: z.string().regex(changeIdPattern, 'een KBO-wijziging zoals K000392-2123456791-addressChanged-horeca') });

export const routes: RouteDefinition[] = [
  defineRoute({
    method: 'GET',
    path: '/v1/kbo-changes',
    operationId: 'list-kbo-changes',
    tags,
    summary: 'KBO-wijzigingen (adres, stopzetting, naam, overdracht) die erkenningen van uw partnerschap raken',
    auth: staff,
    request: {
      query: z.strictObject({
        status: z.enum(changeStatuses).optional(),
        cursor: z.string().max(2048).optional(),
        limit: z.coerce.number().int().min(1).max(100).optional(),
      }),
    },
    responses: { 200: { description: 'Een pagina wijzigingen, oudste eerst' } },
    handler: async (req, deps) => handlers.list(req.query, req.acting!, deps),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/kbo-changes/{id}',
    operationId: 'get-kbo-change',
    tags,
    summary: 'Eén KBO-wijziging met oud en nieuw adres of naam, de geraakte erkenningen en de mogelijke beslissingen',
    auth: staff,
    request: { params: idParam },
    responses: { 200: { description: 'De wijziging' }, 404: { description: 'Onbekend of van een ander partnerschap' } },
    handler: async (req, deps) => handlers.read(req.params.id, req.acting!, deps),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/kbo-changes/{id}/decision',
    operationId: 'decide-kbo-change',
    tags,
    summary: 'Beslissen: de erkenningen behouden (op het nieuwe adres) of opheffen; sluit de taak en verwittigt de onderneming',
    auth: administrator,
    request: { params: idParam, body: z.strictObject({ decision: z.enum(['keep', 'revoke']), reasons: z.string().trim().min(10).max(4000) }) },
    responses: {
      200: { description: 'Beslist (een herhaling van dezelfde beslissing geeft hetzelfde antwoord)' },
      404: { description: 'Onbekend of van een ander partnerschap' },
      409: { description: 'Al anders beslist, of intussen gewijzigd (If-Match)' },
      422: { description: 'Deze beslissing kan niet voor deze wijziging' },
    },
    handler: async (req, deps) => handlers.decide(req.params.id, req.body, req.ifMatch, req.principal!, req.acting!, deps),
  }),
];
