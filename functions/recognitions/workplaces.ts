// Recognitions as workplaces: whether a workplace is recognised (for the parties of an agreement), the
// enterprise's free place, and the public search of workplaces with a free place, by programme or sector,
// postcode or municipality, or by distance.
import { brusselsDate } from '../../shared/adapters/clock.ts';
import type { Dependencies } from '../../shared/adapters/dependencies.ts';
import { findRecognitions, getRecognitionHistory, saveRecognition, searchWorkplaces, workplacePostcodePrefix } from '../../shared/data/recognitions.ts';
import { allReference, getReference } from '../../shared/data/reference.ts';
import { closeTask } from '../../shared/data/tasks.ts';
import type { ActingOrganisation } from '../../shared/domain/organisations.ts';
import { taskIds } from '../../shared/domain/recognition-tasks.ts';
import { activeRefusal, distanceKm, type Recognition } from '../../shared/domain/recognitions.ts';
import type { Postcode, Programme } from '../../shared/domain/reference.ts';
import { unwrap } from '../../shared/http/conflicts.ts';
import { badRequest, unprocessable } from '../../shared/http/problem.ts';
import type { ApiResponse } from '../../shared/http/route.ts';
import { loadRecognition } from './access.ts';
import { chooseRecognitions } from './choices.ts';
import { availabilityConflicts, recognitionConflicts, refuseIf } from './conflicts.ts';
import type { RecognitionsQuery, WorkplacesQuery } from './schemas.ts';
import { recognitionAudience, recognitionView, workplaceOf, type RecognitionAudience } from './views.ts';

/**
 * The recognitions of an establishment, each in the view of the caller (views.ts): an enterprise sees only its
 * own; a counsellor the mentors' names to choose from; another partnership no people at all.
 */
export async function searchRecognitions(query: RecognitionsQuery, acting: ActingOrganisation, deps: Dependencies): Promise<ApiResponse> {
  // Without an establishment it is the drafting picker (choices.ts); the schema requires a programme then.
  if (query.establishment === undefined) return chooseRecognitions({ ...query, programme: query.programme! }, acting, deps);
  const found = await findRecognitions(deps, query.establishment, query.programme);
  const onDate = query.onDate;
  const today = brusselsDate(deps.clock.now());
  const items = found
    .filter((r) => !onDate || (r.status === 'active' && r.startDate <= onDate && onDate <= r.endDate))
    .flatMap((r) => {
      const audience = recognitionAudience(r, acting);
      return audience ? [recognitionView(r, audience, onDate ?? today)] : [];
    });
  return { status: 200, body: { items } };
}

/**
 * One recognition, in the caller's view: the enterprise itself, the competent partnership and the department see
 * all of it, a counsellor what it needs to choose a workplace (as the establishment search shows it); another
 * enterprise or partnership gets the 404 of the routes on one recognition.
 */
export async function readRecognition(id: string, acting: ActingOrganisation, deps: Dependencies): Promise<ApiResponse> {
  const readers: RecognitionAudience[] = ['enterprise', 'competentPartnership', 'department', 'provider'];
  const { recognition, audience } = await loadRecognition(id, acting, deps, readers, recognitionConflicts);
  const view = recognitionView(recognition, audience, brusselsDate(deps.clock.now()));
  // Who changed it and when is for those who see it whole, not for a counsellor choosing a workplace.
  if (audience === 'provider') return { status: 200, body: view, version: recognition.version };
  return { status: 200, body: { ...view, history: await getRecognitionHistory(deps, recognition.id) }, version: recognition.version };
}

/** The enterprise marks per recognition whether it has a place for a learner; that drives the public search. */
export async function setAvailability(
  id: string,
  placeAvailable: boolean,
  ifMatch: number,
  acting: ActingOrganisation,
  deps: Dependencies,
): Promise<ApiResponse> {
  const { recognition } = await loadRecognition(id, acting, deps, ['enterprise'], availabilityConflicts);
  refuseIf(activeRefusal(recognition), availabilityConflicts);
  const saved = unwrap(await saveRecognition(deps, { ...recognition, placeAvailable }, ifMatch), availabilityConflicts);
  // Setting the free places, to yes or no, is what the enterprise's "Vrije plaatsen instellen" task asks.
  await closeTask(deps, acting.key, taskIds.setAvailability(recognition.id));
  return { status: 200, body: recognitionView(saved, 'enterprise', brusselsDate(deps.clock.now())), version: saved.version };
}

const invalidCursor = () =>
  badRequest('invalid-cursor', 'De cursor is ongeldig of hoort bij een andere lijst.', [
    { in: 'query', pointer: '/cursor', code: 'invalid-cursor', detail: 'Gebruik de cursor uit het vorige antwoord.' },
  ]);
const encode = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
function decode(cursor: string): Record<string, unknown> {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (value && typeof value === 'object') return value;
  } catch {
    // falls through to the refusal
  }
  throw invalidCursor();
}

/** Where a distance search resumes: the (postcode, programme) step and the Query cursor inside it. */
const distanceCursor = {
  encode: (near: string, radiusKm: number, step: number, inner: string | null) => encode({ near, radiusKm, step, inner }),
  decode(cursor: string | undefined, near: string, radiusKm: number): { step: number; inner: string | undefined } {
    if (cursor === undefined) return { step: 0, inner: undefined };
    const value = decode(cursor);
    const step = value.step;
    if (value.near !== near || value.radiusKm !== radiusKm || typeof step !== 'number' || !Number.isInteger(step) || step < 0 || step > 100_000)
      throw invalidCursor();
    if (value.inner !== null && typeof value.inner !== 'string') throw invalidCursor();
    return { step, inner: value.inner ?? undefined };
  },
};

/**
 * Where a search by programme or sector resumes: the programme it stopped in and that programme's Query cursor
 * (null: the programme was read to its end). The API seals it to the search (shared/http/cursor.ts).
 */
const programmeCursor = {
  encode: (programmeId: string, inner: string | null) => encode({ programmeId, inner }),
  decode(cursor: string | undefined, programmeIds: string[]): { step: number; inner: string | undefined } {
    if (cursor === undefined) return { step: 0, inner: undefined };
    const value = decode(cursor);
    // A programme that left the sector since the previous page ends the paging with a 400, not a wrong page.
    const step = typeof value.programmeId === 'string' ? programmeIds.indexOf(value.programmeId) : -1;
    if (step < 0) throw invalidCursor();
    if (value.inner !== null && typeof value.inner !== 'string') throw invalidCursor();
    return { step, inner: value.inner ?? undefined };
  },
};

/** The postcode table, read once per container for five minutes: reference data that changes rarely. */
let postcodeCache: { at: number; table: string; rows: Postcode[] } | undefined;
async function allPostcodes(deps: Dependencies): Promise<Postcode[]> {
  if (!postcodeCache || postcodeCache.table !== deps.config.TABLE_NAME || Date.now() - postcodeCache.at > 300_000) {
    postcodeCache = { at: Date.now(), table: deps.config.TABLE_NAME, rows: await allReference<Postcode>(deps, 'postcodes') };
  }
  return postcodeCache.rows;
}

/** The approximate location of a postcode (reference data `postcodes`); a 422 when the table lacks it. */
async function postcodeLocation(deps: Dependencies, postcode: string): Promise<{ latitude: number; longitude: number }> {
  const found = /^\d{4}$/.test(postcode) ? (await getReference<Postcode>(deps, 'postcodes', postcode))?.record : undefined;
  if (!found)
    throw unprocessable('unknown-postcode', 'Deze postcode kennen we niet.', [
      { in: 'query', pointer: '/near', code: 'unknown-postcode', detail: 'Geef een Belgische postcode uit de postcodelijst.' },
    ]);
  return { latitude: found.latitude, longitude: found.longitude };
}

/** The steps of a distance search: every (postcode within the radius, programme), nearest postcode first. */
async function distanceSteps(deps: Dependencies, near: string, radiusKm: number, programmeIds: string[]) {
  const centre = await postcodeLocation(deps, near);
  const rings = new Map<string, number>();
  for (const row of await allPostcodes(deps)) {
    const d = Math.round(distanceKm(centre, row) * 10) / 10;
    if (d <= radiusKm && d < (rings.get(row.postcode) ?? Infinity)) rings.set(row.postcode, d);
  }
  return [...rings.entries()]
    .sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]))
    .flatMap(([postcode, distance]) => programmeIds.map((programmeId) => ({ postcode, distance, programmeId })));
}

/**
 * Distance search: nearest first within `distanceKm` of the postcode's centre, over the chosen programmes. A
 * workplace is placed at its postcode's centre, so the distance is a property of the postcode: the postcode
 * search index is read postcode by postcode, nearest first, until the page is full. The work follows the page
 * size and the number of postcodes in the circle, never the number of recognitions in the table.
 */
async function findWorkplacesNear(near: string, radiusKm: number, programmeIds: string[], query: WorkplacesQuery, deps: Dependencies): Promise<ApiResponse> {
  const limit = query.limit ?? 25;
  let { step, inner } = distanceCursor.decode(query.cursor, near, radiusKm);
  const steps = await distanceSteps(deps, near, radiusKm, programmeIds);
  const items: (ReturnType<typeof workplaceOf> & { distanceKm: number })[] = [];
  while (items.length < limit && step < steps.length) {
    const { postcode, distance, programmeId } = steps[step]!;
    const page = await searchWorkplaces(deps, { programmeId, postcodePrefix: workplacePostcodePrefix(postcode), cursor: inner, limit: limit - items.length });
    items.push(...page.items.map((r) => ({ ...workplaceOf(r), distanceKm: distance })));
    if (page.cursor) inner = page.cursor;
    else {
      step++;
      inner = undefined;
    }
  }
  return { status: 200, body: { items, cursor: step < steps.length ? distanceCursor.encode(near, radiusKm, step, inner ?? null) : null } };
}

/** Queries one page may make: a municipality filter can leave Queries empty; the client follows the cursor. */
const maxQueriesPerPage = 10;

const programmesOfSector = async (deps: Dependencies, sector: string | undefined) =>
  (await allReference<Programme>(deps, 'programmes'))
    .filter((p) => p.sector === sector)
    .map((p) => p.id)
    .sort();

/**
 * Search by programme, or by sector over its programmes in id order: each programme is one Query on its own
 * partition of the postcode index. A page is filled programme after programme; when it ends inside one, its
 * cursor says which and where, so the next page continues there: every workplace once, none skipped.
 */
export async function findWorkplaces(query: WorkplacesQuery, deps: Dependencies): Promise<ApiResponse> {
  const programmeIds = query.programme ? [query.programme] : await programmesOfSector(deps, query.sector);
  if (query.near) return findWorkplacesNear(query.near, query.distanceKm ?? 10, programmeIds, query, deps);
  const limit = query.limit ?? 25;
  const postcodePrefix = query.postcode ? (query.area ? query.postcode.slice(0, 2) : query.postcode) : undefined;
  let { step, inner } = programmeCursor.decode(query.cursor, programmeIds);
  const items: Recognition[] = [];
  for (let queries = 0; items.length < limit && step < programmeIds.length && queries < maxQueriesPerPage; queries++) {
    const page = await searchWorkplaces(deps, {
      programmeId: programmeIds[step]!,
      postcodePrefix,
      municipality: query.municipality,
      cursor: inner,
      limit: limit - items.length,
    });
    items.push(...page.items);
    if (page.cursor) inner = page.cursor;
    else {
      step++;
      inner = undefined;
    }
  }
  const cursor = step < programmeIds.length ? programmeCursor.encode(programmeIds[step]!, inner ?? null) : null;
  return { status: 200, body: { items: items.map(workplaceOf), cursor } };
}
