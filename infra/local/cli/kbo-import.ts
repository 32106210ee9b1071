// `npm run kbo:import -- [--force] <path to KboOpenData_<nr>_<yyyy>_<mm>[_<dd>]_Full.zip>`
// Streams a KBO Open Data Full extract into the local stage's table: the running `npm start` stage, or its
// persisted data when it is not running. On an empty table it loads the Full; on a table at an older extract it
// reconciles (functions/kbo-import/reconcile.ts: what changed or left KBO in between becomes change records and
// partnership tasks, as the sync would make them). A Full not newer than the last applied extract is refused
// unless --force (then importing the same extract again changes nothing). With --workflow it runs the deployed
// path instead: the kbo-full-import state machine on the local stage (infra/local/kbo/full-import-workflow.ts).
import { existsSync } from 'node:fs';
import cliProgress from 'cli-progress';
import { reportLines } from '../../../shared/domain/kbo-report.ts';
import { importOrReconcile } from '../../../functions/kbo-import/full-import.ts';
import { parseExtractName } from '../../../shared/adapters/kbo/extract.ts';
import { connectLocalStage } from '../connect.ts';
import { getReport } from '../../../shared/data/kbo-reports.ts';
import { runFullImportWorkflow } from '../kbo/full-import-workflow.ts';

const usage = 'Usage: npm run kbo:import -- [--force] [--workflow] <path to KboOpenData_<nr>_<yyyy>_<mm>[_<dd>]_Full.zip>';
const args = process.argv.slice(2).filter((a) => a !== '--');
// --force: import a Full that is not newer than the last applied extract (a deliberate rebuild).
const force = args.includes('--force');
const path = args.find((a) => !a.startsWith('--'));
if (!path) {
  console.error(usage);
  process.exit(2);
}
if (!existsSync(path)) {
  console.error(`${path} does not exist.\n${usage}`);
  process.exit(2);
}
// The name is checked for the obvious mistake (an Update); meta.csv inside the zip is what the import trusts.
if (parseExtractName(path)?.type === 'update') {
  console.error(`${path} is an Update extract; kbo:import loads a Full extract (updates are applied by the KBO sync).`);
  process.exit(2);
}

// --workflow: the deployed path (the kbo-full-import state machine, its parts and Distributed Map) on the local stage.
const workflow = args.includes('--workflow');

const stage = await connectLocalStage();
if (workflow) {
  try {
    const started = performance.now();
    const result = await runFullImportWorkflow(stage.deps, path, {
      force,
      onPrepared: (file) => console.log(`${file.fileName}: ${file.step === 'load' ? 'load' : 'reconciling reload'} in ${file.partCount} parts.`),
      onPart: (input, output, ms) =>
        console.log(
          `  part ${input.part.index + 1}/${input.file.partCount} ${output.skipped ? 'already applied, skipped' : `applied in ${(ms / 1000).toFixed(1)} s`}`,
        ),
    });
    console.log(`Done in ${((performance.now() - started) / 1000).toFixed(1)} s; counts: ${JSON.stringify(result.counts)}`);
    const report = await getReport(stage.deps, result.extractNumber);
    if (report) console.log(reportLines(report, result.report).join('\n'));
  } catch (error) {
    const cause = error as Error;
    console.error(`The Full import stopped (${cause.name}): ${cause.message}`);
    console.error(cause.name === 'KboFullPartFailed' ? 'Run it again: it skips the parts already applied.' : 'Nothing more was applied.');
    process.exitCode = 1;
  } finally {
    await stage.close();
  }
  process.exit();
}
const bar = new cliProgress.SingleBar(
  { format: '{bar} {percentage}% | {file} | {rows} rows | {rate} rows/s | {written} items written', hideCursor: true, etaBuffer: 50 },
  cliProgress.Presets.shades_classic,
);
const started = performance.now();
let barStarted = false;
let reportText: string[] = [];
try {
  const outcome = await importOrReconcile(stage.deps, path, {
    force,
    onWarning: (message) => console.warn(`Warning: ${message}`),
    // Kept for after the bar: printing while it draws would garble both.
    onReport: (report, location) => {
      reportText = reportLines(report, location);
    },
    onProgress: (p) => {
      const payload = {
        file: p.file.padEnd(17),
        rows: p.totalRows.toLocaleString('en'),
        rate: Math.round(p.rowsPerSecond).toLocaleString('en'),
        written: p.itemsWritten.toLocaleString('en'),
      };
      if (!barStarted) {
        bar.start(Math.max(1, p.totalBytes), 0, payload);
        barStarted = true;
      }
      bar.update(Math.min(p.bytesRead, p.totalBytes), payload);
    },
  });
  bar.stop();
  const seconds = (performance.now() - started) / 1000;
  if (outcome.step === 'reconcile') {
    const { counts, gone } = outcome.result;
    console.log(`Reconciled ${path} with the table in ${seconds.toFixed(1)} s:`);
    console.log(`  entities applied   ${counts.entitiesApplied} (${gone.enterprises} enterprises and ${gone.establishments} establishments left KBO)`);
    console.log(`  items written      ${counts.itemsWritten} (${counts.itemsUnchanged} unchanged, not written)`);
    console.log(`  change records     ${counts.changes} for partnerships (their tasks follow from the changes queue)`);
  } else {
    const { counts } = outcome;
    const items = counts.enterprises + counts.establishments + counts.names + counts.addresses;
    console.log(`Imported ${path} in ${seconds.toFixed(1)} s (${Math.round(items / seconds)} items/s):`);
    console.log(`  enterprises     ${counts.enterprises}`);
    console.log(`  establishments  ${counts.establishments}`);
    console.log(`  names           ${counts.names}`);
    console.log(`  addresses       ${counts.addresses}`);
    console.log(`  duplicate rows  ${counts.duplicateRows} (the last of each kept)`);
    console.log(
      `  skipped rows    ${counts.skipped.branchRows} of branches, ${counts.skipped.unknownEntity} of unknown entities, ${counts.skipped.invalid} invalid`,
    );
  }
  console.log(reportText.join('\n'));
} catch (error) {
  bar.stop();
  console.error(`The import failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await stage.close();
}
