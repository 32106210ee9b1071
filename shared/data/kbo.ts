// PLACEHOLDER written by the lead while the KBO helper builds the real module: replace this whole file.
import type { Dependencies } from '../adapters/dependencies.ts';
export async function getEnterpriseProfile(_deps: Dependencies, _digits: string): Promise<unknown | undefined> {
  return undefined;
}
