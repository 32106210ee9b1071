// Writes synthetic KBO Open Data extracts in the exact published format (../../../../shared/kbo-open-data.md),
// for the seed, tests and benchmarks. Everything is a function of (seed, enterprise index), and Updates form a
// chain: plan n is made against the base and the plans before it, and every plan is itself deterministic.
// This module is the generator's entry; its parts, by concern:
//   csv-zip.ts            CSV fields, zip writing, meta.csv and file names
//   code-tables.ts        code.csv
//   enterprise-model.ts   the generated enterprises (numbers, places, names, establishments)
//   enterprise-rows.ts    the CSV rows of one enterprise
//   full-extract.ts       a Full extract
//   update-plans.ts       what an Update changes, and the chain of plans
//   update-extract.ts     an Update extract from its plan
export { codeLines, juridicalSituations } from './code-tables.ts';
export {
  addDays,
  bare,
  columns,
  csvLine,
  extractFileName,
  kboDateText,
  metaLines,
  text,
  writeZip,
  writeZipMembers,
  type Dialect,
  type Field,
  type Lines,
  type ZipMember,
} from './csv-zip.ts';
export {
  enterpriseNumber,
  establishmentNumber,
  establishmentsPerEnterprise,
  generatedEnterprise,
  maxEnterprises,
  newEnterpriseNumber,
  newEstablishmentNumber,
  type ActivitySpec,
  type AddressSpec,
  type AddressState,
  type BaseExtract,
  type ContactSpec,
  type GeneratedBranch,
  type GeneratedEnterprise,
  type GeneratedEstablishment,
  type NameSpec,
} from './enterprise-model.ts';
export { addressFields } from './enterprise-rows.ts';
export { fullFileName, generateFullExtract, type GeneratedCounts } from './full-extract.ts';
export {
  planUpdate,
  planUpdates,
  type AddressMove,
  type EnterpriseStop,
  type EstablishmentStop,
  type NameChange,
  type NewEnterprise,
  type Restatement,
  type SituationChange,
  type UpdateOptions,
  type UpdatePlan,
} from './update-plans.ts';
export { generateUpdateExtract, handMadeUpdateName, updateFileName, updateMembers, writeHandMadeUpdate, type HandMadeUpdate } from './update-extract.ts';
