// How e-mails write dates: `1 december 2026`, the Belgian Dutch long form (date-fns, nl-BE locale). The one
// formatting function of every template; the data carries calendar dates as `YYYY-MM-DD`.
import { format, parseISO } from 'date-fns';
import { nlBE } from 'date-fns/locale/nl-BE';

/** `2026-12-01` -> `1 december 2026`. Throws on anything else, so a wrong field never reaches a mailbox. */
export function formatDate(isoDate: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(isoDate)) throw new Error(`not a calendar date: ${isoDate}`);
  const date = parseISO(isoDate);
  if (Number.isNaN(date.getTime())) throw new Error(`not a calendar date: ${isoDate}`);
  return format(date, 'd MMMM yyyy', { locale: nlBE });
}
