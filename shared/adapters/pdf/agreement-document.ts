// Renders an agreement and its addenda as PDF from the model valid for it (pdf-lib, standard fonts, no
// files to ship in the Lambda bundle). The text comes from the model data; this file only lays it out.
import { PDFDocument, PageSizes, StandardFonts, degrees, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import {
  fillModel,
  fillModelParts,
  formatAddress,
  formatDate,
  informationCopyNotice,
  type AddendumFacts,
  type AgreementDocumentFacts,
  type AgreementModel,
} from '../../domain/agreement-model.ts';

const [pageWidth, pageHeight] = PageSizes.A4;
const margin = { left: 56, right: 56, top: 56, bottom: 64 };
const contentWidth = pageWidth - margin.left - margin.right;
const bodySize = 10;
const lineGap = 1.35;
const headerHeight = 44;
const grey = rgb(0.35, 0.35, 0.35);

const statusLabels: Record<AgreementDocumentFacts['status'], string> = {
  draft: 'WERKVERSIE – niet ondertekenen',
  registered: 'Geregistreerd',
  suspended: 'Geschorst',
  ending: 'Wordt beëindigd',
  ended: 'Beëindigd',
};

type Fonts = { regular: PDFFont; bold: PDFFont };

/**
 * Helvetica only knows WinAnsi; pdf-lib throws on anything else. Letters with diacritics outside it (Ğ, ł)
 * fall back to their base letter, other characters to a few look-alikes or "?", so a name never breaks a document.
 */
function winAnsiSanitiser(font: PDFFont): (text: string) => string {
  const supported = new Set(font.getCharacterSet());
  const lookalikes: Record<string, string> = {
    '\u2010': '-',
    '\u2011': '-',
    '\u2012': '-',
    '\u2212': '-',
    '\u2032': "'",
    '\u2033': '"',
    '\u202f': ' ',
    '\u2009': ' ',
    '\t': ' ',
  };
  return (text) => {
    let out = '';
    for (const char of text) {
      const code = char.codePointAt(0)!;
      if (supported.has(code)) {
        out += char;
        continue;
      }
      const base = char.normalize('NFD').replace(/\p{M}/gu, '');
      if (base && [...base].every((c) => supported.has(c.codePointAt(0)!))) {
        out += base;
        continue;
      }
      out += lookalikes[char] ?? (char === 'ı' ? 'i' : char === 'ł' ? 'l' : char === 'Ł' ? 'L' : char === 'đ' ? 'd' : char === 'Đ' ? 'D' : '?');
    }
    return out;
  };
}

/** Greedy word wrap; a word wider than the line (an e-mail address, an id) is cut by characters. */
function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  // An amount stays on one line with its euro sign.
  const unbreakable = text.replace(/€ (?=\d)/g, '€\u00a0');
  for (const rawLine of unbreakable.split('\n')) {
    let line = '';
    for (const word of rawLine.split(' ').filter((w) => w.length > 0)) {
      const candidate = line ? `${line} ${word}` : word;
      if (font.widthOfTextAtSize(candidate, size) <= width) {
        line = candidate;
        continue;
      }
      if (line) lines.push(line);
      line = '';
      let rest = word;
      while (font.widthOfTextAtSize(rest, size) > width) {
        let cut = rest.length - 1;
        while (cut > 1 && font.widthOfTextAtSize(rest.slice(0, cut), size) > width) cut--;
        lines.push(rest.slice(0, cut));
        rest = rest.slice(cut);
      }
      line = rest;
    }
    lines.push(line);
  }
  return lines;
}

/** Flowing layout: text goes down the page and continues on a new page with the same header. */
class Layout {
  readonly pages: PDFPage[] = [];
  private page!: PDFPage;
  private y = 0;
  private readonly clean: (text: string) => string;

  constructor(
    private readonly doc: PDFDocument,
    private readonly fonts: Fonts,
    private readonly header: { title: string; subtitle: string; draft: boolean },
  ) {
    this.clean = winAnsiSanitiser(fonts.regular);
    this.newPage();
  }

  private newPage(): void {
    this.page = this.doc.addPage([pageWidth, pageHeight]);
    this.pages.push(this.page);
    if (this.header.draft) {
      // Drawn first so the body text stays on top of the light watermark.
      const mark = 'WERKVERSIE – niet ondertekenen';
      const size = 40;
      const width = this.fonts.bold.widthOfTextAtSize(this.clean(mark), size);
      const angle = Math.PI / 4;
      this.page.drawText(this.clean(mark), {
        x: pageWidth / 2 - (Math.cos(angle) * width) / 2 + (Math.sin(angle) * size) / 2,
        y: pageHeight / 2 - (Math.sin(angle) * width) / 2 - (Math.cos(angle) * size) / 2,
        size,
        font: this.fonts.bold,
        color: rgb(0.85, 0.2, 0.2),
        opacity: 0.15,
        rotate: degrees(45),
      });
    }
    const top = pageHeight - margin.top;
    this.page.drawText(this.fit(this.header.title, this.fonts.bold, 11), { x: margin.left, y: top, size: 11, font: this.fonts.bold });
    this.page.drawText(this.fit(this.header.subtitle, this.fonts.regular, 8), {
      x: margin.left,
      y: top - 13,
      size: 8,
      font: this.fonts.regular,
      color: this.header.draft ? rgb(0.75, 0.1, 0.1) : grey,
    });
    this.page.drawLine({ start: { x: margin.left, y: top - 20 }, end: { x: pageWidth - margin.right, y: top - 20 }, thickness: 0.5, color: grey });
    this.y = top - headerHeight;
  }

  private fit(text: string, font: PDFFont, size: number): string {
    return wrap(this.clean(text), font, size, contentWidth)[0] ?? '';
  }

  /** Starts a new page unless `height` points still fit above the footer. */
  ensure(height: number): void {
    if (this.y - height < margin.bottom) this.newPage();
  }

  gap(points: number): void {
    this.y -= points;
  }

  text(text: string, options: { font?: 'regular' | 'bold'; size?: number; indent?: number; keepWithNext?: number; color?: ReturnType<typeof rgb> } = {}): void {
    const font = this.fonts[options.font ?? 'regular'];
    const size = options.size ?? bodySize;
    const indent = options.indent ?? 0;
    const leading = size * lineGap;
    const lines = wrap(this.clean(text), font, size, contentWidth - indent);
    // A heading is kept with the first lines of what follows rather than left alone at the bottom of a page.
    this.ensure(leading * Math.min(lines.length, 2) + (options.keepWithNext ?? 0));
    for (const line of lines) {
      this.ensure(leading);
      this.y -= size;
      this.page.drawText(line, { x: margin.left + indent, y: this.y, size, font, ...(options.color ? { color: options.color } : {}) });
      this.y -= leading - size;
    }
  }

  paragraph(text: string, indent = 0): void {
    this.text(text, { indent });
    this.gap(bodySize * 0.6);
  }

  heading(text: string, size = 11.5): void {
    this.gap(4);
    this.text(text, { font: 'bold', size, keepWithNext: bodySize * lineGap * 2 });
    this.gap(3);
  }

  /** A signature block that never splits over two pages. */
  signatureBlock(role: string, name: string, detail: string | null): void {
    const linesOf = (text: string, font: PDFFont, size: number) => wrap(this.clean(text), font, size, contentWidth - 8).length;
    const textHeight =
      (linesOf(role, this.fonts.bold, bodySize) + linesOf(name, this.fonts.regular, bodySize) + 2) * bodySize * lineGap +
      ((detail ? linesOf(detail, this.fonts.regular, 8.5) : 0) + 1) * 8.5 * lineGap;
    // Room to sign under the last line.
    const blockHeight = Math.ceil(textHeight + 40);
    this.ensure(blockHeight);
    const x = margin.left;
    const top = this.y;
    this.page.drawRectangle({ x, y: top - blockHeight + 8, width: contentWidth, height: blockHeight - 12, borderColor: grey, borderWidth: 0.5 });
    this.y -= 8;
    this.text(role, { font: 'bold', indent: 8 });
    this.text(name, { indent: 8 });
    if (detail) this.text(detail, { indent: 8, size: 8.5, color: grey });
    this.text('Gelezen en goedgekeurd', { indent: 8, size: 8.5, color: grey });
    this.text('Datum: ....../....../............', { indent: 8 });
    this.text('Handtekening:', { indent: 8 });
    this.y = top - blockHeight;
  }

  /** Footers need the page count, so they are drawn once the body is laid out. */
  footers(footer: (page: number, total: number) => string): void {
    this.pages.forEach((page, index) => {
      const text = this.fit(footer(index + 1, this.pages.length), this.fonts.regular, 8);
      page.drawLine({
        start: { x: margin.left, y: margin.bottom - 16 },
        end: { x: pageWidth - margin.right, y: margin.bottom - 16 },
        thickness: 0.5,
        color: grey,
      });
      page.drawText(text, { x: margin.left, y: margin.bottom - 28, size: 8, font: this.fonts.regular, color: grey });
    });
  }
}

async function startDocument(model: AgreementModel, facts: AgreementDocumentFacts, title: string, subject: string) {
  const doc = await PDFDocument.create();
  // Metadata strings are UTF-16 in PDF, so the title keeps characters the page font cannot draw.
  doc.setTitle(title);
  doc.setSubject(subject);
  doc.setLanguage('nl-BE');
  doc.setCreator('werkplekduaal');
  doc.setProducer('werkplekduaal (pdf-lib)');
  doc.setKeywords([facts.agreementId, `model ${model.version}`]);
  const fonts: Fonts = { regular: await doc.embedFont(StandardFonts.Helvetica), bold: await doc.embedFont(StandardFonts.HelveticaBold) };
  // Every page says it is a copy for information, so a single printed page cannot pass for the signed one.
  const copy = facts.copy === 'information' ? ' – afschrift ter informatie' : '';
  const subtitle = `Overeenkomst ${facts.agreementId} – ${facts.agreementType} – status: ${statusLabels[facts.status]}${copy}`;
  const layout = new Layout(doc, fonts, { title, subtitle, draft: facts.status === 'draft' });
  return { doc, layout };
}

function signatures(layout: Layout, facts: AgreementDocumentFacts): void {
  const learnerName = `${facts.learner.firstName} ${facts.learner.lastName}`;
  layout.signatureBlock('Voor de leerling', learnerName, null);
  const legal = facts.learner.legalRepresentative;
  if (legal)
    layout.signatureBlock('De wettelijke vertegenwoordiger van de minderjarige leerling', legal.name, legal.address ? formatAddress(legal.address) : null);
  layout.signatureBlock('Voor de onderneming', facts.enterprise.representative, `${facts.enterprise.name} (${facts.enterprise.enterpriseNumber})`);
  layout.signatureBlock('Voor de opleidingsverstrekker', facts.provider.representative, facts.provider.name);
}

/** On a copy for information, right under the title: why the national number is masked and where the signed copy is. */
function copyNotice(layout: Layout, facts: AgreementDocumentFacts): void {
  if (facts.copy !== 'information') return;
  layout.text(informationCopyNotice, { font: 'bold', size: 9.5 });
  layout.gap(6);
}

function finish(layout: Layout, model: AgreementModel): void {
  layout.footers((page, total) => `Model ${model.version} geldig vanaf ${formatDate(model.validFrom)} – pagina ${page}/${total}`);
}

/** The agreement on its model: parties, every article of the agreement's type, annexes and signature blocks. */
export async function renderAgreementPdf(model: AgreementModel, facts: AgreementDocumentFacts): Promise<Uint8Array> {
  // Filled before any drawing, so a model that cannot be filled fails without a half-made document.
  const articles = fillModel(model, facts);
  const parts = fillModelParts(model, facts);
  const { doc, layout } = await startDocument(model, facts, model.title, `${model.title} ${facts.agreementId}`);

  layout.text(model.title, { font: 'bold', size: 16 });
  layout.gap(4);
  layout.text(`Overeenkomst ${facts.agreementId} (${facts.agreementType}) – opgemaakt volgens model ${model.version}`, { size: 9, color: grey });
  layout.gap(10);
  copyNotice(layout, facts);

  if (parts.preamble) {
    layout.heading(parts.preamble.heading);
    for (const p of parts.preamble.paragraphs) layout.paragraph(p);
  }
  for (const article of articles) {
    layout.heading(`Artikel ${article.number}. ${article.heading}`);
    for (const p of article.paragraphs) layout.paragraph(p);
  }
  if (parts.annexes.length > 0) {
    layout.heading('Bijlagen');
    for (const annex of parts.annexes) layout.paragraph(`– ${annex}`, 8);
  }
  layout.heading('Ondertekening');
  layout.paragraph(parts.signatureParties);
  signatures(layout, facts);
  finish(layout, model);
  return doc.save();
}

/** A pre-filled addendum listing each change before and after, with the same signature blocks. */
export async function renderAddendumPdf(model: AgreementModel, facts: AgreementDocumentFacts, addendum: AddendumFacts): Promise<Uint8Array> {
  if (addendum.changes.length === 0) throw new Error('an addendum needs at least one change');
  const parts = fillModelParts(model, facts, addendum);
  const text = parts.addendum!;
  const { doc, layout } = await startDocument(model, facts, text.title, `${text.title} (${addendum.addendumId})`);

  layout.text(text.title, { font: 'bold', size: 16 });
  layout.gap(4);
  layout.text(`Bijvoegsel ${addendum.addendumId} – van kracht vanaf ${formatDate(addendum.effectiveDate)}`, { size: 9, color: grey });
  layout.gap(10);
  copyNotice(layout, facts);
  for (const p of text.paragraphs) layout.paragraph(p);

  layout.heading('Wijzigingen');
  for (const change of addendum.changes) {
    layout.text(change.label, { font: 'bold', keepWithNext: bodySize * lineGap * 2 });
    layout.text(`Vroeger: ${change.before}`, { indent: 12 });
    layout.text(`Nieuw: ${change.after}`, { indent: 12 });
    layout.gap(6);
  }
  layout.heading('Ondertekening');
  layout.paragraph(parts.signatureParties);
  signatures(layout, facts);
  finish(layout, model);
  return doc.save();
}
