// The reference data files of the repository, validated against the same schemas the API uses.
import programmes from './programmes.json' with { type: 'json' };
import partnerships from './partnerships.json' with { type: 'json' };
import routing from './routing.json' with { type: 'json' };
import allowances from './allowances.json' with { type: 'json' };
import providers from './providers.json' with { type: 'json' };
import agreementModels from './agreement-models.json' with { type: 'json' };
import postcodes from './postcodes.json' with { type: 'json' };
import { referenceKinds, type ReferenceKind } from '../shared/domain/reference.ts';

const files: Record<ReferenceKind, unknown[]> = { programmes, partnerships, routing, allowances, providers, agreementModels, postcodes };

export function referenceFiles(): Record<ReferenceKind, { id: string }[]> {
  const result = {} as Record<ReferenceKind, { id: string }[]>;
  for (const kind of Object.keys(referenceKinds) as ReferenceKind[]) {
    const schema = referenceKinds[kind].schema;
    result[kind] = files[kind].map((row, index) => {
      const parsed = schema.safeParse(row);
      if (!parsed.success) throw new Error(`reference-data/${kind}.json row ${index}: ${parsed.error.message}`);
      return parsed.data as { id: string };
    });
  }
  return result;
}
