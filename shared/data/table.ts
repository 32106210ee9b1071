// The one DynamoDB table: its key schema and indexes. CDK (infra/stacks/data-stack.ts) and the local
// stage (infra/local) both create the table from this definition, so names of keys and indexes exist once.
// The access patterns are listed in shared/data/README.md.

export const keyAttributes = {
  partitionKey: 'pk',
  sortKey: 'sk',
  timeToLive: 'ttl',
} as const;

export type IndexDefinition = { name: string; partitionKey: string; sortKey: string };

/** Global secondary indexes; all project every attribute. */
export const globalIndexes = [
  { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  { name: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
  /** Sparse: the KBO entities by postcode and normalised name, for the name search of the verification API. */
  { name: 'gsi3', partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
] as const satisfies readonly IndexDefinition[];

export type IndexName = (typeof globalIndexes)[number]['name'];

/** All key attributes are strings. */
export const tableDefinition = {
  ...keyAttributes,
  globalIndexes,
} as const;
