// The API conventions (README "API conventions") checked over every route table, every conflict table and every
// request schema, so a new route, conflict or rule cannot break them unnoticed:
//  - every state-changing route on an existing resource requires If-Match (the exceptions say why), and documents
//    its 412 and 428;
//  - a stale version is 412 `version-conflict` and a refused transition 409 `invalid-transition` in every context;
//    the few 409s with a code of their own are listed (and in the README);
//  - every field error has a stable kebab-case code: zod's codes through one table, every custom rule its own code.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type * as z from 'zod';
import agreementModels from '../../reference-data/agreement-models.json' with { type: 'json' };
import * as agreementConflicts from '../../functions/agreements/conflicts.ts';
import * as documentConflicts from '../../functions/documents/conflicts.ts';
import * as kboChangeConflicts from '../../functions/kbo-changes/conflicts.ts';
import * as organisationConflicts from '../../functions/organisations/conflicts.ts';
import * as recognitionConflicts from '../../functions/recognitions/conflicts.ts';
import * as webhookConflicts from '../../functions/webhooks/conflicts.ts';
import { repositoryRoot } from '../../infra/constructs/function.ts';
import { allRoutes } from '../../infra/topology.ts';
import { type ConflictAnswer, specificConflictCodes } from './conflicts.ts';
import { Problem, type FieldError } from './problem.ts';
import { documentedResponses } from './openapi.ts';
import type { RouteDefinition } from './route.ts';
import { parseOrThrow, requiredCode, zodIssueCodes } from './validation.ts';

const routes = allRoutes().map((r) => r.route);
const nameOf = (r: RouteDefinition) => `${r.method} ${r.path}`;
const readme = readFileSync(join(repositoryRoot, 'README.md'), 'utf8');
const kebab = /^[a-z0-9]+(-[a-z0-9]+)*$/;

describe('If-Match on every state-changing request on an existing resource', () => {
  /** The state-changing routes on a resource id that take no If-Match, each with the reason. */
  const withoutIfMatch: Record<string, string> = {
    'POST /v1/documents/{id}/complete':
      'the API checks the uploaded bytes and settles the document once: nothing the caller read is changed, and a repeated check answers the same',
    'POST /v1/subscriptions/{id}/deliveries/{deliveryId}/redeliver':
      'a delivery has no version its reader changes: a redelivery sends the same event again, and one still being tried is refused with 409',
  };
  const onExistingResource = routes.filter((r) => r.method !== 'GET' && r.path.includes('{'));

  it('is required by each of them, or the exception says why', () => {
    const missing = onExistingResource.filter((r) => !r.requiresIfMatch && !(nameOf(r) in withoutIfMatch)).map(nameOf);
    expect(missing).toEqual([]);
    for (const name of Object.keys(withoutIfMatch)) {
      const route = onExistingResource.find((r) => nameOf(r) === name);
      expect(route, `${name} is no route (any more)`).toBeDefined();
      expect(route!.requiresIfMatch, `${name} is listed as an exception but requires If-Match`).toBeFalsy();
    }
  });

  it('documents 412 and 428 on every route that requires it', () => {
    for (const route of routes.filter((r) => r.requiresIfMatch)) {
      expect(documentedResponses(route).get(412), nameOf(route)).toBeDefined();
      expect(documentedResponses(route).get(428), nameOf(route)).toBeDefined();
    }
  });
});

describe('one status and code per kind of conflict', () => {
  const isAnswer = (value: unknown): value is ConflictAnswer =>
    typeof value === 'object' && value !== null && typeof (value as ConflictAnswer).status === 'number' && typeof (value as ConflictAnswer).detail === 'string';
  const isTable = (value: unknown): value is Record<string, ConflictAnswer> =>
    typeof value === 'object' && value !== null && Object.values(value).length > 0 && Object.values(value).every(isAnswer);
  const modules = { agreementConflicts, documentConflicts, kboChangeConflicts, organisationConflicts, recognitionConflicts, webhookConflicts };
  // Every exported table, and the tables built per request.
  const tables: [string, Record<string, ConflictAnswer>][] = [
    ...Object.entries(modules).flatMap(([module, exports]) =>
      Object.entries(exports)
        .filter(([, value]) => isTable(value))
        .map(([name, value]): [string, Record<string, ConflictAnswer>] => [`${module}.${name}`, value as Record<string, ConflictAnswer>]),
    ),
    ['referenceConflicts', organisationConflicts.referenceConflicts('programmes', 'kok')],
    ['decisionConflicts(keep)', kboChangeConflicts.decisionConflicts('keep')],
    ['decisionConflicts(revoke)', kboChangeConflicts.decisionConflicts('revoke')],
    ['mandateChangeConflicts(confirm)', organisationConflicts.mandateChangeConflicts('confirm')],
    ['mandateChangeConflicts(revoke)', organisationConflicts.mandateChangeConflicts('revoke')],
  ];
  const answers = tables.flatMap(([table, entries]) =>
    Object.entries(entries).map(([conflict, answer]) => ({ where: `${table}.${conflict}`, conflict, answer })),
  );

  it('finds the tables of every context', () => {
    expect(tables.length).toBeGreaterThan(15);
    expect(answers.filter((a) => a.conflict === 'version-conflict').length).toBeGreaterThan(10);
  });

  it('answers a stale version with 412 version-conflict, and only that with 412', () => {
    for (const { where, conflict, answer } of answers) {
      const code = answer.code ?? conflict;
      if (conflict === 'version-conflict' || answer.status === 412) expect([answer.status, code], where).toEqual([412, 'version-conflict']);
    }
  });

  it('answers a 409 with invalid-transition, or one of the listed codes the portal acts on differently', () => {
    const allowed: readonly string[] = ['invalid-transition', ...specificConflictCodes];
    for (const { where, conflict, answer } of answers.filter((a) => a.answer.status === 409)) expect(allowed, where).toContain(answer.code ?? conflict);
    const refusedTransitions = [
      recognitionConflicts.notSubmittable({ status: 'submitted' }),
      recognitionConflicts.transitionNotAllowed('draft', 'underReview'),
    ];
    for (const problem of refusedTransitions) expect([problem.status, problem.code]).toEqual([409, 'invalid-transition']);
  });

  it('gives every conflict a kebab-case code', () => {
    for (const { where, conflict, answer } of answers) expect(answer.code ?? conflict, where).toMatch(kebab);
  });

  it('documents the statuses and the 409 codes of their own in the README', () => {
    for (const code of ['version-conflict', 'invalid-transition', 'if-match-required', ...specificConflictCodes]) expect(readme, code).toContain(`\`${code}\``);
  });
});

describe('field errors carry a stable code', () => {
  const routeBy = (operationId: string) => {
    const route = routes.find((r) => r.operationId === operationId);
    if (!route) throw new Error(`no route ${operationId}`);
    return route;
  };
  /** The field errors of a request part, or none when it passes. */
  const errorsOf = (schema: z.ZodType | undefined, value: unknown, where: FieldError['in']): FieldError[] => {
    if (!schema) return [];
    try {
      parseOrThrow(schema, value, where);
      return [];
    } catch (error) {
      if (!(error instanceof Problem)) throw error;
      expect(error.status).toBe(400);
      return error.errors ?? [];
    }
  };

  it('maps every zod code to a kebab-case code, documented in the README', () => {
    for (const code of [...Object.values(zodIssueCodes), requiredCode]) {
      expect(code).toMatch(kebab);
      expect(readme, code).toContain(`\`${code}\``);
    }
  });

  const model = agreementModels[0]!;
  /** Each custom rule of a request schema, with an input that breaks it and the code it must answer. */
  const rules: { operationId: string; in: 'body' | 'query'; input: unknown; pointer: string; code: string }[] = [
    {
      operationId: 'create-application',
      in: 'body',
      input: { enterpriseNumber: '0417.390.704', establishmentNumber: '2.123.456.791', programmeId: 'verkoper-duaal', contactEmail: 'a@b.be' },
      pointer: '/enterpriseNumber',
      code: 'invalid-enterprise-number',
    },
    {
      operationId: 'create-application',
      in: 'body',
      input: { enterpriseNumber: '0417.390.703', establishmentNumber: '2.123.456.790', programmeId: 'verkoper-duaal', contactEmail: 'a@b.be' },
      pointer: '/establishmentNumber',
      code: 'invalid-establishment-number',
    },
    ...(
      [
        ['85.03.12-123.45', 'invalid-national-number'],
        ['85.03.12-***.**', null],
      ] as const
    ).map(([nationalNumber, code]) => ({
      operationId: 'update-application',
      in: 'body' as const,
      input: {
        criteria: { financialCapacity: true, organisationAndEquipment: true, noConvictions: true, commitments: true },
        mentors: [{ name: 'Mieke Mentor', nationalNumber, yearsOfExperience: 12, proofDocumentId: null, criminalRecordExtract: null }],
        documents: [],
        bankAccount: { iban: 'BE68539007547035', premiumConsent: true },
      },
      // The masked number passes the schema (the handler looks the stored one up); the IBAN is wrong either way.
      pointer: code ? '/mentors/0/nationalNumber' : '/bankAccount/iban',
      code: code ?? 'invalid-iban',
    })),
    {
      operationId: 'request-mentor',
      in: 'body',
      input: { name: 'Nieuwe Mentor', nationalNumber: '85.03.12-***.**', yearsOfExperience: 10, proofDocumentId: null, criminalRecordExtract: null },
      pointer: '/nationalNumber',
      code: 'masked-value-unknown',
    },
    { operationId: 'search-workplaces', in: 'query', input: { postcode: '2800' }, pointer: '/programme', code: 'programme-or-sector-required' },
    {
      operationId: 'search-workplaces',
      in: 'query',
      input: { programme: 'verkoper-duaal', distanceKm: '5' },
      pointer: '/distanceKm',
      code: 'distance-without-near',
    },
    {
      operationId: 'search-workplaces',
      in: 'query',
      input: { programme: 'verkoper-duaal', near: '2800', postcode: '2000' },
      pointer: '/near',
      code: 'near-with-postcode',
    },
    {
      operationId: 'search-workplaces',
      in: 'query',
      input: { programme: 'verkoper-duaal', postcode: '28000' },
      pointer: '/postcode',
      code: 'invalid-postcode',
    },
    {
      operationId: 'exclude',
      in: 'body',
      input: { level: 'establishment', enterpriseNumber: '0417390703', reasons: 'Herhaalde tekortkomingen', until: null },
      pointer: '/establishmentNumber',
      code: 'establishment-number-required',
    },
    { operationId: 'attach-agreement-annexes', in: 'body', input: {}, pointer: '', code: 'annex-required' },
    { operationId: 'identify-enterprise', in: 'query', input: { postcode: '3000' }, pointer: '/name', code: 'enterprise-number-or-name-required' },
    {
      operationId: 'identify-enterprise',
      in: 'query',
      input: { enterpriseNumber: '0417390703', name: 'Mega', postcode: '3000' },
      pointer: '/name',
      code: 'name-with-enterprise-number',
    },
    { operationId: 'identify-enterprise', in: 'query', input: { name: 'Mega' }, pointer: '/postcode', code: 'postcode-required-with-name' },
    { operationId: 'identify-enterprise', in: 'query', input: { name: '-a-', postcode: '3000' }, pointer: '/name', code: 'name-too-short' },
    {
      operationId: 'request-document-upload',
      in: 'body',
      input: { kind: 'other', contentType: 'application/pdf', sizeBytes: 10, label: 'twee\tkolommen' },
      pointer: '/label',
      code: 'control-character',
    },
    {
      operationId: 'create-routing',
      in: 'body',
      input: { id: 'nergens', programmeId: null, jointCommittee: null, sector: null, partnershipId: 'handel' },
      pointer: '',
      code: 'routing-rule-empty',
    },
    {
      operationId: 'create-allowances',
      in: 'body',
      input: { id: 'tier-1', tier: 1, validFrom: '2026-09-01', validTo: '2026-08-31', monthlyAmountCents: 1000, description: 'x' },
      pointer: '/validTo',
      code: 'end-before-start',
    },
    {
      operationId: 'create-postcodes',
      in: 'body',
      input: { id: '2000', postcode: '2800', municipality: 'Mechelen', latitude: 51.03, longitude: 4.48 },
      pointer: '/id',
      code: 'id-not-postcode',
    },
    {
      operationId: 'create-postcodes',
      in: 'body',
      input: { id: '2800', postcode: '280', municipality: 'Mechelen', latitude: 51.03, longitude: 4.48 },
      pointer: '/postcode',
      code: 'invalid-postcode',
    },
    { operationId: 'create-agreementModels', in: 'body', input: { ...model, validTo: '2000-01-01' }, pointer: '/validTo', code: 'end-before-start' },
    {
      operationId: 'create-agreementModels',
      in: 'body',
      input: { ...model, signatureParties: 'Opgemaakt te {{nergens}}' },
      pointer: '/signatureParties',
      code: 'unknown-placeholder',
    },
    {
      operationId: 'create-agreementModels',
      in: 'body',
      input: { ...model, articles: [...model.articles, model.articles[0]] },
      pointer: '/articles',
      code: 'duplicate-article-number',
    },
    {
      operationId: 'create-agreementModels',
      in: 'body',
      input: { ...model, agreementTypes: ['OAO'], articles: model.articles.map((a, i) => (i === 0 ? { ...a, onlyFor: ['SAO'] } : a)) },
      pointer: '/articles/0/onlyFor',
      code: 'type-not-covered',
    },
  ];

  it.each(rules.map((r) => [`${r.operationId} ${r.in} ${r.pointer || '(whole)'}: ${r.code}`, r] as const))('%s', (_name, rule) => {
    const route = routeBy(rule.operationId);
    const errors = errorsOf(rule.in === 'body' ? route.request.body : route.request.query, rule.input, rule.in);
    expect(errors, JSON.stringify(errors)).toContainEqual(expect.objectContaining({ in: rule.in, pointer: rule.pointer, code: rule.code }));
  });

  it('never answers custom, nor anything but a kebab-case code, for whatever a caller sends', () => {
    const parts = routes.flatMap((route) =>
      (['params', 'query', 'body'] as const)
        .filter((part) => route.request[part])
        .map((part) => ({
          name: `${nameOf(route)} ${part}`,
          schema: route.request[part]!,
          where: ({ params: 'path', query: 'query', body: 'body' } as const)[part],
        })),
    );
    const text = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('0417.390.704', '2.123.456.790', '85.03.12-***.**', 'BE00', 'E-1', 'a\tb', ''));
    const value = fc.oneof(fc.jsonValue(), fc.dictionary(fc.constantFrom('id', 'name', 'nationalNumber', 'iban', 'postcode', 'programme', 'near'), text));
    fc.assert(
      fc.property(fc.constantFrom(...parts), value, (part, input) => {
        for (const error of errorsOf(part.schema, input, part.where)) expect(error.code, `${part.name}: ${JSON.stringify(error)}`).toMatch(kebab);
      }),
      { numRuns: 2000 },
    );
  });

  /** The source files that declare request schemas: every context's, and the shared fields and domain schemas. */
  const schemaSources = (): string[] => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(join(repositoryRoot, dir), { withFileTypes: true })) {
        const path = `${dir}/${entry.name}`;
        if (entry.isDirectory()) walk(path);
        else if (path.endsWith('.ts') && !path.endsWith('.test.ts')) files.push(path);
      }
    };
    for (const dir of ['functions', 'shared/http', 'shared/domain']) walk(dir);
    return files;
  };
  /** The argument text of the call whose `(` is at `open`, skipping strings so a parenthesis in a message is no end. */
  const callArguments = (source: string, open: number): string => {
    let depth = 0;
    let quote: string | null = null;
    for (let i = open; i < source.length; i++) {
      const c = source[i]!;
      if (quote) {
        if (c === '\\') i++;
        else if (c === quote) quote = null;
      } else if (c === "'" || c === '"' || c === '`') quote = c;
      else if (c === '(') depth++;
      else if (c === ')' && --depth === 0) return source.slice(open + 1, i);
    }
    return source.slice(open + 1);
  };

  it('names a code in every refine, check and custom issue of the request schemas', () => {
    const uncoded: string[] = [];
    for (const file of schemaSources()) {
      const source = readFileSync(join(repositoryRoot, file), 'utf8');
      for (const call of source.matchAll(/\.refine\(|\.check\(|z\.custom\(|addIssue\(/g)) {
        const args = callArguments(source, call.index + call[0].length - 1);
        if (!/params:\s*\{\s*code\b/.test(args)) uncoded.push(`${file}:${source.slice(0, call.index).split('\n').length} ${call[0]}`);
      }
    }
    expect(uncoded).toEqual([]);
  });
});
