// The model agreement fixed by the Flemish government, kept as versioned reference data rather than code:
// a new model is a new record with its own validity, and the text may not be altered per agreement. This
// module validates a model, picks the one valid on a date, and fills its placeholders from an agreement's
// facts. Pure; no AWS imports.
import * as z from 'zod';

// Repeated here rather than imported from reference.ts: reference.ts imports this module for its kind list,
// and a cycle would leave one side's constants uninitialised at load time.
export const agreementModelTypes = ['OAO', 'SAO', 'ODOS', 'ODO', 'DA'] as const;
export type AgreementType = (typeof agreementModelTypes)[number];

export const agreementChangeKinds = ['mentor', 'endDate', 'schedule', 'counsellor', 'establishmentAddress', 'weeklyHours'] as const;
export type AgreementChangeKind = (typeof agreementChangeKinds)[number];

export type AddressFacts = { street: string; houseNumber: string; box: string | null; postcode: string; municipality: string };
export type AgreementDocumentFacts = {
  agreementId: string;
  /**
   * Which copy this is. The counsellor's is the copy the parties sign, with the learner's full national number
   * as the official model asks. The enterprise's is a copy for information: the number masked (the caller
   * passes it masked) and a line saying so. Absent means the copy to sign.
   */
  copy?: 'signing' | 'information';
  status: 'draft' | 'registered' | 'suspended' | 'ending' | 'ended';
  agreementType: AgreementType;
  learner: {
    firstName: string;
    lastName: string;
    /** Formatted yy.mm.dd-xxx.cc, or masked (yy.mm.dd-***.**) on a copy for information. */
    nationalNumber: string;
    birthDate: string;
    address: AddressFacts;
    legalRepresentative: { name: string; address: AddressFacts | null } | null;
  };
  enterprise: { enterpriseNumber: string; name: string; representative: string };
  establishment: { establishmentNumber: string; name: string; address: AddressFacts | null };
  recognitionId: string;
  mentor: { name: string };
  provider: {
    name: string;
    mainSeat: AddressFacts;
    lessonLocation: { name: string; address: AddressFacts };
    representative: string;
    counsellor: { name: string; email: string };
  };
  programme: { id: string; name: string };
  /** ISO dates, rendered as dd/mm/yyyy. */
  startDate: string;
  endDate: string;
  weeklyHours: { enterpriseFullTime: number; school: number; workplace: number };
  /** Null for every type but OAO. */
  learningAllowance: { tier: 1 | 2 | 3; monthlyAmountCents: number; validFrom: string } | null;
  /** The "Bijlage 1: uurrooster" reference, or null while it still has to be uploaded. */
  schedule: { documentId: string; uploadedOn: string } | null;
  trainingPlan: { documentId: string } | null;
};
export type AddendumFacts = {
  addendumId: string;
  number: number;
  effectiveDate: string;
  changes: { kind: AgreementChangeKind; label: string; before: string; after: string }[];
};

/**
 * Every placeholder a model may use. The schema rejects any other name, so a typo in a model is refused when
 * the department saves it, and fillModel refuses a placeholder without a value when a document is made.
 */
export const agreementPlaceholders = [
  'agreement.id',
  'agreement.type',
  'agreement.typeName',
  'learner.name',
  'learner.nationalNumber',
  'learner.birthDate',
  'learner.address',
  'learner.legalRepresentative',
  'enterprise.name',
  'enterprise.number',
  'enterprise.representative',
  'establishment.name',
  'establishment.number',
  'establishment.address',
  'recognition.id',
  'mentor.name',
  'provider.name',
  'provider.mainSeat',
  'provider.lessonLocation',
  'provider.representative',
  'counsellor.name',
  'counsellor.email',
  'programme.id',
  'programme.name',
  'trainingPlan',
  'startDate',
  'endDate',
  'hours.enterpriseFullTime',
  'hours.school',
  'hours.workplace',
  'allowance.amount',
  'allowance.tier',
  'allowance.validFrom',
  'schedule',
  'signature.copies',
  'model.version',
  'model.validFrom',
  'addendum.number',
  'addendum.effectiveDate',
] as const;
export type AgreementPlaceholder = (typeof agreementPlaceholders)[number];

const placeholderPattern = /\{\{\s*([^{}]*?)\s*\}\}/g;
const known = new Set<string>(agreementPlaceholders);

const modelText = z
  .string()
  .min(1)
  .max(4000)
  .superRefine((text, ctx) => {
    for (const match of text.matchAll(placeholderPattern)) {
      if (!known.has(match[1]!)) ctx.addIssue({ code: 'custom', message: `onbekende plaatshouder {{${match[1]}}}`, params: { code: 'unknown-placeholder' } });
    }
  });
const date = z.iso.date();
const agreementType = z.enum(agreementModelTypes);

export const agreementArticleSchema = z.strictObject({
  number: z.number().int().min(1).max(99),
  heading: z.string().min(1).max(200),
  paragraphs: z.array(modelText).min(1).max(30),
  /** The agreement types this article applies to; absent means every type of the model. */
  onlyFor: z.array(agreementType).min(1).optional(),
});

export const agreementModelSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'kleine letters, cijfers en koppeltekens'),
    /** As printed on the document, e.g. "2024.1". */
    version: z.string().regex(/^\d{4}\.\d{1,3}$/, 'jaar.volgnummer, bijvoorbeeld 2024.1'),
    validFrom: date,
    validTo: date.nullable().default(null),
    agreementTypes: z.array(agreementType).min(1),
    title: z.string().min(1).max(200),
    /** The parties' block before article 1; optional because not every model lists the parties in prose. */
    preamble: z.strictObject({ heading: z.string().min(1).max(200), paragraphs: z.array(modelText).min(1).max(30) }).optional(),
    articles: z.array(agreementArticleSchema).min(1).max(60),
    /** Text above the signature blocks (place, date, number of copies). */
    signatureParties: modelText,
    annexes: z.array(modelText).max(20),
    /** Changes after registration that need an addendum signed by the parties; others are changed in place. */
    changesNeedingAddendum: z.array(z.enum(agreementChangeKinds)),
    addendum: z.strictObject({ title: modelText, paragraphs: z.array(modelText).min(1).max(30) }),
  })
  .superRefine((model, ctx) => {
    if (model.validTo !== null && model.validTo < model.validFrom)
      ctx.addIssue({ code: 'custom', message: 'validTo ligt voor validFrom', path: ['validTo'], params: { code: 'end-before-start' } });
    model.articles.forEach((article, index) => {
      for (const type of article.onlyFor ?? []) {
        if (!model.agreementTypes.includes(type))
          ctx.addIssue({
            code: 'custom',
            message: `artikel ${article.number} geldt voor ${type}, dat het model niet dekt`,
            path: ['articles', index, 'onlyFor'],
            params: { code: 'type-not-covered' },
          });
      }
    });
    // Articles may have a variant per type (e.g. hours for OAO and SAO), but each type sees every number once.
    for (const type of model.agreementTypes) {
      const numbers = model.articles.filter((a) => !a.onlyFor || a.onlyFor.includes(type)).map((a) => a.number);
      if (new Set(numbers).size !== numbers.length)
        ctx.addIssue({
          code: 'custom',
          message: `een artikelnummer komt meer dan eens voor bij ${type}`,
          path: ['articles'],
          params: { code: 'duplicate-article-number' },
        });
    }
  });

export type AgreementModel = z.infer<typeof agreementModelSchema>;
export type AgreementArticle = z.infer<typeof agreementArticleSchema>;
export type FilledArticle = { number: number; heading: string; paragraphs: string[] };

/** The model valid on a date for a type; when validities overlap, the latest validFrom wins. */
export function agreementModelOn(models: AgreementModel[], type: AgreementType, onDate: string): AgreementModel | undefined {
  return models
    .filter((m) => m.agreementTypes.includes(type) && m.validFrom <= onDate && (m.validTo === null || onDate <= m.validTo))
    .sort((a, b) => b.validFrom.localeCompare(a.validFrom) || b.version.localeCompare(a.version, 'en', { numeric: true }))[0];
}

export function needsAddendum(model: AgreementModel, change: AgreementChangeKind): boolean {
  return model.changesNeedingAddendum.includes(change);
}

export const agreementTypeNames: Record<AgreementType, string> = {
  OAO: 'overeenkomst van alternerende opleiding',
  SAO: 'stageovereenkomst van alternerende opleiding',
  ODOS: 'overeenkomst duaal opleidingstraject (secundair)',
  ODO: 'overeenkomst duaal opleidingstraject',
  DA: 'deeltijdse arbeidsovereenkomst',
};

/** ISO date to the Belgian dd/mm/yyyy. */
export function formatDate(iso: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) throw new Error(`not an ISO date: ${iso}`);
  return `${match[3]}/${match[2]}/${match[1]}`;
}

/** Integer cents as Belgian euro: "€ 1.234,50". */
export function formatEuro(cents: number): string {
  if (!Number.isInteger(cents)) throw new Error(`not an amount in cents: ${cents}`);
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const euros = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${sign}€ ${euros},${String(abs % 100).padStart(2, '0')}`;
}

export function formatAddress(a: AddressFacts): string {
  return `${a.street} ${a.houseNumber}${a.box ? ` bus ${a.box}` : ''}, ${a.postcode} ${a.municipality}`;
}

/** Hours with a decimal comma and no trailing zeros: 38, 19,5. */
export function formatHours(hours: number): string {
  return String(Math.round(hours * 100) / 100).replace('.', ',');
}

/**
 * The value of every placeholder for an agreement. Values that do not apply are left out on purpose (the
 * allowance of an SAO, the addendum of an agreement), so a model that uses them where they do not apply fails.
 */
export function placeholderValues(
  model: AgreementModel,
  facts: AgreementDocumentFacts,
  addendum?: AddendumFacts,
): Partial<Record<AgreementPlaceholder, string>> {
  const legal = facts.learner.legalRepresentative;
  const values: Partial<Record<AgreementPlaceholder, string>> = {
    'agreement.id': facts.agreementId,
    'agreement.type': facts.agreementType,
    'agreement.typeName': agreementTypeNames[facts.agreementType],
    'learner.name': `${facts.learner.firstName} ${facts.learner.lastName}`,
    'learner.nationalNumber': facts.learner.nationalNumber,
    'learner.birthDate': formatDate(facts.learner.birthDate),
    'learner.address': formatAddress(facts.learner.address),
    'learner.legalRepresentative': legal
      ? `${legal.name}${legal.address ? `, ${formatAddress(legal.address)}` : ', op het adres van de leerling'}`
      : 'niet van toepassing (meerderjarige leerling)',
    'enterprise.name': facts.enterprise.name,
    'enterprise.number': facts.enterprise.enterpriseNumber,
    'enterprise.representative': facts.enterprise.representative,
    'establishment.name': facts.establishment.name,
    'establishment.number': facts.establishment.establishmentNumber,
    'establishment.address': facts.establishment.address
      ? formatAddress(facts.establishment.address)
      : 'adres zoals bekend in de Kruispuntbank van Ondernemingen',
    'recognition.id': facts.recognitionId,
    'mentor.name': facts.mentor.name,
    'provider.name': facts.provider.name,
    'provider.mainSeat': formatAddress(facts.provider.mainSeat),
    'provider.lessonLocation': `${facts.provider.lessonLocation.name}, ${formatAddress(facts.provider.lessonLocation.address)}`,
    'provider.representative': facts.provider.representative,
    'counsellor.name': facts.provider.counsellor.name,
    'counsellor.email': facts.provider.counsellor.email,
    'programme.id': facts.programme.id,
    'programme.name': facts.programme.name,
    trainingPlan: facts.trainingPlan ? `document ${facts.trainingPlan.documentId}` : 'nog op te laden vóór de registratie',
    startDate: formatDate(facts.startDate),
    endDate: formatDate(facts.endDate),
    'hours.enterpriseFullTime': formatHours(facts.weeklyHours.enterpriseFullTime),
    'hours.school': formatHours(facts.weeklyHours.school),
    'hours.workplace': formatHours(facts.weeklyHours.workplace),
    schedule: facts.schedule
      ? `Bijlage 1: uurrooster (document ${facts.schedule.documentId}, opgeladen op ${formatDate(facts.schedule.uploadedOn)})`
      : 'Bijlage 1: uurrooster – nog op te laden',
    'signature.copies': legal ? 'vier' : 'drie',
    'model.version': model.version,
    'model.validFrom': formatDate(model.validFrom),
  };
  if (facts.learningAllowance) {
    values['allowance.amount'] = formatEuro(facts.learningAllowance.monthlyAmountCents);
    values['allowance.tier'] = String(facts.learningAllowance.tier);
    values['allowance.validFrom'] = formatDate(facts.learningAllowance.validFrom);
  }
  if (addendum) {
    values['addendum.number'] = String(addendum.number);
    values['addendum.effectiveDate'] = formatDate(addendum.effectiveDate);
  }
  return values;
}

/** The printed line that tells a copy for information from the copy the parties sign. */
export const informationCopyNotice =
  'Afschrift ter informatie: het rijksregisternummer is afgeschermd. Het ondertekende exemplaar ontving u bij de ondertekening.';

/** The model texts a document is filled from, with where each sits; the same texts fillModel and fillModelParts fill. */
function documentTexts(model: AgreementModel, type: AgreementType, document: 'agreement' | 'addendum'): { where: string; text: string }[] {
  const texts: { where: string; text: string }[] = [];
  if (document === 'agreement') {
    for (const a of model.articles.filter((x) => !x.onlyFor || x.onlyFor.includes(type)).sort((x, y) => x.number - y.number)) {
      for (const [i, text] of a.paragraphs.entries()) texts.push({ where: `article ${a.number} paragraph ${i + 1}`, text });
    }
  }
  for (const [i, text] of (model.preamble?.paragraphs ?? []).entries()) texts.push({ where: `preamble paragraph ${i + 1}`, text });
  texts.push({ where: 'signatureParties', text: model.signatureParties });
  for (const [i, text] of model.annexes.entries()) texts.push({ where: `annex ${i + 1}`, text });
  if (document === 'addendum') {
    texts.push({ where: 'addendum title', text: model.addendum.title });
    for (const [i, text] of model.addendum.paragraphs.entries()) texts.push({ where: `addendum paragraph ${i + 1}`, text });
  }
  return texts;
}

/**
 * A value the model asks for and the agreement does not have: the placeholder, where the model uses it,
 * the agreement field it comes from (a JSON pointer into the agreement, '' when none) and a stable code with
 * a Dutch explanation. Codes match the pre-flight check where it reports the same gap (allowance-unknown).
 */
export type MissingValue = { placeholder: string; where: string[]; pointer: string; code: string; detail: string };

function explainMissing(placeholder: string, facts: AgreementDocumentFacts): Omit<MissingValue, 'placeholder' | 'where'> {
  if (placeholder.startsWith('allowance.')) {
    return facts.agreementType === 'OAO'
      ? { pointer: '/learningAllowance', code: 'allowance-unknown', detail: 'Er is geen leervergoeding vastgelegd voor deze categorie op de begindatum.' }
      : {
          pointer: '/learningAllowance',
          code: 'not-applicable',
          detail: `Het model vermeldt de leervergoeding, maar een ${facts.agreementType} heeft er geen.`,
        };
  }
  if (placeholder.startsWith('addendum.')) {
    return { pointer: '', code: 'not-applicable', detail: 'Het model vermeldt een gegeven van een addendum buiten een addendum.' };
  }
  return { pointer: '', code: 'placeholder-without-value', detail: `Het model vermeldt {{${placeholder}}}, maar daarvoor is geen waarde.` };
}

/**
 * Every placeholder of the document without a value, each once, before anything is rendered: so the answer
 * lists all of them at once instead of the first one fillText meets. Empty when the document can be made.
 */
export function missingPlaceholders(model: AgreementModel, facts: AgreementDocumentFacts, addendum?: AddendumFacts): MissingValue[] {
  const values = placeholderValues(model, facts, addendum);
  const missing = new Map<string, MissingValue>();
  for (const { where, text } of documentTexts(model, facts.agreementType, addendum ? 'addendum' : 'agreement')) {
    for (const match of text.matchAll(placeholderPattern)) {
      const name = match[1]!;
      if (values[name as AgreementPlaceholder] !== undefined) continue;
      const known = missing.get(name);
      if (known) {
        if (!known.where.includes(where)) known.where.push(where);
      } else {
        missing.set(name, { placeholder: name, where: [where], ...explainMissing(name, facts) });
      }
    }
  }
  return [...missing.values()];
}

export class MissingPlaceholderError extends Error {
  constructor(
    readonly placeholder: string,
    readonly where: string,
  ) {
    super(`model placeholder {{${placeholder}}} in ${where} has no value`);
    this.name = 'MissingPlaceholderError';
  }
}

/** Substitutes every {{placeholder}}; one without a value throws, so a document never shows an empty field. */
export function fillText(text: string, values: Partial<Record<string, string>>, where = 'text'): string {
  return text.replace(placeholderPattern, (_all, name: string) => {
    const value = values[name];
    if (value === undefined) throw new MissingPlaceholderError(name, where);
    return value;
  });
}

/** The articles that apply to the agreement's type, in order, with their placeholders filled. */
export function fillModel(model: AgreementModel, facts: AgreementDocumentFacts, addendum?: AddendumFacts): FilledArticle[] {
  if (!model.agreementTypes.includes(facts.agreementType)) throw new Error(`model ${model.id} does not cover agreement type ${facts.agreementType}`);
  const values = placeholderValues(model, facts, addendum);
  return model.articles
    .filter((a) => !a.onlyFor || a.onlyFor.includes(facts.agreementType))
    .sort((a, b) => a.number - b.number)
    .map((a) => ({
      number: a.number,
      heading: a.heading,
      paragraphs: a.paragraphs.map((p, i) => fillText(p, values, `article ${a.number} paragraph ${i + 1}`)),
    }));
}

/** Preamble, signature text, annexes and addendum text of a model, filled like the articles. */
export function fillModelParts(model: AgreementModel, facts: AgreementDocumentFacts, addendum?: AddendumFacts) {
  const values = placeholderValues(model, facts, addendum);
  return {
    preamble: model.preamble
      ? { heading: model.preamble.heading, paragraphs: model.preamble.paragraphs.map((p, i) => fillText(p, values, `preamble paragraph ${i + 1}`)) }
      : undefined,
    signatureParties: fillText(model.signatureParties, values, 'signatureParties'),
    annexes: model.annexes.map((a, i) => fillText(a, values, `annex ${i + 1}`)),
    addendum: addendum
      ? {
          title: fillText(model.addendum.title, values, 'addendum title'),
          paragraphs: model.addendum.paragraphs.map((p, i) => fillText(p, values, `addendum paragraph ${i + 1}`)),
        }
      : undefined,
  };
}
