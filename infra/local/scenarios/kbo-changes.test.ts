// Scenario over HTTP through the local stage, from a KBO update file to the counsellor's dashboard: two
// recognised workplaces with a registered agreement each; an Update extract moves one establishment and stops
// the other enterprise; the weekly sync (run on demand) applies it; the partnership gets its tasks and
// decides (keep at the new address, revoke); the enterprise is e-mailed; the counsellor then sees
// "Adreswijziging vestiging verwerken" and "Opheffing verwerken" on GET /v1/tasks, and doing the actions
// (amend the address, end early) closes them.
import { addDays } from 'date-fns';
import { describe, expect, it } from 'vitest';
import { syncMoveAndStop } from '../testing/kbo-updates.ts';
import { actors, iso, useScenarioStage, type Actor } from '../testing/scenario-client.ts';

const scenario = useScenarioStage('kbo-changes');

const an: Actor = { user: 'an.peeters', organisation: 'enterprise:0412345614' };
async function until<T>(fn: () => Promise<T>, ok: (value: T) => boolean, what: string): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const value = await fn();
    if (ok(value)) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const titles = (reply: { body: { items: { title: string }[] } }) => reply.body.items.map((t) => t.title);

describe('KBO changes through the local stage', () => {
  it('turns a move and a stop into partnership decisions and then counsellor tasks that the actions close', async () => {
    const { call } = scenario.client;
    const { els, sofie } = actors;
    const mega = await scenario.client.recogniseWorkplace({
      enterprise: actors.jan,
      enterpriseNumber: '0417.390.703',
      establishmentNumber: '2.123.456.791',
      programmeId: 'verkoper-duaal',
      jointCommittee: '311',
      counter: 201,
    });
    const bakery = await scenario.client.recogniseWorkplace({
      enterprise: an,
      enterpriseNumber: '0412.345.614',
      establishmentNumber: '2.200.000.184',
      programmeId: 'verkoper-duaal',
      jointCommittee: '311',
      counter: 211,
    });
    const moved = await scenario.client.registerAgreement({
      enterpriseNumber: '0417.390.703',
      establishmentNumber: '2.123.456.791',
      programmeId: 'verkoper-duaal',
      mentorId: mega.mentors[0]!.id,
      counter: 11,
    });
    const lifted = await scenario.client.registerAgreement({
      enterpriseNumber: '0412.345.614',
      establishmentNumber: '2.200.000.184',
      programmeId: 'verkoper-duaal',
      mentorId: bakery.mentors[0]!.id,
      counter: 12,
    });

    await syncMoveAndStop(scenario.stage, scenario.dataDir);

    // The changes queue's consumer puts the partnership's task on its dashboard.
    const partnershipTasks = await until(
      () => call(els, 'GET', '/v1/tasks'),
      (r) => titles(r).includes('Adreswijziging vestiging verwerken'),
      'the partnership task',
    );
    expect(titles(partnershipTasks)).toEqual(expect.arrayContaining(['Adreswijziging vestiging verwerken', 'Stopzetting verwerken']));
    const changes = await call(els, 'GET', '/v1/kbo-changes?status=open');
    expect(changes.status, changes.text).toBe(200);
    const addressChange = changes.body.items.find((c: { kind: string }) => c.kind === 'addressChanged');
    const stop = changes.body.items.find((c: { kind: string }) => c.kind === 'stopped');
    expect(addressChange, changes.text).toBeDefined();
    expect(stop, changes.text).toBeDefined();

    const kept = await call(
      els,
      'POST',
      `/v1/kbo-changes/${addressChange.id}/decision`,
      { decision: 'keep', reasons: 'Zelfde winkel, nieuwe ingang aan het Kerkplein.' },
      addressChange.version,
    );
    expect(kept.status, kept.text).toBe(200);
    expect(titles(await call(els, 'GET', '/v1/tasks'))).not.toContain('Adreswijziging vestiging verwerken');

    // The decision's event reaches the agreements context through the outbox and the domain-events queue.
    const counsellorTasks = await until(
      () => call(sofie, 'GET', '/v1/tasks'),
      (r) => titles(r).includes('Adreswijziging vestiging verwerken'),
      'the counsellor task',
    );
    const task = counsellorTasks.body.items.find((t: { title: string }) => t.title === 'Adreswijziging vestiging verwerken');
    expect(task).toMatchObject({ link: `/v1/agreements/${moved.id}`, actions: ['amend-establishment-address', 'end-early'] });
    const amended = await call(
      sofie,
      'POST',
      `/v1/agreements/${moved.id}/amendments`,
      { kind: 'establishmentAddress', effectiveDate: iso(addDays(new Date(), 20)) },
      moved.version,
    );
    expect(amended.status, amended.text).toBe(200);
    expect(titles(await call(sofie, 'GET', '/v1/tasks'))).not.toContain('Adreswijziging vestiging verwerken');

    const revoked = await call(
      els,
      'POST',
      `/v1/kbo-changes/${stop.id}/decision`,
      { decision: 'revoke', reasons: 'De onderneming is in KBO stopgezet.' },
      stop.version,
    );
    expect(revoked.status, revoked.text).toBe(200);
    const lift = await until(
      () => call(sofie, 'GET', '/v1/tasks'),
      (r) => titles(r).includes('Opheffing verwerken'),
      'the revocation task',
    );
    expect(lift.body.items.find((t: { title: string }) => t.title === 'Opheffing verwerken')).toMatchObject({
      link: `/v1/agreements/${lifted.id}`,
      actions: ['end-early'],
    });
    const ended = await call(
      sofie,
      'POST',
      `/v1/agreements/${lifted.id}/end`,
      { kind: 'early', date: iso(addDays(new Date(), 20)), reason: 'Erkenning opgeheven na stopzetting', by: 'provider' },
      lifted.version,
    );
    expect(ended.status, ended.text).toBe(200);
    expect(titles(await call(sofie, 'GET', '/v1/tasks'))).not.toContain('Opheffing verwerken');

    const subjects = (
      await until(
        () => scenario.client.mailbox(0),
        (m) => m.some((x) => x.subject === 'Erkenning opgeheven na een KBO-wijziging'),
        'the enterprise e-mails',
      )
    ).map((m) => m.subject);
    expect(subjects).toEqual(expect.arrayContaining(['Erkenning behouden na een KBO-wijziging', 'Erkenning opgeheven na een KBO-wijziging']));
  });
});
