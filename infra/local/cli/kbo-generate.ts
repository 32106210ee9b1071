// Synthetic KBO Open Data extracts in the exact published format (infra/local/kbo/generator.ts).
//   npm run kbo:generate -- --enterprises 100000 [--seed 42] [--out .local/kbo/KboOpenData_0001_2026_11_01_Full.zip]
//   npm run kbo:generate -- --update 3 --enterprises 100000 [--seed 42] [--out ...]
// An update is the diff against the extract before it: `--update 3` writes extract 3 of the chain that starts
// with the Full extract 1 of the same --enterprises and --seed (extract 2 is planned along, not written).
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fullFileName, generateFullExtract, generateUpdateExtract, planUpdate, planUpdates, updateFileName } from '../kbo/generator.ts';
import { localPaths } from '../paths.ts';

const usage = `Usage:
  npm run kbo:generate -- --enterprises 100000 [--seed 42] [--out <Full zip>]
  npm run kbo:generate -- --update 3 --enterprises 100000 [--seed 42] [--out <Update zip>]`;
const options = {
  enterprises: { type: 'string', default: '1000' },
  seed: { type: 'string', default: '1' },
  out: { type: 'string' },
  update: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;
let values: ReturnType<typeof parseArgs<{ options: typeof options }>>['values'];
try {
  ({ values } = parseArgs({ options }));
} catch (error) {
  console.error(`${(error as Error).message}\n${usage}`);
  process.exit(2);
}
if (values.help) {
  console.log(usage);
  process.exit(0);
}
const enterprises = Number(values.enterprises);
const seed = Number(values.seed);
if (!Number.isInteger(enterprises) || enterprises < 1 || enterprises > 2_000_000 || !Number.isInteger(seed)) {
  console.error('--enterprises must be a whole number from 1 to 2,000,000 and --seed a whole number');
  process.exit(2);
}
const base = { enterprises, seed, extractNumber: 1 };
const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;

if (values.update === undefined) {
  const out = values.out ?? join(localPaths.kbo, fullFileName(base));
  const counts = await generateFullExtract({ ...base, path: out });
  console.log(
    `Wrote ${out} in ${elapsed()}: ${counts.enterprises} enterprises (${counts.naturalPersons} natural persons), ${counts.establishments} establishments, ${counts.rows.denomination} names, ${counts.rows.address} addresses.`,
  );
} else {
  const number = Number(values.update);
  if (!Number.isInteger(number) || number < 2) {
    console.error('--update takes the extract number, 2 or higher (1 is the Full extract)');
    process.exit(2);
  }
  const previous = planUpdates(base, number - 2);
  // Plans are deterministic: planning first gives the name (its date) of the zip generateUpdateExtract writes.
  const out = values.out ?? join(localPaths.kbo, updateFileName(planUpdate(base, previous, { extractNumber: number })));
  const plan = await generateUpdateExtract({ base, previous, extractNumber: number, path: out });
  console.log(`Wrote ${out} in ${elapsed()}:`);
  console.log(JSON.stringify(plan, null, 2));
}
