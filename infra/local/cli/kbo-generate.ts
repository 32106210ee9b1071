// `npm run kbo:generate -- --enterprises 100000 --out .local/kbo/KboOpenData_0001_2026_11_01_Full.zip [--seed 42]`
import { parseArgs } from 'node:util';
import { generateFullExtract } from '../kbo/generator.ts';

const { values } = parseArgs({ options: { enterprises: { type: 'string', default: '1000' }, out: { type: 'string' }, seed: { type: 'string', default: '1' }, number: { type: 'string', default: '1' } } });
const enterprises = Number(values.enterprises);
const out = values.out ?? `.local/kbo/KboOpenData_${values.number!.padStart(4, '0')}_2026_11_01_Full.zip`;
if (!Number.isInteger(enterprises) || enterprises < 1) {
  console.error('--enterprises must be a positive whole number');
  process.exit(2);
}
const started = Date.now();
const result = await generateFullExtract({ enterprises, seed: Number(values.seed), path: out, extractNumber: Number(values.number) });
console.log(`Wrote ${out}: ${result.enterprises} enterprises, ${result.establishments} establishments in ${((Date.now() - started) / 1000).toFixed(1)} s`);
