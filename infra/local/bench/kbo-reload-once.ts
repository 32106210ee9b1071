// One measurement of a reconciling Full reload (functions/kbo-import/reconcile.ts) on the local emulators:
// a generated Full N-1 imported, then the Full of the day of Update N (the base with that Update's changes)
// reconciled onto it. Prints the time, the DynamoDB requests by command and what the reload found.
//   npx tsx infra/local/bench/kbo-reload-once.ts [enterprises]
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importFullExtract, importOrReconcile } from '../../../functions/kbo-import/full-import.ts';
import { countingRequests } from './counting.ts';
import { connectLocalStage } from '../connect.ts';
import { fullFileName, generateFullExtract, planUpdate } from '../kbo/generator.ts';

const enterprises = Number(process.argv[2] ?? 20_000);
const base = { enterprises, seed: 42 };
const dir = mkdtempSync(join(tmpdir(), 'kbo-reload-'));
const first = join(dir, fullFileName(base));
await generateFullExtract({ ...base, path: first });
const plan = planUpdate(base, [], { addressMoves: 400, enterpriseStops: 100, establishmentStops: 100, nameChanges: 200, newEnterprises: 100 });
const second = join(dir, `KboOpenData_${String(plan.extractNumber).padStart(4, '0')}_2026_11_30_Full.zip`);
await generateFullExtract({ ...base, path: second, updates: [plan] });

const stage = await connectLocalStage();
try {
  const started = performance.now();
  await importFullExtract(stage.deps, first, { force: true });
  const loadSeconds = (performance.now() - started) / 1000;
  const { deps, requests } = countingRequests(stage.deps);
  const reloadStarted = performance.now();
  const outcome = await importOrReconcile(deps, second);
  const reloadSeconds = (performance.now() - reloadStarted) / 1000;
  if (outcome.step !== 'reconcile') throw new Error('expected a reconciling reload');
  const { counts, gone, report } = outcome.result;
  console.log(
    JSON.stringify({
      enterprises,
      loadSeconds: Number(loadSeconds.toFixed(1)),
      reloadSeconds: Number(reloadSeconds.toFixed(1)),
      rows: counts.rows,
      entitiesApplied: counts.entitiesApplied,
      itemsWritten: counts.itemsWritten,
      itemsUnchanged: counts.itemsUnchanged,
      gone,
      changeRecords: counts.changes,
      changesWithoutRecognitions: counts.changesWithoutRecognitions,
      reportEmpty: report.empty,
      requests,
    }),
  );
} finally {
  await stage.close();
}
