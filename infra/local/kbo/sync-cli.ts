// `npm run kbo:sync -- <KboOpenData_..._Update.zip>...`
// Drops the Update zips into the local stage's KBO inbox bucket and runs the kbo-sync state machine on them,
// exactly as the weekly schedule does (same ASL, same task handlers, the zips read from S3 by ranged GETs),
// with a progress bar per slice. Works on the running `npm start` stage (its queue poller then turns the
// changes into tasks at once) or on its persisted data when it is not running.
// Without arguments it runs the sync on what the inbox already holds (`npm run schedule -- kbo-sync` does the
// same on a running stage, without the progress bar).
import { createReadStream, existsSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import cliProgress from 'cli-progress';
import { createSyncTasks, type FileInput, type FileState } from '../../../functions/kbo-sync/sync-tasks.ts';
import { parseExtractName } from '../../../shared/adapters/kbo/extract.ts';
import { getLatestExtract } from '../../../shared/data/kbo.ts';
import { getCheckpoint } from '../../../shared/data/kbo-changes.ts';
import { getReport, reportKey } from '../../../shared/data/kbo-reports.ts';
import { reportLines } from '../../../shared/domain/kbo-report.ts';
import { stateMachines } from '../../topology.ts';
import { connectLocalStage } from '../connect.ts';
import { createLocalStateMachine, loadDefinition } from '../state-machines.ts';

const paths = process.argv.slice(2).filter((a) => a !== '--');
for (const path of paths) {
  const name = parseExtractName(path);
  if (!existsSync(path)) {
    console.error(`${path} does not exist.\nUsage: npm run kbo:sync -- <update.zip>...`);
    process.exit(2);
  }
  if (name?.type !== 'update') {
    console.error(`${path}: not an Update extract (KboOpenData_<nr>_<yyyy>_<mm>[_<dd>]_Update.zip).\nUsage: npm run kbo:sync -- <update.zip>...`);
    process.exit(2);
  }
}

const stage = await connectLocalStage();
try {
  for (const path of paths) {
    await stage.deps.s3.send(
      new PutObjectCommand({
        Bucket: stage.deps.config.KBO_INBOX_BUCKET,
        Key: basename(path),
        Body: createReadStream(path),
        ContentLength: statSync(path).size,
      }),
    );
    console.log(`Dropped ${basename(path)} into the KBO inbox.`);
  }
  const tasks = createSyncTasks(stage.deps);
  const bar = new cliProgress.SingleBar(
    { format: '{bar} {value}/{total} slices | extract {extract} | {changes} changes', hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  let barStarted = false;
  const applied: number[] = [];
  const show = async (state: FileState) => {
    if (state.done && !state.skipped && !applied.includes(state.extractNumber)) applied.push(state.extractNumber);
    const checkpoint = await getCheckpoint(stage.deps, state.extractNumber);
    const payload = { extract: state.extractNumber, changes: checkpoint?.counts.changes ?? 0 };
    if (!barStarted) {
      bar.start(Math.max(1, state.sliceCount), 0, payload);
      barStarted = true;
    }
    bar.setTotal(Math.max(1, state.sliceCount));
    bar.update(Math.min(state.nextSlice, state.sliceCount), payload);
    return state;
  };
  const definition = stateMachines.find((m) => m.name === 'kbo-sync')!;
  const machine = createLocalStateMachine({
    definition,
    machine: loadDefinition(definition),
    waitOverrides: 0,
    functions: {
      PlanRunFunction: async () => {
        const plan = await tasks.planRun();
        console.log(plan.files.length ? `Applying extracts ${plan.files.map((f) => f.extractNumber).join(', ')}.` : 'Nothing to apply.');
        return plan as never;
      },
      PrepareFileFunction: async (input) => (await show(await tasks.prepareFile(input as unknown as FileInput))) as never,
      ApplySliceFunction: async (input) => (await show(await tasks.applySlice(input as unknown as FileInput))) as never,
    },
  });
  const started = performance.now();
  const run = machine.start({}, `kbo-sync-cli-${Date.now()}`);
  try {
    await run.result;
    bar.stop();
    console.log(`Done in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
  } catch (error) {
    bar.stop();
    // The executor wraps the failing state's error: its cause carries the name the ASL matched on.
    const cause = ((error as Error).cause ?? error) as Error;
    console.error(`The sync stopped (${cause.name}): ${cause.message}`);
    const hints: Record<string, string> = {
      ExtractGap: 'Drop the missing Updates into the inbox (or import a newer Full) and run the sync again.',
      KboFormatError: 'That file breaks the format and nothing of it was applied: replace it with a good copy and run the sync again.',
      ExtractOutOfOrder: "The file's meta.csv does not match its name or the last applied extract: check the file.",
    };
    console.error(hints[cause.name] ?? 'Run the sync again: it resumes where it stopped.');
    process.exitCode = 1;
  }
  // Printed after the bar: printing while it draws would garble both.
  for (const extractNumber of applied) {
    const report = await getReport(stage.deps, extractNumber);
    if (report) console.log(reportLines(report, `s3://${stage.deps.config.KBO_INBOX_BUCKET}/${reportKey(report.fileName)}`).join('\n'));
  }
  const latest = await getLatestExtract(stage.deps);
  if (latest) {
    console.log(`Last applied extract: ${latest.extractNumber} (${latest.type}, snapshot ${latest.snapshotDate}).`);
    if (latest.type === 'update') console.log(`  counts: ${JSON.stringify(latest.counts)}`);
  }
} finally {
  await stage.close();
}
