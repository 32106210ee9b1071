// `npm run bench`: measures on a throwaway local stage and writes .local/bench/report.{md,json}.
// Speed targets live in the issues and are checked here, never by timed unit tests.
import { freePort } from '../free-port.ts';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { startLocalStage } from '../stage.ts';
import { demoUsers } from '../seed/users.ts';
import { localPaths } from '../paths.ts';
import { bundleSizes } from './bundles.ts';
import { coldStartReport, coldStarts } from './cold-start.ts';
import { dispatchCost, submitToMail, workplaceDistanceSearch, workplaceSearch } from './recognitions.ts';
import { agreementBench } from './agreements.ts';
import { dashboard } from './tasks.ts';
import { latencyBench } from './latency.ts';
import { benchClientLimit, verificationBench } from './verifications.ts';
import { benchKboSync, kboSyncReport } from './kbo-sync.ts';
import { generateFullExtract } from '../kbo/generator.ts';
import { importFullExtract } from '../../../functions/kbo-import/full-import.ts';

const count = Number(process.env.BENCH_REQUESTS ?? 500);
const importEnterprises = Number(process.env.BENCH_KBO_ENTERPRISES ?? 100_000);
const recognitionCount = Number(process.env.BENCH_RECOGNITIONS ?? 100_000);
/** `BENCH_ONLY=agreements,search` runs only those sections (names in the section guards below). */
const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
const wanted = (section: string) => !only || only.includes(section);
const report: Record<string, unknown> = { date: new Date().toISOString(), node: process.version, requests: count };
const lines: string[] = [
  `# werkplekduaal benchmark`,
  '',
  `${new Date().toISOString()}, Node ${process.version}, ${count} sequential requests per figure (after 20 warm-up requests).`,
  '',
];

if (wanted('bundles')) {
  console.log('bundling every Lambda (minified, as CDK does)...');
  const bundles = await bundleSizes();
  report.bundles = bundles;
  const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
  lines.push(
    '## Lambda bundles (minified, with the settings of infra/constructs/bundling.ts)',
    '',
    '| function | entry | size | three largest contributors |',
    '|---|---|---|---|',
    ...bundles.map((b) => `| ${b.name} | ${b.entry} | ${kib(b.bytes)} | ${b.contributors.map((c) => `${c.name} ${kib(c.bytes)}`).join(', ')} |`),
    '',
    'Targets: at most 1 MiB per bundle, at most 600 KiB per API function (stretch 400 KiB).',
    '',
  );
}

// The stage's functions read their configuration on their first call: the per-client limit is lifted for the bench,
// whose one client makes hundreds of requests a second (the counter's UpdateItem is still made and measured).
process.env.CLIENT_REQUESTS_PER_SECOND = String(benchClientLimit);
const dataDir = mkdtempSync(join(tmpdir(), 'werkplekduaal-bench-'));
console.log('starting a throwaway local stage...');
const stage = await startLocalStage({ apiPort: 0, dynamoPort: await freePort(), awsPort: 0, dataDir, dynamoInMemory: true });
try {
  if (wanted('latency')) {
    console.log('measuring GET /v1/me and GET /v1/enterprises/{n} against the bare DynamoDB requests their handlers make...');
    const latency = await latencyBench(stage, count);
    report.latency = latency;
    lines.push(
      '## API latency through the local stage vs the bare DynamoDB requests the handler makes (ms)',
      '',
      '| route | API p50 | API p99 | bare p50 | bare p99 | handler overhead p50 | requests the handler makes (issued bare the same way) |',
      '|---|---|---|---|---|---|---|',
    );
    for (const [route, { api, bare, requests }] of Object.entries(latency)) {
      lines.push(`| ${route} | ${api.p50} | ${api.p99} | ${bare.p50} | ${bare.p99} | ${(api.p50 - bare.p50).toFixed(2)} | ${requests} |`);
    }
    lines.push(
      '',
      "The bare requests are recorded on an in-process handler of the same route and issued again from the bench's process against the same DynamoDB Local, in parallel where the handler issues them in parallel; API and bare are timed alternately, request by request. The difference is the handler's own cost: HTTP, event translation, JWT verification, validation, logging.",
      '',
    );

    const user = demoUsers['an.peeters']!;
    const headers = { authorization: `Bearer ${await stage.issuer.sign(user)}`, 'x-organisation': 'enterprise:0412345614' };
    const throughput = await autocannon({ url: `${stage.url}/v1/me`, headers, connections: 10, duration: 5 });
    report.throughputMe = { requestsPerSecond: throughput.requests.average, non2xx: throughput.non2xx };
    lines.push(
      `Throughput of GET /v1/me with 10 connections for 5 s: ${throughput.requests.average.toFixed(0)} requests/s (${throughput.non2xx} non-2xx).`,
      '',
    );
  }

  if (wanted('agreements')) {
    console.log('measuring the agreements pre-flight check and registration against their bare DynamoDB requests...');
    const agreements = await agreementBench(stage, Math.min(count, 500));
    report.agreements = agreements;
    const row = (name: string, m: { api: { p50: number; p99: number }; bare: { p50: number; p99: number } }) =>
      `| ${name} | ${m.api.p50} | ${m.api.p99} | ${m.bare.p50} | ${m.bare.p99} | ${(m.api.p50 - m.bare.p50).toFixed(2)} |`;
    const total = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);
    lines.push(
      '## Agreements: pre-flight check and registration through the local stage vs their bare DynamoDB requests (ms)',
      '',
      '| operation | API p50 | API p99 | bare p50 | bare p99 | overhead p50 |',
      '|---|---|---|---|---|---|',
      row('POST /v1/agreements (save + pre-flight check)', agreements.draftSave),
      row('POST /v1/agreements/{id}/register', agreements.registration),
      '',
      `DynamoDB requests per draft save: ${total(agreements.requestsPerDraftSave)} (${JSON.stringify(agreements.requestsPerDraftSave)}); per registration: ${total(agreements.requestsPerRegistration)} (${JSON.stringify(agreements.requestsPerRegistration)}), of which one TransactWriteItems takes the capacity slots, records the premiums and the history.`,
      '',
    );
  }

  if (wanted('recognitions')) {
    console.log('measuring submit-to-e-mail latency of recognition applications...');
    const submit = await submitToMail(stage, [
      { establishment: '2123456791', programme: 'verkoper-duaal' },
      { establishment: '2123456791', programme: 'winkelbediende-duaal' },
      { establishment: '2123456791', programme: 'logistiek-medewerker-duaal' },
      { establishment: '2300000157', programme: 'verkoper-duaal' },
      { establishment: '2300000157', programme: 'winkelbediende-duaal' },
      { establishment: '2300000157', programme: 'logistiek-medewerker-duaal' },
    ]);
    report.submitToMail = submit;
    lines.push(
      "## Recognition application: submit to the partnership's e-mail (ms, through the local stage)",
      '',
      `n=${submit.n}: p50 ${submit.p50}, p90 ${submit.p90}, max ${submit.max} (HTTP submit, transaction, StartExecution, ASL task, SQS, consumer, .eml written).`,
      '',
    );

    console.log('measuring the public workplace search with 100 and 100,000 recognitions...');
    const searchSmall = await workplaceSearch(stage, 0, 100, count);
    const distanceSmall = await workplaceDistanceSearch(stage, 10, count);
    const searchLarge = await workplaceSearch(stage, 100, recognitionCount, count);
    const distanceLarge = await workplaceDistanceSearch(stage, 10, count);
    report.workplaceSearch = { with100: searchSmall, [`with${recognitionCount}`]: searchLarge };
    report.workplaceDistanceSearch = { with100: distanceSmall, [`with${recognitionCount}`]: distanceLarge };
    lines.push(
      '## Public workplace search GET /v1/workplaces?programme=&postcode= (ms)',
      '',
      '| recognitions in the table | p50 | p99 |',
      '|---|---|---|',
      `| 100 | ${searchSmall.p50} | ${searchSmall.p99} |`,
      `| ${recognitionCount} | ${searchLarge.p50} | ${searchLarge.p99} |`,
      '',
      "One Query on the programme's partition of the search index (postcode prefix in the sort key), so the table's size does not enter.",
      '',
      '## Public distance search GET /v1/workplaces?programme=&near=2220&distanceKm=10&limit=25 (ms)',
      '',
      '| recognitions in the table | p50 | p99 | found on the page |',
      '|---|---|---|---|',
      `| 100 | ${distanceSmall.p50} | ${distanceSmall.p99} | ${distanceSmall.found} |`,
      `| ${recognitionCount} | ${distanceLarge.p50} | ${distanceLarge.p99} | ${distanceLarge.found} |`,
      '',
      "A workplace sits at its postcode's centre, so the search sorts the postcodes within the radius (in memory) and reads the programme's postcode index nearest postcode first until the page is full: the work follows the page size and the postcodes in the circle, not the table.",
      '',
    );
  }

  if (wanted('dispatch')) {
    console.log('measuring the outbox dispatch inside a request (a mentor deactivation with and without an event)...');
    const dispatch = await dispatchCost(stage, Math.min(count, 300));
    report.dispatch = dispatch;
    const row = (name: string, m: { p50: number; p99: number }) => `| ${name} | ${m.p50} | ${m.p99} |`;
    lines.push(
      '## The outbox dispatch inside a request (ms, through the local stage)',
      '',
      '| request | p50 | p99 |',
      '|---|---|---|',
      row('POST .../mentors/{id}/change deactivate, the only mentor: records and dispatches recognition.suspended', dispatch.withEvent),
      row('the same route, a second mentor still counts: nothing to dispatch (one empty Query)', dispatch.withoutEvent),
      row('dispatchOutbox alone, one event (partnership and provider feed, one SQS batch)', dispatch.dispatchOne),
      row('dispatchOutbox alone, an empty outbox', dispatch.dispatchNone),
      '',
      `The first row's difference also holds the outbox Put in the change's transaction and the partnership's task (opened once, then a failed conditional Put). The provider's feed got the event ${dispatch.feedEntries} times. DynamoDB requests of one dispatch of one event to two feeds: ${JSON.stringify(dispatch.dispatchRequests)}, one after the other.`,
      '',
    );
  }

  if (wanted('verifications')) {
    console.log('measuring the verification API (client-credentials token) against the bare DynamoDB requests its handler makes...');
    const verifications = await verificationBench(stage, count);
    report.verifications = verifications;
    lines.push(
      '## Verification API (a provider system with scope verify) through the local stage vs the bare DynamoDB requests the handler makes (ms)',
      '',
      '| route | API p50 | API p99 | bare p50 | bare p99 | requests the handler makes (issued bare the same way) |',
      '|---|---|---|---|---|---|',
      ...Object.entries(verifications).map(
        ([route, { api, bare, requests }]) => `| ${route} | ${api.p50} | ${api.p99} | ${bare.p50} | ${bare.p99} | ${requests} |`,
      ),
      '',
      "The first request of each is the machine client's per-second counter (shared/data/client-rates.ts), made on every call of a machine client.",
      '',
    );
  }

  if (wanted('tasks')) {
    const openTasks = Number(process.env.BENCH_OPEN_TASKS ?? 10_000);
    console.log(`measuring GET /v1/tasks with ${openTasks} open tasks...`);
    const tasks = await dashboard(stage, openTasks, count);
    report.dashboard = { openTasks, ...tasks };
    lines.push(
      `## Dashboard GET /v1/tasks with ${openTasks} open tasks in the organisation (ms)`,
      '',
      '| request | p50 | p99 |',
      '|---|---|---|',
      `| GET /v1/tasks?limit=50 (consultant) | ${tasks.api.p50} | ${tasks.api.p99} |`,
      `| the requests its handler makes, bare: ${tasks.requests} | ${tasks.bare.p50} | ${tasks.bare.p99} |`,
      `| GET /v1/tasks?limit=50&overdue=true&type=checkCompleteness | ${tasks.overdue.p50} | ${tasks.overdue.p99} |`,
      `| bare Query on the open-task index, Limit 50, no filter | ${tasks.bareQuery.p50} | ${tasks.bareQuery.p99} |`,
      '',
      `p99 of the route over the p99 of its bare requests: ${(tasks.api.p99 / tasks.bare.p99).toFixed(2)}x (route and bare requests timed alternately). A first page is one Query: the organisation's counter item sorts before its tasks in the open-task index, so the counts come with the page (a later page reads them with a GetItem beside its Query). The filter on roles and type reads the same 51 index entries, so the number of open tasks does not enter.`,
      '',
    );
  }

  if (wanted('kbo-sync')) {
    console.log('measuring the KBO sync of an Update against known establishments...');
    const sync = await benchKboSync(stage, join(dataDir, 'kbo-sync'));
    report.kboSync = sync;
    lines.push(...kboSyncReport(sync));
  }

  if (wanted('kbo-import')) {
    console.log(`generating a full KBO extract of ${importEnterprises} enterprises...`);
    mkdirSync(join(dataDir, 'kbo'), { recursive: true });
    const zipPath = join(dataDir, 'kbo', 'KboOpenData_0001_2026_11_01_Full.zip');
    await generateFullExtract({ enterprises: importEnterprises, seed: 42, path: zipPath });
    console.log('importing it...');
    const started = performance.now();
    // The stage holds the seed's extract 1 already: this measured import is a deliberate rebuild.
    const counts = await importFullExtract(stage.deps, zipPath, { force: true });
    const seconds = (performance.now() - started) / 1000;
    const rows = Object.values(counts as unknown as Record<string, number>)
      .filter((v) => typeof v === 'number')
      .reduce((s, v) => s + v, 0);
    report.kboImport = { enterprises: importEnterprises, seconds, counts, rowsPerSecond: rows / seconds, enterprisesPerSecond: importEnterprises / seconds };
    lines.push(
      '## KBO full import',
      '',
      `${importEnterprises} generated enterprises: ${seconds.toFixed(1)} s, ${(importEnterprises / seconds).toFixed(0)} enterprises/s, ${(rows / seconds).toFixed(0)} rows/s into DynamoDB Local.`,
      '',
      '```',
      JSON.stringify(counts, null, 2),
      '```',
      '',
    );
  }
  if (wanted('cold-start')) {
    // Last: the scheduled jobs run for real against the stage's data.
    const samples = Number(process.env.BENCH_COLD_STARTS ?? 5);
    console.log(`measuring cold starts (${samples} fresh processes per function and variant)...`);
    const cold = await coldStarts(stage, join(dataDir, 'cold-start'), samples);
    report.coldStart = cold;
    lines.push(...coldStartReport(cold));
  }
} finally {
  await stage.stop();
  rmSync(dataDir, { recursive: true, force: true });
}

mkdirSync(localPaths.bench, { recursive: true });
writeFileSync(join(localPaths.bench, 'report.json'), JSON.stringify(report, null, 2));
writeFileSync(join(localPaths.bench, 'report.md'), lines.join('\n'));
console.log(lines.join('\n'));
console.log(`\nReport written to ${join(localPaths.bench, 'report.md')} and report.json`);
process.exit(0);
