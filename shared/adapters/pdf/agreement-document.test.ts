// Renders agreements and an addendum from the seed models and reads them back with a real PDF text
// extractor (pdf.js through unpdf), as a reader of the document would see them.
import { describe, expect, it } from 'vitest';
import { extractText, getDocumentProxy } from 'unpdf';
import models from '../../../reference-data/agreement-models.json' with { type: 'json' };
import {
  agreementModelOn,
  agreementModelSchema,
  MissingPlaceholderError,
  type AgreementDocumentFacts,
  type AgreementModel,
} from '../../domain/agreement-model.ts';
import { oaoFacts } from '../../domain/agreement-model.fixtures.ts';
import { renderAddendumPdf, renderAgreementPdf } from './agreement-document.ts';

const seedModels = models.map((m) => agreementModelSchema.parse(m));
const modelFor = (facts: AgreementDocumentFacts): AgreementModel => agreementModelOn(seedModels, facts.agreementType, facts.startDate)!;

async function read(bytes: Uint8Array): Promise<{ pages: number; text: string; perPage: string[] }> {
  // pdf.js may detach the buffer it gets, so it reads a copy.
  const pdf = await getDocumentProxy(bytes.slice());
  const { totalPages, text } = await extractText(pdf, { mergePages: false });
  const perPage = text.map((t) => t.replace(/\s+/g, ' '));
  return { pages: totalPages, text: perPage.join(' '), perPage };
}
const count = (text: string, needle: string) => text.split(needle).length - 1;

const minor = oaoFacts({
  agreementId: '01JDOAOMINOR00000000000001',
  learner: {
    firstName: 'Zoë',
    lastName: 'Ğül',
    nationalNumber: '08.03.15-123.45',
    birthDate: '2008-03-15',
    address: { street: 'Kerkstraat', houseNumber: '1', box: 'A', postcode: '2800', municipality: 'Mechelen' },
    legalRepresentative: { name: 'Anaïs Ğül', address: null },
  },
  enterprise: { enterpriseNumber: '0417.390.703', name: 'Bakkerij Brood & Banket', representative: 'Jan Brood' },
  establishment: {
    establishmentNumber: '2.123.456.789',
    name: 'Bakkerij Brood Mechelen',
    address: { street: 'Markt', houseNumber: '5', box: null, postcode: '2800', municipality: 'Mechelen' },
  },
  mentor: { name: 'Els Deprez' },
  programme: { id: 'bakker-duaal', name: 'Bakker duaal' },
  startDate: '2025-09-15',
  endDate: '2027-06-30',
  weeklyHours: { enterpriseFullTime: 38, school: 15, workplace: 23 },
  learningAllowance: { tier: 1, monthlyAmountCents: 58870, validFrom: '2024-04-01' },
  schedule: { documentId: '01JDSCHEDULE00000000000001', uploadedOn: '2025-09-01' },
  trainingPlan: { documentId: '01JDPLAN000000000000000001' },
});

const adult = oaoFacts({
  agreementId: '01JDSAOADULT00000000000001',
  status: 'registered',
  agreementType: 'SAO',
  learner: { ...minor.learner, firstName: 'Lars', lastName: 'Janssens', birthDate: '2003-05-01', nationalNumber: '03.05.01-221.61', legalRepresentative: null },
  programme: { id: 'kok-duaal', name: 'Kok duaal' },
  mentor: { name: 'Pieter Claes' },
  startDate: '2025-10-01',
  endDate: '2026-06-30',
  weeklyHours: { enterpriseFullTime: 38, school: 22, workplace: 16 },
  learningAllowance: null,
  schedule: null,
});

describe('renderAgreementPdf', () => {
  it('renders an OAO for a minor with every key field, the allowance and four signature blocks', async () => {
    const model = modelFor(minor);
    const bytes = await renderAgreementPdf(model, minor);
    expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe('%PDF-');
    const { pages, text, perPage } = await read(bytes);

    expect(pages).toBeGreaterThan(1);
    expect(text).toContain('01JDOAOMINOR00000000000001');
    expect(text).toContain('Zoë Gül'); // Ğ is outside WinAnsi and falls back to G
    expect(text).toContain('Anaïs Gül');
    expect(text).toContain('08.03.15-123.45');
    expect(text).toContain('0417.390.703');
    expect(text).toContain('2.123.456.789');
    expect(text).toContain('Bakker duaal');
    expect(text).toContain('15/09/2025');
    expect(text).toContain('30/06/2027');
    expect(text).toContain('38 uren per week');
    expect(text).toContain('15 uren per week bij de opleidingsverstrekker en 23 uren per week op de leerwerkplek');
    expect(text).toContain('€ 588,70');
    expect(text).toContain('Els Deprez');
    expect(text).toContain('Bijlage 1: uurrooster (document 01JDSCHEDULE00000000000001, opgeladen op 01/09/2025)');
    expect(text).toContain('Artikel 12. Handtekeningen en bijlagen');
    expect(text).toContain('Bakkerij Brood & Banket');
    expect(count(text, 'Handtekening:')).toBe(4);
    expect(text).toContain('De wettelijke vertegenwoordiger van de minderjarige leerling');
    // A signature block is never split over two pages.
    for (const page of perPage) expect(count(page, 'Gelezen en goedgekeurd')).toBe(count(page, 'Handtekening:'));

    // Every page carries the header and the model footer with its own number.
    perPage.forEach((page, i) => {
      expect(page).toContain(`Model 2024.1 geldig vanaf 01/09/2024 – pagina ${i + 1}/${pages}`);
      expect(page).toContain('WERKVERSIE – niet ondertekenen');
      expect(page).toContain('Overeenkomst 01JDOAOMINOR00000000000001');
    });
  });

  it('renders an SAO for an adult without allowance and with three signature blocks', async () => {
    const model = modelFor(adult);
    const { pages, text, perPage } = await read(await renderAgreementPdf(model, adult));

    expect(pages).toBeGreaterThan(1);
    expect(text).toContain('01JDSAOADULT00000000000001');
    expect(text).toContain('Lars Janssens');
    expect(text).toContain('Kok duaal');
    expect(text).toContain('01/10/2025');
    expect(text).toContain('30/06/2026');
    expect(text).toContain('22 uren per week bij de opleidingsverstrekker en 16 uren per week op de leerwerkplek');
    expect(text).toContain('Pieter Claes');
    expect(text).toContain('Bijlage 1: uurrooster – nog op te laden');
    expect(text).toContain('geen leervergoeding');
    expect(text).not.toContain('€');
    expect(text).not.toMatch(/588|649|700,40/);
    expect(count(text, 'Handtekening:')).toBe(3);
    expect(text).not.toContain('De wettelijke vertegenwoordiger van de minderjarige leerling');
    expect(text).not.toContain('WERKVERSIE');
    expect(perPage[0]).toContain('status: Geregistreerd');
    expect(perPage.at(-1)).toContain(`pagina ${pages}/${pages}`);
  });

  it('flows a long article over several pages instead of cutting it off', async () => {
    const base = modelFor(minor);
    const long = "Deze zin herhaalt zich om een heel lang artikel te maken dat over meerdere pagina's doorloopt. ".repeat(40);
    const model: AgreementModel = {
      ...base,
      articles: [...base.articles, { number: 13, heading: 'Lang artikel', paragraphs: [long, `${long}SLOT-VAN-HET-ARTIKEL`] }],
    };
    const normal = await read(await renderAgreementPdf(base, minor));
    const longer = await read(await renderAgreementPdf(model, minor));
    expect(longer.pages).toBeGreaterThan(normal.pages);
    expect(longer.text).toContain('SLOT-VAN-HET-ARTIKEL');
    expect(count(longer.text, 'doorloopt')).toBe(80);
  });

  it('keeps every line of text inside the A4 margins', async () => {
    const pdf = await getDocumentProxy((await renderAgreementPdf(modelFor(minor), minor)).slice());
    for (let n = 1; n <= pdf.numPages; n++) {
      const page = await pdf.getPage(n);
      const [, , width, height] = page.view;
      expect([Math.round(width!), Math.round(height!)]).toEqual([595, 842]);
      const content = await page.getTextContent();
      for (const item of content.items) {
        if (!('transform' in item) || item.str.trim() === '' || item.str.startsWith('WERKVERSIE')) continue;
        const [, , , , x, y] = item.transform as number[];
        expect(x, item.str).toBeGreaterThanOrEqual(56);
        // pdf.js measures the standard font with its own metrics, a few tenths of a percent off pdf-lib's.
        expect(x! + item.width, item.str).toBeLessThanOrEqual(width! - 56 + 3);
        expect(y, item.str).toBeGreaterThanOrEqual(30);
        expect(y, item.str).toBeLessThanOrEqual(height! - 50);
      }
    }
  });

  it('replaces characters outside WinAnsi instead of failing', async () => {
    const facts = { ...minor, learner: { ...minor.learner, firstName: 'Zoë', lastName: 'Ğül 李 Łukasz' } };
    const { text } = await read(await renderAgreementPdf(modelFor(facts), facts));
    expect(text).toContain('Zoë Gül ? Lukasz');
  });

  it('marks a copy for information on every page, under the title, with the number as the caller masked it', async () => {
    const facts: AgreementDocumentFacts = { ...minor, copy: 'information', learner: { ...minor.learner, nationalNumber: '08.03.15-***.**' } };
    const { text, perPage } = await read(await renderAgreementPdf(modelFor(facts), facts));
    expect(perPage[0]).toContain(
      'Afschrift ter informatie: het rijksregisternummer is afgeschermd. Het ondertekende exemplaar ontving u bij de ondertekening.',
    );
    for (const page of perPage) expect(page).toContain('– afschrift ter informatie');
    expect(text).toContain('08.03.15-***.**');
    expect(text).not.toContain('08.03.15-123.45');

    const signing = await read(await renderAgreementPdf(modelFor(minor), { ...minor, copy: 'signing' }));
    expect(signing.text).not.toMatch(/afschrift ter informatie/i);
    expect(signing.text).toContain('08.03.15-123.45');
  });

  it('refuses to render a model with a placeholder it cannot fill', async () => {
    const base = modelFor(minor);
    const model: AgreementModel = { ...base, articles: [{ number: 1, heading: 'x', paragraphs: ['{{learner.fristName}}'] }] };
    await expect(renderAgreementPdf(model, minor)).rejects.toThrow(MissingPlaceholderError);
  });
});

describe('renderAddendumPdf', () => {
  it('lists each change before and after and refers to the agreement', async () => {
    const model = modelFor(minor);
    const facts = { ...minor, status: 'registered' as const };
    const bytes = await renderAddendumPdf(model, facts, {
      addendumId: '01JDADDENDUM00000000000001',
      number: 2,
      effectiveDate: '2026-02-01',
      changes: [
        { kind: 'mentor', label: 'Mentor', before: 'Els Deprez', after: 'Koen Ğenç' },
        { kind: 'endDate', label: 'Einddatum', before: '30/06/2027', after: '31/01/2027' },
      ],
    });
    const { text, perPage, pages } = await read(bytes);
    expect(text).toContain('Bijvoegsel 2 bij de overeenkomst 01JDOAOMINOR00000000000001');
    expect(text).toContain('01JDADDENDUM00000000000001');
    expect(text).toContain('01/02/2026');
    expect(text).toContain('Vroeger: Els Deprez');
    expect(text).toContain('Nieuw: Koen Genç');
    expect(text).toContain('Vroeger: 30/06/2027');
    expect(text).toContain('Nieuw: 31/01/2027');
    expect(text).toContain('0417.390.703');
    expect(count(text, 'Handtekening:')).toBe(4);
    expect(perPage.at(-1)).toContain(`Model 2024.1 geldig vanaf 01/09/2024 – pagina ${pages}/${pages}`);
  });

  it('marks the addendum for the enterprise as a copy for information too', async () => {
    const facts: AgreementDocumentFacts = { ...minor, status: 'registered', copy: 'information' };
    const { perPage } = await read(
      await renderAddendumPdf(modelFor(minor), facts, {
        addendumId: 'x-1',
        number: 1,
        effectiveDate: '2026-02-01',
        changes: [{ kind: 'mentor', label: 'Mentor', before: 'A', after: 'B' }],
      }),
    );
    expect(perPage[0]).toContain('Afschrift ter informatie');
    for (const page of perPage) expect(page).toContain('– afschrift ter informatie');
  });

  it('refuses an addendum without changes', async () => {
    await expect(renderAddendumPdf(modelFor(minor), minor, { addendumId: 'x', number: 1, effectiveDate: '2026-01-01', changes: [] })).rejects.toThrow(
      /at least one change/,
    );
  });
});
