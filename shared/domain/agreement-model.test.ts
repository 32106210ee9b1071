import { describe, expect, it } from 'vitest';
import models from '../../reference-data/agreement-models.json' with { type: 'json' };
import {
  agreementModelOn,
  agreementModelSchema,
  agreementModelTypes,
  fillModel,
  fillModelParts,
  formatEuro,
  formatDate,
  MissingPlaceholderError,
  missingPlaceholders,
  needsAddendum,
  type AgreementModel,
} from './agreement-model.ts';
import { referenceKinds } from './reference.ts';
import { oaoFacts } from './agreement-model.fixtures.ts';

const seedModels = models.map((m) => agreementModelSchema.parse(m));

const base = (overrides: Partial<AgreementModel> = {}): AgreementModel => ({
  id: 'model-a',
  version: '2024.1',
  validFrom: '2024-09-01',
  validTo: null,
  agreementTypes: ['OAO', 'SAO'],
  title: 'Overeenkomst',
  articles: [{ number: 1, heading: 'De opleiding', paragraphs: ['De leerling {{learner.name}} volgt {{programme.name}}.'] }],
  signatureParties: 'Opgemaakt in {{signature.copies}} exemplaren.',
  annexes: [],
  changesNeedingAddendum: ['mentor'],
  addendum: { title: 'Bijvoegsel', paragraphs: ['Vanaf {{addendum.effectiveDate}}.'] },
  ...overrides,
});

describe('agreementModelOn', () => {
  const older = base({ id: 'old', version: '2023.1', validFrom: '2023-09-01', validTo: '2024-08-31' });
  const current = base({ id: 'current', version: '2024.1', validFrom: '2024-09-01', validTo: null });
  const other = base({ id: 'other', agreementTypes: ['DA'], validFrom: '2020-01-01' });
  const all = [older, current, other];

  it('picks the model valid on the date for the type, including both boundary days', () => {
    expect(agreementModelOn(all, 'OAO', '2023-09-01')?.id).toBe('old');
    expect(agreementModelOn(all, 'OAO', '2024-08-31')?.id).toBe('old');
    expect(agreementModelOn(all, 'SAO', '2024-09-01')?.id).toBe('current');
    expect(agreementModelOn(all, 'DA', '2024-09-01')?.id).toBe('other');
  });

  it('answers undefined before the first model and for a type no model covers', () => {
    expect(agreementModelOn(all, 'OAO', '2023-08-31')).toBeUndefined();
    expect(agreementModelOn(all, 'ODO', '2025-01-01')).toBeUndefined();
  });

  it('lets the latest validFrom win when validities overlap', () => {
    const open = base({ id: 'open', validFrom: '2023-09-01', validTo: null });
    expect(agreementModelOn([open, current], 'OAO', '2025-01-01')?.id).toBe('current');
    expect(agreementModelOn([current, open], 'OAO', '2024-08-31')?.id).toBe('open');
  });

  it('finds a seed model for every type today', () => {
    for (const type of agreementModelTypes) expect(agreementModelOn(seedModels, type, '2026-11-23'), type).toBeDefined();
  });
});

describe('fillModel', () => {
  it('substitutes placeholders with formatted values', () => {
    const [article] = fillModel(base(), oaoFacts());
    expect(article!.paragraphs[0]).toBe('De leerling Zoë Peeters volgt Bakker duaal.');
  });

  it('throws on a placeholder without a value instead of leaving the field empty', () => {
    const typo = base({ articles: [{ number: 1, heading: 'x', paragraphs: ['Naam: {{learner.fristName}}'] }] });
    expect(() => fillModel(typo, oaoFacts())).toThrow(MissingPlaceholderError);
    expect(() => fillModel(typo, oaoFacts())).toThrow(/learner\.fristName.*article 1 paragraph 1/);
  });

  it('throws when an article uses the allowance of an agreement that has none', () => {
    const model = base({ articles: [{ number: 7, heading: 'Leervergoeding', paragraphs: ['{{allowance.amount}}'] }] });
    expect(fillModel(model, oaoFacts())[0]!.paragraphs[0]).toBe('€ 588,70');
    expect(() => fillModel(model, oaoFacts({ learningAllowance: null }))).toThrow(/allowance\.amount/);
  });

  it('keeps only the article variants of the agreement type', () => {
    const model = seedModels.find((m) => m.id === 'oao-sao-2024-1')!;
    const oao = fillModel(model, oaoFacts());
    const sao = fillModel(
      model,
      oaoFacts({ agreementType: 'SAO', learningAllowance: null, weeklyHours: { enterpriseFullTime: 38, school: 22, workplace: 16 } }),
    );
    expect(oao.map((a) => a.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(sao.map((a) => a.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(oao.find((a) => a.number === 7)!.paragraphs.join(' ')).toContain('€ 588,70');
    expect(sao.find((a) => a.number === 7)!.paragraphs.join(' ')).toMatch(/geen leervergoeding/);
    expect(sao.find((a) => a.number === 5)!.paragraphs.join(' ')).toContain('16 uren per week op de leerwerkplek');
  });

  it('refuses a model that does not cover the type', () => {
    expect(() => fillModel(base({ agreementTypes: ['DA'] }), oaoFacts())).toThrow(/does not cover/);
  });

  it('fills the signature text with the number of copies (four with a legal representative)', () => {
    expect(fillModelParts(base(), oaoFacts()).signatureParties).toBe('Opgemaakt in vier exemplaren.');
    const adult = oaoFacts({ learner: { ...oaoFacts().learner, legalRepresentative: null } });
    expect(fillModelParts(base(), adult).signatureParties).toBe('Opgemaakt in drie exemplaren.');
  });

  it('fills every seed model completely for each of its types', () => {
    for (const model of seedModels) {
      for (const type of model.agreementTypes) {
        const facts = oaoFacts({ agreementType: type, learningAllowance: type === 'OAO' ? oaoFacts().learningAllowance : null });
        const text = JSON.stringify([
          fillModel(model, facts),
          fillModelParts(model, facts, { addendumId: 'a', number: 1, effectiveDate: '2026-01-01', changes: [] }),
        ]);
        expect(text, `${model.id} ${type}`).not.toMatch(/\{\{/);
      }
    }
  });
});

describe('missingPlaceholders', () => {
  const addendum = { addendumId: 'a', number: 1, effectiveDate: '2026-01-01', changes: [] };

  it('lists every placeholder without a value at once, each once, with where it is used and the field it comes from', () => {
    const model = base({
      preamble: { heading: 'Partijen', paragraphs: ['Bijvoegsel {{addendum.number}}.'] },
      articles: [
        {
          number: 7,
          heading: 'Leervergoeding',
          paragraphs: ['{{allowance.amount}} per maand, schijf {{allowance.tier}}.', 'Sinds {{allowance.validFrom}}; opnieuw {{allowance.amount}}.'],
        },
        { number: 8, heading: 'Enkel SAO', paragraphs: ['{{addendum.effectiveDate}}'], onlyFor: ['SAO'] },
      ],
    });
    const missing = missingPlaceholders(model, oaoFacts({ learningAllowance: null }));
    expect(missing.map((m) => [m.placeholder, m.pointer, m.code])).toEqual([
      ['allowance.amount', '/learningAllowance', 'allowance-unknown'],
      ['allowance.tier', '/learningAllowance', 'allowance-unknown'],
      ['allowance.validFrom', '/learningAllowance', 'allowance-unknown'],
      ['addendum.number', '', 'not-applicable'],
    ]);
    expect(missing[0]!.where).toEqual(['article 7 paragraph 1', 'article 7 paragraph 2']);
    expect(missing[0]!.detail).toBe('Er is geen leervergoeding vastgelegd voor deze categorie op de begindatum.');
    // Article 8 is not part of an OAO, so its placeholder is not asked for.
    expect(missing.map((m) => m.placeholder)).not.toContain('addendum.effectiveDate');
  });

  it('is empty exactly when the document can be filled', () => {
    for (const model of seedModels) {
      for (const type of model.agreementTypes) {
        const facts = oaoFacts({ agreementType: type, learningAllowance: type === 'OAO' ? oaoFacts().learningAllowance : null });
        expect(missingPlaceholders(model, facts), `${model.id} ${type}`).toEqual([]);
        expect(missingPlaceholders(model, facts, addendum), `${model.id} ${type} addendum`).toEqual([]);
      }
    }
    const oao = seedModels.find((m) => m.agreementTypes.includes('OAO'))!;
    const withoutAllowance = oaoFacts({ learningAllowance: null });
    expect(missingPlaceholders(oao, withoutAllowance).map((m) => m.placeholder)).toEqual(['allowance.amount', 'allowance.tier', 'allowance.validFrom']);
    expect(() => fillModel(oao, withoutAllowance)).toThrow(MissingPlaceholderError);
    // The addendum does not print the articles, so the allowance is not asked for there.
    expect(missingPlaceholders(oao, withoutAllowance, addendum)).toEqual([]);
    expect(() => fillModelParts(oao, withoutAllowance, addendum)).not.toThrow();
  });

  it('tells a model that asks for the allowance of another type from an OAO without an allowance row', () => {
    const model = base({ articles: [{ number: 7, heading: 'Leervergoeding', paragraphs: ['{{allowance.amount}}'] }] });
    expect(missingPlaceholders(model, oaoFacts({ agreementType: 'SAO', learningAllowance: null }))).toEqual([
      {
        placeholder: 'allowance.amount',
        where: ['article 7 paragraph 1'],
        pointer: '/learningAllowance',
        code: 'not-applicable',
        detail: 'Het model vermeldt de leervergoeding, maar een SAO heeft er geen.',
      },
    ]);
  });
});

describe('agreementModelSchema', () => {
  it('accepts the seed models and they cover all five types', () => {
    for (const m of models) expect(agreementModelSchema.safeParse(m).success, m.id).toBe(true);
    expect(new Set(seedModels.flatMap((m) => m.agreementTypes))).toEqual(new Set(agreementModelTypes));
    expect(referenceKinds.agreementModels.schema).toBe(agreementModelSchema);
  });

  it('refuses an unknown placeholder, a duplicate article number per type and validTo before validFrom', () => {
    const typo = agreementModelSchema.safeParse(base({ articles: [{ number: 1, heading: 'x', paragraphs: ['{{learner.fristName}}'] }] }));
    expect(typo.success).toBe(false);
    expect(typo.error!.issues[0]!.message).toContain('learner.fristName');
    const duplicate = base({
      articles: [
        { number: 5, heading: 'a', paragraphs: ['a'] },
        { number: 5, heading: 'b', paragraphs: ['b'], onlyFor: ['SAO'] },
      ],
    });
    expect(agreementModelSchema.safeParse(duplicate).success).toBe(false);
    const variants = base({
      articles: [
        { number: 5, heading: 'a', paragraphs: ['a'], onlyFor: ['OAO'] },
        { number: 5, heading: 'b', paragraphs: ['b'], onlyFor: ['SAO'] },
      ],
    });
    expect(agreementModelSchema.safeParse(variants).success).toBe(true);
    expect(agreementModelSchema.safeParse(base({ validFrom: '2024-09-01', validTo: '2024-08-31' })).success).toBe(false);
    expect(agreementModelSchema.safeParse(base({ articles: [{ number: 1, heading: 'a', paragraphs: ['a'], onlyFor: ['DA'] }] })).success).toBe(false);
  });
});

describe('needsAddendum', () => {
  it('follows the model: mentor, end date, schedule need one; a counsellor change does not', () => {
    const model = seedModels.find((m) => m.id === 'oao-sao-2024-1')!;
    for (const kind of ['mentor', 'endDate', 'schedule', 'weeklyHours', 'establishmentAddress'] as const) expect(needsAddendum(model, kind), kind).toBe(true);
    expect(needsAddendum(model, 'counsellor')).toBe(false);
  });
});

describe('formatting', () => {
  it('writes Belgian euros and dates', () => {
    expect(formatEuro(58870)).toBe('€ 588,70');
    expect(formatEuro(100000)).toBe('€ 1.000,00');
    expect(formatEuro(5)).toBe('€ 0,05');
    expect(formatDate('2026-06-30')).toBe('30/06/2026');
    expect(() => formatDate('30/06/2026')).toThrow();
  });
});
