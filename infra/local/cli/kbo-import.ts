// `npm run kbo:import -- <KboOpenData_..._Full.zip>`: streams a full extract into the local stage's table.
import { existsSync } from 'node:fs';
import cliProgress from 'cli-progress';
import { importFullExtract } from '../../../functions/kbo-sync/full-import.ts';
import { parseExtractName } from '../../../shared/adapters/kbo/extract.ts';
import { connectLocalStage } from '../connect.ts';

const path = process.argv[2];
if (!path || !existsSync(path) || parseExtractName(path)?.type !== 'full') {
  console.error('Usage: npm run kbo:import -- <path to KboOpenData_<nr>_<yyyy>_<mm>[_<dd>]_Full.zip>');
  process.exit(2);
}
const stage = await connectLocalStage();
console.log(stage.started ? 'The local stage is not running: using its data in .local/ directly.' : 'Importing into the running local stage.');
const bar = new cliProgress.SingleBar({ format: '{file} | {value} rows | {rate} rows/s', hideCursor: true }, cliProgress.Presets.shades_classic);
bar.start(0, 0, { file: '', rate: 0 });
const started = Date.now();
try {
  const counts = await importFullExtract(stage.deps, path, { onProgress: (p) => bar.update(p.rows, { file: p.file.padEnd(17), rate: Math.round(p.rowsPerSecond) }) });
  bar.stop();
  console.log(`Imported in ${((Date.now() - started) / 1000).toFixed(1)} s:`, counts);
} finally {
  bar.stop();
  await stage.close();
}
