// Update plans: what one Update changes, against the base and the plans before it. Plain data, deterministic
// for a seed, so tests can name the outcome; ChainState replays a chain of plans on generated enterprises.
import { addDays } from './csv-zip.ts';
import {
  belgianPlaces,
  defaultSnapshotDate,
  generatedEnterprise,
  mix,
  random,
  surnames,
  tradesNL,
  type BaseExtract,
  type GeneratedEnterprise,
  type AddressState,
} from './enterprise-model.ts';

export type AddressMove = {
  enterpriseIndex: number;
  enterpriseNumber: string;
  entityNumber: string;
  kind: 'seat' | 'establishment';
  postcode: string;
  municipality: string;
  street: string;
  houseNumber: string;
};
export type EnterpriseStop = { enterpriseIndex: number; enterpriseNumber: string; establishmentNumbers: string[] };
export type EstablishmentStop = { enterpriseIndex: number; enterpriseNumber: string; establishmentNumber: string };
export type SituationChange = { enterpriseIndex: number; enterpriseNumber: string; from: string; to: string };
export type NameChange = { enterpriseIndex: number; enterpriseNumber: string; from: string; to: string };
export type Restatement = { enterpriseIndex: number; enterpriseNumber: string; entityNumber: string };
export type NewEnterprise = { enterpriseIndex: number; enterpriseNumber: string; establishmentNumbers: string[] };

/** What one Update changes, against the base and the plans before it; plain data (JSON), for tests to check the sync. */
export type UpdatePlan = {
  extractNumber: number;
  /** ISO date the update describes. */
  snapshotDate: string;
  addressMoves: AddressMove[];
  enterpriseStops: EnterpriseStop[];
  establishmentStops: EstablishmentStop[];
  situationChanges: SituationChange[];
  nameChanges: NameChange[];
  /** Address rows deleted and inserted unchanged, as KBO sometimes does. */
  restatements: Restatement[];
  newEnterprises: NewEnterprise[];
};

export type UpdateOptions = {
  /** Defaults to the number after the last previous plan (or after the base). */
  extractNumber?: number;
  seed?: number;
  addressMoves?: number;
  enterpriseStops?: number;
  establishmentStops?: number;
  situationChanges?: number;
  nameChanges?: number;
  restatements?: number;
  newEnterprises?: number;
};

const defaultChanges = { addressMoves: 5, enterpriseStops: 2, establishmentStops: 1, situationChanges: 2, nameChanges: 2, restatements: 1, newEnterprises: 3 };

/** Applies the changes of earlier plans to generated enterprises; stopped ones are gone (undefined). */
export class ChainState {
  private readonly changes = new Map<number, { plan: UpdatePlan; apply: (e: GeneratedEnterprise) => GeneratedEnterprise | undefined }[]>();
  readonly total: number;

  constructor(
    readonly base: BaseExtract,
    plans: readonly UpdatePlan[],
  ) {
    let total = base.enterprises;
    for (const plan of plans) {
      const on = (index: number, apply: (e: GeneratedEnterprise) => GeneratedEnterprise | undefined) => {
        const list = this.changes.get(index) ?? [];
        list.push({ plan, apply });
        this.changes.set(index, list);
      };
      for (const m of plan.addressMoves) on(m.enterpriseIndex, (e) => moveAddress(e, m));
      for (const s of plan.enterpriseStops) on(s.enterpriseIndex, () => undefined);
      for (const s of plan.establishmentStops)
        on(s.enterpriseIndex, (e) => ({ ...e, establishments: e.establishments.filter((x) => x.number !== s.establishmentNumber) }));
      for (const c of plan.situationChanges) on(c.enterpriseIndex, (e) => ({ ...e, situation: c.to }));
      for (const c of plan.nameChanges) on(c.enterpriseIndex, (e) => renamed(e, c.to));
      total += plan.newEnterprises.length;
    }
    this.total = total;
  }

  /** The enterprise as the last plan left it; undefined when it stopped or does not exist yet. */
  enterprise(index: number): GeneratedEnterprise | undefined {
    if (index >= this.total) return undefined;
    let e: GeneratedEnterprise | undefined = generatedEnterprise(this.base, index);
    for (const change of this.changes.get(index) ?? []) e = e && change.apply(e);
    return e;
  }
}

function moveAddress(e: GeneratedEnterprise, move: AddressMove): GeneratedEnterprise {
  const target = belgianPlaces.find((p) => p.postcode === move.postcode && p.municipalityNL === move.municipality && p.streetNL === move.street);
  if (!target) throw new Error(`unknown place in an address move: ${move.postcode} ${move.municipality} ${move.street}`);
  const moved = (a: AddressState): AddressState => ({ ...a, place: target, houseNumber: move.houseNumber, box: null, struckOffOn: null });
  if (move.kind === 'seat') return { ...e, seat: e.seat ? moved(e.seat) : e.seat };
  return { ...e, establishments: e.establishments.map((s) => (s.number === move.entityNumber ? { ...s, address: moved(s.address) } : s)) };
}

const renamed = (e: GeneratedEnterprise, to: string): GeneratedEnterprise => ({ ...e, names: e.names.map((n, i) => (i === 0 ? { ...n, value: to } : n)) });

/** Plans the next Update of a chain. Each enterprise gets at most one change per update, so tests can name the outcome. */
export function planUpdate(base: BaseExtract, previous: readonly UpdatePlan[], options: UpdateOptions = {}): UpdatePlan {
  const baseNumber = base.extractNumber ?? 1;
  const extractNumber = options.extractNumber ?? (previous.at(-1)?.extractNumber ?? baseNumber) + 1;
  const snapshotDate = addDays(base.snapshotDate ?? defaultSnapshotDate, extractNumber - baseNumber);
  const want = { ...defaultChanges, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) } as typeof defaultChanges;
  const state = new ChainState(base, previous);
  const rand = random(mix(options.seed ?? base.seed, extractNumber * 7919));
  const plan: UpdatePlan = {
    extractNumber,
    snapshotDate,
    addressMoves: [],
    enterpriseStops: [],
    establishmentStops: [],
    situationChanges: [],
    nameChanges: [],
    restatements: [],
    newEnterprises: [],
  };
  const used = new Set<number>();

  /** A random existing enterprise that has not changed in this update and passes `accept`. */
  const pickEnterprise = (accept: (e: GeneratedEnterprise) => boolean): GeneratedEnterprise | undefined => {
    for (let attempt = 0; attempt < 200; attempt++) {
      const index = rand.int(0, state.total - 1);
      if (used.has(index)) continue;
      const e = state.enterprise(index);
      if (e && accept(e)) {
        used.add(index);
        return e;
      }
    }
    return undefined; // a tiny base may run out of candidates
  };
  const repeat = (times: number, make: () => void) => {
    for (let i = 0; i < times; i++) make();
  };

  repeat(want.addressMoves, () => {
    const e = pickEnterprise((x) => x.establishments.length > 0 || x.seat !== null);
    if (!e) return;
    const establishment = e.establishments.length > 0 && (e.seat === null || rand.chance(0.7)) ? rand.pick(e.establishments) : null;
    const current = establishment ? establishment.address.place : e.seat!.place;
    let target = rand.pick(belgianPlaces);
    if (target === current) target = belgianPlaces[(belgianPlaces.indexOf(target) + 1) % belgianPlaces.length]!;
    plan.addressMoves.push({
      enterpriseIndex: e.index,
      enterpriseNumber: e.number,
      entityNumber: establishment ? establishment.number : e.number,
      kind: establishment ? 'establishment' : 'seat',
      postcode: target.postcode,
      municipality: target.municipalityNL,
      street: target.streetNL,
      houseNumber: String(rand.int(1, 300)),
    });
  });
  repeat(want.enterpriseStops, () => {
    const e = pickEnterprise((x) => x.establishments.length > 0);
    if (e) plan.enterpriseStops.push({ enterpriseIndex: e.index, enterpriseNumber: e.number, establishmentNumbers: e.establishments.map((s) => s.number) });
  });
  repeat(want.establishmentStops, () => {
    const e = pickEnterprise((x) => x.establishments.length > 1);
    if (e) plan.establishmentStops.push({ enterpriseIndex: e.index, enterpriseNumber: e.number, establishmentNumber: rand.pick(e.establishments).number });
  });
  repeat(want.situationChanges, () => {
    const e = pickEnterprise((x) => !x.natural);
    if (!e) return;
    const to = e.situation === '050' ? '012' : rand.pick(['050', '012', '091']);
    plan.situationChanges.push({ enterpriseIndex: e.index, enterpriseNumber: e.number, from: e.situation, to });
  });
  repeat(want.nameChanges, () => {
    const e = pickEnterprise((x) => !x.natural);
    if (!e) return;
    const from = e.names[0]!.value;
    plan.nameChanges.push({ enterpriseIndex: e.index, enterpriseNumber: e.number, from, to: `${rand.pick(tradesNL)} ${rand.pick(surnames)} & Zonen` });
  });
  repeat(want.restatements, () => {
    const e = pickEnterprise((x) => x.establishments.length > 0);
    if (e) plan.restatements.push({ enterpriseIndex: e.index, enterpriseNumber: e.number, entityNumber: rand.pick(e.establishments).number });
  });
  repeat(want.newEnterprises, () => {
    const e = generatedEnterprise(base, state.total + plan.newEnterprises.length);
    plan.newEnterprises.push({ enterpriseIndex: e.index, enterpriseNumber: e.number, establishmentNumbers: e.establishments.map((s) => s.number) });
  });
  return plan;
}

/** Plans `count` consecutive updates after the base, each with the same options. */
export function planUpdates(base: BaseExtract, count: number, options: Omit<UpdateOptions, 'extractNumber'> = {}): UpdatePlan[] {
  const plans: UpdatePlan[] = [];
  for (let i = 0; i < count; i++) plans.push(planUpdate(base, plans, options));
  return plans;
}
