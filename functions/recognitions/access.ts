// Who may act on what, read once per request: the file (or the recognition) and the caller's part in it. A caller
// that may not see it gets a 404, as if it did not exist; one whose part does not allow the step gets a 403.
import type { Dependencies } from '../../shared/adapters/dependencies.ts';
import { getApplication } from '../../shared/data/applications.ts';
import { mandateScopeOf } from '../../shared/data/mandates.ts';
import { getRecognition } from '../../shared/data/recognitions.ts';
import { kboDigits } from '../../shared/domain/identifiers.ts';
import type { ActingOrganisation } from '../../shared/domain/organisations.ts';
import { applicationAudience, type Application, type ApplicationAudience, type Recognition } from '../../shared/domain/recognitions.ts';
import { type ConflictTable, problemFor } from '../../shared/http/conflicts.ts';
import { applicationConflicts, notAllowed } from './conflicts.ts';
import { recognitionAudience, type RecognitionAudience } from './views.ts';

/** The caller's part in a file it may see, if `allowed` includes it. */
export async function authorise(
  application: Application | undefined,
  acting: ActingOrganisation | undefined,
  deps: Dependencies,
  allowed: ApplicationAudience[],
) {
  // A counsellor acts under the provider's mandate: its scope decides which of the enterprise's files it sees.
  const counsellor = application && acting?.type === 'provider' && acting.roles.includes('counsellor');
  const scope = counsellor ? await mandateScopeOf(deps, kboDigits(application.enterpriseNumber), acting.id) : 'none';
  const audience = application ? applicationAudience(application, acting, scope) : undefined;
  if (!application || !audience) throw problemFor('application-not-found', applicationConflicts);
  if (!allowed.includes(audience)) throw notAllowed('not-allowed-for-party');
  return { application, audience };
}

export const loadApplication = async (id: string, acting: ActingOrganisation | undefined, deps: Dependencies, allowed: ApplicationAudience[]) =>
  authorise(await getApplication(deps, id), acting, deps, allowed);

/** The recognition, if the caller's part in it is one of `allowed`; otherwise the table's `recognition-not-found`. */
export async function loadRecognition(
  id: string,
  acting: ActingOrganisation,
  deps: Dependencies,
  allowed: RecognitionAudience[],
  table: ConflictTable<'recognition-not-found'>,
): Promise<{ recognition: Recognition; audience: RecognitionAudience }> {
  const recognition = await getRecognition(deps, id);
  const audience = recognition ? recognitionAudience(recognition, acting) : undefined;
  if (!recognition || !audience || !allowed.includes(audience)) throw problemFor('recognition-not-found', table);
  return { recognition, audience };
}
