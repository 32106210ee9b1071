// The query of the event feed.
import * as z from 'zod';

export const eventFeedQuery = z.strictObject({
  after: z
    .string()
    .max(512)
    .optional()
    .describe('De cursor `next` uit het vorige antwoord; zonder after: vanaf het oudste bewaarde gebeurtenis. Bewaar hem: hij blijft geldig.'),
  limit: z.coerce.number().int().min(1).max(100).optional().describe('Hoogstens zoveel gebeurtenissen (standaard 50)'),
});
export type EventFeedQuery = z.output<typeof eventFeedQuery>;
