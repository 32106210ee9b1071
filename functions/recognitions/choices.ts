// The drafting picker, `GET /v1/recognitions?programme=...`: the recognised workplaces of a programme that the
// acting organisation may use for an agreement, each with its mentors and the free places. The enterprise sees its
// own; a counsellor those of one enterprise it names (`enterprise`), or without it those of the enterprises that
// confirmed a mandate of its provider. No Scan: per enterprise its establishments, their recognition links and the
// recognitions (shared/data/recognitions.ts), then one BatchGet of the capacity facts of the page.
import * as z from 'zod';
import { brusselsDate } from '../../shared/adapters/clock.ts';
import type { Dependencies } from '../../shared/adapters/dependencies.ts';
import { confirmedMandateEnterprises } from '../../shared/data/mandates.ts';
import { InvalidCursorError } from '../../shared/data/pagination.ts';
import { placesInUse, recognitionsOfEnterprise, type PlacesInUse } from '../../shared/data/recognitions.ts';
import { capacitiesOf } from '../../shared/domain/agreements.ts';
import type { ActingOrganisation } from '../../shared/domain/organisations.ts';
import { choosable, type Recognition } from '../../shared/domain/recognitions.ts';
import type { ApiResponse } from '../../shared/http/route.ts';
import { notAllowed } from './conflicts.ts';
import type { RecognitionChoiceQuery } from './schemas.ts';
import { recognitionChoice } from './views.ts';

/** Enterprises one page reads at most (three requests each): a counsellor with many mandates follows the cursor. */
const maxEnterprisesPerPage = 10;
/** Sorts before every recognition id: a cursor that resumes at the start of an enterprise. */
const beforeAll = 'E/00000000/000000';

/**
 * Where the next page resumes: in `enterprise`, after the recognition `after` (ids sort by decision date and
 * number). Exactly this shape, or the 400 `invalid-cursor`, as for the cursors of the data layer.
 */
const innerCursor = z.strictObject({ enterprise: z.string().regex(/^\d{10}$/), after: z.string().regex(/^E\/\d{8}\/\d{6}$/) });
type Resume = z.infer<typeof innerCursor>;

function resumeFrom(cursor: string | undefined, enterprises: readonly string[]): { step: number; after: string } {
  if (cursor === undefined) return { step: 0, after: beforeAll };
  let parsed: ReturnType<typeof innerCursor.safeParse>;
  try {
    parsed = innerCursor.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw new InvalidCursorError();
  }
  // An enterprise no longer in the list (a mandate revoked since the previous page) ends the paging with a 400.
  const step = parsed.success ? enterprises.indexOf(parsed.data.enterprise) : -1;
  if (!parsed.success || step < 0) throw new InvalidCursorError();
  return { step, after: parsed.data.after };
}
const encode = (resume: Resume) => Buffer.from(JSON.stringify(resume), 'utf8').toString('base64url');

/** The enterprises whose workplaces this organisation may pick from, in order. */
async function enterprisesFor(query: RecognitionChoiceQuery, acting: ActingOrganisation, deps: Dependencies): Promise<string[]> {
  if (acting.type === 'enterprise') {
    if (query.enterprise !== undefined && query.enterprise !== acting.id) throw notAllowed('not-your-workplaces');
    return [acting.id];
  }
  if (acting.type === 'provider') return query.enterprise !== undefined ? [query.enterprise] : confirmedMandateEnterprises(deps, acting.id);
  throw notAllowed('choice-not-for-party');
}

/** One page of choosable recognitions, enterprise after enterprise, and where the next page resumes (null: none). */
async function pageOf(query: RecognitionChoiceQuery, enterprises: string[], today: string, deps: Dependencies) {
  const limit = query.limit ?? 25;
  let { step, after } = resumeFrom(query.cursor, enterprises);
  const items: Recognition[] = [];
  for (let read = 0; items.length < limit && step < enterprises.length && read < maxEnterprisesPerPage; read++) {
    const enterprise = enterprises[step]!;
    const found = (await recognitionsOfEnterprise(deps, enterprise)).filter((r) => r.id > after && choosable(r, query.programme, today, query.onDate));
    const taken = found.slice(0, limit - items.length);
    items.push(...taken);
    // The page is full inside this enterprise: the next one resumes after its last item.
    if (taken.length < found.length) return { items, next: { enterprise, after: taken.at(-1)!.id } };
    step++;
    after = beforeAll;
  }
  return { items, next: step < enterprises.length ? { enterprise: enterprises[step]!, after: beforeAll } : null };
}

/** The free places of one recognition from the page's capacity facts. */
function placesOf(r: Recognition, places: PlacesInUse) {
  const capacity = capacitiesOf(places.rulesOf(r.partnershipId), r.programmeId);
  return {
    mentorCapacity: capacity.mentor,
    establishmentCapacity: capacity.establishment,
    mentorUsed: places.mentorSlotsUsed,
    establishmentUsed: places.establishmentSlotsUsed(r.establishmentNumber),
  };
}

export async function chooseRecognitions(query: RecognitionChoiceQuery, acting: ActingOrganisation, deps: Dependencies): Promise<ApiResponse> {
  const today = brusselsDate(deps.clock.now());
  const { items, next } = await pageOf(query, await enterprisesFor(query, acting, deps), today, deps);
  const places = await placesInUse(deps, items);
  return { status: 200, body: { items: items.map((r) => recognitionChoice(r, placesOf(r, places), today)), cursor: next ? encode(next) : null } };
}
