// Exclusions and what each reader sees of a recognition, against the emulators. A partnership sanctions only
// the workplaces it is competent for; the department excludes across partnerships; an exclusion is applied
// whole or not at all. Each audience gets its own view of a recognition, no more (views.ts).
import { beforeAll, describe, expect, it } from 'vitest';
import { TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { fixedClock } from '../../shared/adapters/clock.ts';
import { getRecognition, recognitionKey } from '../../shared/data/recognitions.ts';
import { getSanction } from '../../shared/data/sanctions.ts';
import { drainQueue, type TestEnvironment } from '../../infra/local/testing/environment.ts';
import { demo, type given } from '../../infra/local/testing/given.ts';
import { createApiWorld } from '../../infra/local/testing/api-world.ts';
import { recognitionViewSchemas } from './views.ts';

const clock = fixedClock('2026-12-02T08:00:00.000Z');
let env: TestEnvironment;
let g: ReturnType<typeof given>;
const mega = '0417390703';
const heist = '2.123.456.791';
const leuven = '2.200.000.382';
/** Each recognition as the API names it: `id` in paths and answers, `number` (the official one) in the table. */
type Named = { id: string; number: string };
const recognised = {} as { handelHeist: Named; horecaHeist: Named; handelLeuven: Named };

beforeAll(async () => {
  ({ env, g } = await createApiWorld(clock));
  // Heist is recognised by two partnerships (Handel for a retail programme, Horeca for a kitchen one), Leuven by Handel.
  recognised.handelHeist = (
    await g.decided(
      await g.submitted(demo.jan, { enterpriseNumber: mega, establishmentNumber: heist, programmeId: 'verkoper-duaal', jointCommittee: '311' }),
      demo.karim,
      demo.els,
      'recognised',
    )
  ).recognition;
  recognised.horecaHeist = (
    await g.decided(
      await g.submitted(demo.jan, {
        enterpriseNumber: mega,
        establishmentNumber: heist,
        programmeId: 'keukenmedewerker-duaal',
        documents: await rszCertificate(),
      }),
      demo.bart,
      demo.bart,
      'recognised',
    )
  ).recognition;
  recognised.handelLeuven = (
    await g.decided(
      await g.submitted(demo.jan, { enterpriseNumber: mega, establishmentNumber: leuven, programmeId: 'verkoper-duaal', jointCommittee: '311' }),
      demo.karim,
      demo.els,
      'recognised',
    )
  ).recognition;
}, 120_000);

/** Horeca (joint committee 302) also asks for an RSZ certificate. */
const rszCertificate = async () => [{ kind: 'rszCertificate', documentId: await g.verifiedDocument(demo.jan, 'rszCertificate') }];
const status = async (r: Named) => (await getRecognition(env.deps, r.number))?.status;
const reasons = 'Na begeleiding blijven de afspraken met de mentor onuitgevoerd.';
/** What the review rounds of the submissions send (the partnership's notice, the enterprise's acknowledgement): not the sanction's. */
const reviewRoundMails = ['application-submitted', 'application-received'];
type Mail = { to: string[]; template: string; data: { subject?: string } };

describe('exclusions', () => {
  it("a partnership cannot exclude where it recognised nothing, nor touch another partnership's recognitions", async () => {
    const refused = await g.as(demo.lotte, 'POST', '/v1/exclusions', { level: 'enterprise', enterpriseNumber: mega, reasons, until: null });
    expect(refused.status).toBe(403);
    // Bart administers Horeca: it excludes the establishment for its own competence only.
    await drainQueue(env.deps, env.config.NOTIFICATIONS_QUEUE_URL);
    const excluded = await g.ok(200, demo.bart, 'POST', '/v1/exclusions', {
      level: 'establishment',
      enterpriseNumber: mega,
      establishmentNumber: heist,
      reasons,
      until: '2027-12-31',
    });
    expect(excluded.sanction).toMatchObject({
      partnershipId: 'horeca',
      organisationKey: 'partnership:horeca',
      affectedRecognitions: [recognised.horecaHeist.id],
    });
    expect(await status(recognised.horecaHeist)).toBe('revoked');
    expect(await status(recognised.handelHeist)).toBe('active');
    const sent = (await drainQueue<Mail>(env.deps, env.config.NOTIFICATIONS_QUEUE_URL)).filter((m) => !reviewRoundMails.includes(m.template));
    expect(sent.map((m) => m.template)).toEqual(['sanction']);

    // A new application to Horeca for the excluded establishment is refused; one to Handel is not.
    const toHoreca = await g.filledApplication(demo.jan, {
      enterpriseNumber: mega,
      establishmentNumber: heist,
      programmeId: 'keukenmedewerker-duaal',
      documents: await rszCertificate(),
    });
    const refusedSubmit = await g.as(demo.jan, 'POST', `/v1/applications/${toHoreca.id}/submit`, undefined, toHoreca.version);
    expect(refusedSubmit.body.errors.map((e: { code: string }) => e.code)).toContain('establishment-excluded');
    const toHandel = await g.filledApplication(demo.jan, {
      enterpriseNumber: mega,
      establishmentNumber: heist,
      programmeId: 'winkelbediende-duaal',
      jointCommittee: '311',
    });
    expect((await g.as(demo.jan, 'POST', `/v1/applications/${toHandel.id}/submit`, undefined, toHandel.version)).status).toBe(200);

    // Horeca recognised nothing in Leuven: there it has nothing to sanction.
    const elsewhere = await g.as(demo.bart, 'POST', '/v1/exclusions', {
      level: 'establishment',
      enterpriseNumber: mega,
      establishmentNumber: leuven,
      reasons,
      until: null,
    });
    expect([elsewhere.status, elsewhere.body.code]).toEqual([404, 'no-recognitions-of-partnership']);
    expect(await status(recognised.handelLeuven)).toBe('active');
  });

  it('is applied whole or not at all: a recognition changed meanwhile cancels all of it', async () => {
    // Fault injection without mocks: just before the exclusion's transaction, another write changes one of the
    // recognitions it revokes, as a concurrent request would.
    const send = env.deps.db.send.bind(env.deps.db);
    let injected = false;
    env.deps.db.send = (async (command: unknown, ...rest: unknown[]) => {
      if (!injected && command instanceof TransactWriteCommand) {
        injected = true;
        await send(
          new UpdateCommand({
            TableName: env.config.TABLE_NAME,
            Key: recognitionKey(recognised.handelLeuven.number),
            UpdateExpression: 'SET version = version + :one',
            ExpressionAttributeValues: { ':one': 1 },
          }),
        );
      }
      return (send as (...a: unknown[]) => unknown)(command, ...rest);
    }) as typeof env.deps.db.send;
    try {
      const refused = await g.as(demo.els, 'POST', '/v1/exclusions', { level: 'enterprise', enterpriseNumber: mega, reasons, until: null });
      expect([refused.status, refused.body.code]).toEqual([409, 'recognition-changed']);
    } finally {
      env.deps.db.send = send;
    }
    expect(await status(recognised.handelHeist)).toBe('active');
    expect(await status(recognised.handelLeuven)).toBe('active');
    // Nothing of it was written: Handel still takes a new application for the enterprise.
    const draft = await g.filledApplication(demo.jan, {
      enterpriseNumber: mega,
      establishmentNumber: leuven,
      programmeId: 'winkelbediende-duaal',
      jointCommittee: '311',
    });
    const submitted = await g.as(demo.jan, 'POST', `/v1/applications/${draft.id}/submit`, undefined, draft.version);
    expect(submitted.status, submitted.text).toBe(200);
  });

  it('the department excludes a whole enterprise across partnerships and tells every partnership concerned', async () => {
    await drainQueue(env.deps, env.config.NOTIFICATIONS_QUEUE_URL);
    const excluded = await g.ok(200, demo.dirk, 'POST', '/v1/exclusions', { level: 'enterprise', enterpriseNumber: mega, reasons, until: null });
    expect(excluded.sanction).toMatchObject({ partnershipId: null, organisationKey: 'department:dwse' });
    expect(excluded.sanction.affectedRecognitions.sort()).toEqual([recognised.handelHeist.id, recognised.handelLeuven.id].sort());
    expect(await status(recognised.handelHeist)).toBe('revoked');
    expect(await status(recognised.handelLeuven)).toBe('revoked');
    expect((await getSanction(env.deps, excluded.sanction.id))?.affectedRecognitions).toHaveLength(2);
    // (The review rounds of the earlier submissions e-mail the partnerships too: only the sanction's mails count here.)
    const sent = (await drainQueue<Mail>(env.deps, env.config.NOTIFICATIONS_QUEUE_URL)).filter((m) => !reviewRoundMails.includes(m.template));
    // The two files the earlier tests submitted to Handel (still open) close with the exclusion, each with its mail.
    expect(excluded.sanction.closedApplications).toHaveLength(2);
    expect(sent.map((m) => m.template).sort()).toEqual(['application-closed', 'application-closed', 'department-exclusion', 'sanction']);
    expect(sent.find((m) => m.template === 'department-exclusion')!.to).toEqual(['duaal@handel.werkplekduaal.test']);
    // No partnership takes a new application of the enterprise now.
    const draft = await g.filledApplication(demo.jan, {
      enterpriseNumber: mega,
      establishmentNumber: leuven,
      programmeId: 'keukenmedewerker-duaal',
      documents: await rszCertificate(),
    });
    const refused = await g.as(demo.jan, 'POST', `/v1/applications/${draft.id}/submit`, undefined, draft.version);
    expect(refused.body.errors.map((e: { code: string }) => e.code)).toContain('enterprise-excluded');
  });

  it('tells the enterprise of its exclusion even when none of its recognitions was still running', async () => {
    // After the department's exclusion every recognition of Mega World is revoked: Handel's own exclusion revokes nothing more.
    await drainQueue(env.deps, env.config.NOTIFICATIONS_QUEUE_URL);
    const excluded = await g.ok(200, demo.els, 'POST', '/v1/exclusions', { level: 'enterprise', enterpriseNumber: mega, reasons, until: '2028-06-30' });
    expect(excluded.sanction).toMatchObject({ kind: 'excludeEnterprise', partnershipId: 'handel', affectedRecognitions: [] });
    const sent = (await drainQueue<Mail>(env.deps, env.config.NOTIFICATIONS_QUEUE_URL)).filter((m) => !reviewRoundMails.includes(m.template));
    expect(sent.map((m) => m.template)).toEqual(['sanction']);
    expect(sent[0]!.to).toEqual(expect.arrayContaining(['hr@onderneming.test']));
    expect(sent[0]).toMatchObject({ data: { kind: 'excludeEnterprise', enterpriseNumber: '0417.390.703', recognitions: [] } });
  });
});

describe('what each reader sees of a recognition', () => {
  const search = (actor: typeof demo.jan) => g.ok(200, actor, 'GET', `/v1/recognitions?establishment=${heist.replace(/\D/g, '')}`);

  it('gives every audience its own view, and only the enterprise, the competent partnership and the department the people', async () => {
    const byAudience = {
      enterprise: await search(demo.jan),
      competentPartnership: await search(demo.karim),
      department: await search(demo.dirk),
      provider: await search(demo.sofie),
      otherPartnership: await search(demo.lotte),
    };
    for (const [audience, answer] of Object.entries(byAudience)) {
      expect(answer.items.length, audience).toBeGreaterThan(0);
      // Each item is exactly its audience's view: a strict schema refuses any field more.
      for (const item of answer.items) {
        const schema =
          audience === 'competentPartnership' && item.partnershipId !== 'handel'
            ? recognitionViewSchemas.otherPartnership
            : recognitionViewSchemas[audience as keyof typeof recognitionViewSchemas];
        expect(schema.safeParse(item).success, `${audience}: ${JSON.stringify(item)}`).toBe(true);
      }
    }
    const text = (answer: unknown) => JSON.stringify(answer);
    for (const audience of ['provider', 'otherPartnership'] as const) {
      expect(text(byAudience[audience]), audience).not.toContain('1980-01-01');
      expect(text(byAudience[audience]), audience).not.toContain('hr@onderneming.test');
      expect(text(byAudience[audience]), audience).not.toContain(reasons);
    }
    expect(text(byAudience.otherPartnership)).not.toContain('Mieke Mentor');
    expect(byAudience.provider.items[0].mentors).toEqual([{ id: expect.any(String), name: 'Mieke Mentor', valid: true }]);
    expect(byAudience.competentPartnership.items.find((r: { partnershipId: string }) => r.partnershipId === 'handel').mentors[0]).toMatchObject({
      name: 'Mieke Mentor',
      birthDate: '1980-01-01',
    });
    expect(byAudience.enterprise.items[0]).toMatchObject({ contactEmails: expect.arrayContaining(['hr@onderneming.test']) });
    // Another enterprise sees none of it.
    expect((await search(demo.an)).items).toEqual([]);
  });
});
