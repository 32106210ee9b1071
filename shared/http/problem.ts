// RFC 9457 problem details. Every client error the API returns is one of these.

/** One bad field: where it is (`in`), a JSON pointer inside that part, the rule it broke and a Dutch explanation. */
export type FieldError = { in: 'body' | 'query' | 'path' | 'header'; pointer: string; code: string; detail: string };

export type ProblemBody = {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: FieldError[];
  instance?: string;
  correlationId?: string;
};

export const problemTypeBase = 'https://werkplekduaal.be/problems/';

const titles: Record<number, string> = {
  400: 'Ongeldige aanvraag',
  401: 'Niet aangemeld',
  403: 'Geen toegang',
  404: 'Niet gevonden',
  405: 'Methode niet toegestaan',
  409: 'Conflict',
  412: 'Voorwaarde niet voldaan',
  413: 'Aanvraag te groot',
  415: 'Formaat niet ondersteund',
  422: 'Regel niet voldaan',
  428: 'Versie vereist',
  429: 'Te veel aanvragen',
  500: 'Interne fout',
  503: 'Tijdelijk niet beschikbaar',
};

/** Thrown anywhere in a request to answer with a problem; the error middleware renders it. */
export class Problem extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly errors: FieldError[] | undefined;
  readonly title: string;
  readonly headers: Record<string, string>;

  constructor(status: number, code: string, detail: string, options: { errors?: FieldError[]; title?: string; headers?: Record<string, string> } = {}) {
    super(`${status} ${code}: ${detail}`);
    this.name = 'Problem';
    this.status = status;
    this.code = code;
    this.detail = detail;
    this.errors = options.errors;
    this.title = options.title ?? titles[status] ?? 'Fout';
    this.headers = options.headers ?? {};
  }

  toBody(extra: { instance?: string; correlationId?: string } = {}): ProblemBody {
    return {
      type: `${problemTypeBase}${this.code}`,
      title: this.title,
      status: this.status,
      detail: this.detail,
      code: this.code,
      ...(this.errors ? { errors: this.errors } : {}),
      ...extra,
    };
  }
}

export const badRequest = (code: string, detail: string, errors?: FieldError[]) => new Problem(400, code, detail, errors ? { errors } : {});
export const unauthorized = (detail = 'Meld u aan om deze dienst te gebruiken.') =>
  new Problem(401, 'unauthenticated', detail, { headers: { 'WWW-Authenticate': 'Bearer' } });
export const forbidden = (code: string, detail: string) => new Problem(403, code, detail);
export const notFound = (code: string, detail: string) => new Problem(404, code, detail);
export const conflict = (code: string, detail: string) => new Problem(409, code, detail);
export const unprocessable = (code: string, detail: string, errors?: FieldError[]) => new Problem(422, code, detail, errors ? { errors } : {});
