// Scenario over HTTP through the local stage: an enterprise submits; the consultant finds the completeness
// check on the dashboard with the days remaining, the voting member does not; the daily digest e-mails the
// consultant (who signed in) and not the colleague who opted out; run as of a day past the deadline
// (`npm run schedule -- tasks-digest --on <day>`), it lists the check as overdue; the mail viewer shows it.
import { describe, expect, it } from 'vitest';
import { actors, useScenarioStage, type ScenarioClient } from '../testing/scenario-client.ts';
import { brusselsDate } from '../../../shared/adapters/clock.ts';
import { formatDate } from '../../../functions/notifications/format.ts';

const scenario = useScenarioStage('dashboard');
const { jan, karim, els } = actors;
const call: ScenarioClient['call'] = (...args) => scenario.client.call(...args);

async function mailbox(match: (m: { subject: string; to: string[] }) => boolean): Promise<{ subject: string; to: string[] }[]> {
  for (let i = 0; i < 100; i++) {
    const messages = (await call(null, 'GET', '/_local/mail')).body.messages as { subject: string; to: string[] }[];
    if (messages.some(match)) return messages;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('expected e-mail not received');
}

describe('dashboard scenario through the local stage', () => {
  it('shows the work list task to the consultant and e-mails the daily digest', async () => {
    for (const actor of [karim, els]) expect((await call(actor, 'GET', '/v1/me')).status).toBe(200);
    expect((await call(els, 'PUT', '/v1/me/preferences', { dailyDigest: false })).status).toBe(200);

    const draft = await call(jan, 'POST', '/v1/applications', {
      enterpriseNumber: '0417.390.703',
      establishmentNumber: '2.123.456.791',
      programmeId: 'verkoper-duaal',
      jointCommittee: '311',
      contactEmail: 'hr@megaworld.test',
    });
    const upload = await call(jan, 'POST', '/v1/documents', {
      kind: 'criminalRecordExtract',
      contentType: 'application/pdf',
      sizeBytes: 500,
      label: 'Uittreksel',
    });
    const form = new FormData();
    for (const [name, value] of Object.entries(upload.body.upload.fields as Record<string, string>)) form.append(name, value);
    form.append('file', new Blob([Buffer.from('%PDF-1.7\nuittreksel\n%%EOF')], { type: 'application/pdf' }));
    await fetch(upload.body.upload.url, { method: 'POST', body: form });
    await call(jan, 'POST', `/v1/documents/${upload.body.document.id}/complete`);
    const today = brusselsDate(new Date());
    const content = await call(
      jan,
      'PUT',
      `/v1/applications/${draft.body.id}`,
      {
        criteria: { financialCapacity: true, organisationAndEquipment: true, noConvictions: true, commitments: true },
        mentors: [
          {
            name: 'Mieke Mentor',
            nationalNumber: '80010100107',
            yearsOfExperience: 12,
            proofDocumentId: null,
            criminalRecordExtract: { documentId: upload.body.document.id, issuedOn: today },
          },
        ],
        documents: [],
        bankAccount: null,
      },
      1,
    );
    const submitted = await call(jan, 'POST', `/v1/applications/${draft.body.id}/submit`, undefined, content.body.version);
    expect(submitted.status, submitted.text).toBe(200);

    const dashboard = await call(karim, 'GET', '/v1/tasks');
    expect(dashboard.status, dashboard.text).toBe(200);
    expect(dashboard.body.items).toEqual([
      expect.objectContaining({
        type: 'checkCompleteness',
        title: 'Volledigheid erkenning controleren',
        daysRemaining: expect.any(Number),
        link: `/v1/applications/${draft.body.id}`,
      }),
    ]);
    expect(dashboard.body.counts).toEqual({ checkCompleteness: 1 });
    expect((await call(els, 'GET', '/v1/tasks')).body.items).toEqual([]);
    expect((await call(karim, 'GET', '/v1/tasks?type=bogus')).status).toBe(400);

    const run = await call(null, 'POST', '/_local/schedules/tasks-digest');
    expect(run.status, run.text).toBe(202);
    expect(run.body.result).toEqual({ organisations: 1, mails: 1 });
    const mail = await mailbox((m) => m.subject.startsWith('Uw taken in het digitale loket'));
    const digests = mail.filter((m) => m.subject.startsWith('Uw taken in het digitale loket'));
    expect(digests.map((m) => m.to)).toEqual([['karim@handel.werkplekduaal.test']]);
  });

  it('runs the digest as of a day past the deadline: the check is overdue, and the mail viewer shows the e-mail', async () => {
    const day = brusselsDate(new Date(Date.now() + 30 * 86_400_000));
    const refused = await call(null, 'POST', '/_local/schedules/tasks-digest?on=2031-13-01');
    expect(refused.status).toBe(400);
    expect(refused.body.error).toContain('"2031-13-01" is not a calendar date: give the day as YYYY-MM-DD');
    expect((await call(null, 'POST', `/_local/schedules/kbo-sync?on=${day}`)).body.error).toMatch(/does not run daily/);

    const run = await call(null, 'POST', `/_local/schedules/tasks-digest?on=${day}`);
    expect(run.status, run.text).toBe(202);
    expect(run.body).toEqual({ started: 'tasks-digest', on: day, at: `${day}T05:00:00.000Z`, result: { organisations: 1, mails: 1 } });
    const subject = `Uw taken in het digitale loket op ${formatDate(day)}: 0 nieuw, 1 over termijn`;
    const messages = (await mailbox((m) => m.subject === subject)) as { subject: string; to: string[]; file: string }[];
    const digest = messages.find((m) => m.subject === subject)!;
    expect(digest.to).toEqual(['karim@handel.werkplekduaal.test']);

    const list = await fetch(`${scenario.stage.url}/_local/mail`, { headers: { accept: 'text/html' } });
    expect(list.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const listPage = await list.text();
    const pagePath = `/_local/mail/${digest.file.replace(/\.eml$/, '.html')}`;
    expect(listPage).toContain(`href="${pagePath}"`);
    const page = await (await fetch(`${scenario.stage.url}${pagePath}`)).text();
    expect(page).toMatch(/<iframe title="HTML-weergave" sandbox="allow-popups allow-popups-to-escape-sandbox" srcdoc="&lt;!doctype html&gt;/);
    expect(page).toContain('Open uw takenlijst: http://localhost:5173/taken');
  });
});
