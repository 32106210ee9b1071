// The answer of the event feed: CloudEvents 1.0 in the order of the feed, and the cursor to read on from.
import * as z from 'zod';
import { cloudEventSchema, eventTypePrefix, feedEventTypes } from '../../events/cloud-event.ts';

export const cloudEventView = cloudEventSchema.describe(
  `Een CloudEvent 1.0 (JSON). type: ${eventTypePrefix} gevolgd door een van ${feedEventTypes.join(', ')}. id is uniek per gebeurtenis: een systeem dat een id al verwerkte, slaat het over. subject: recognitions/<id>, agreements/<id> of kbo-changes/<id>. Geen rijksregisternummers, geboortedata of namen van personen.`,
);

export const eventFeedView = z.strictObject({
  events: z.array(cloudEventView).describe('In volgorde; leeg als er (nog) niets nieuws is'),
  next: z.string().describe('De cursor om verder te lezen (after); ook bij een lege lijst: vraag later opnieuw met dezelfde cursor'),
});
export type EventFeedView = z.infer<typeof eventFeedView>;
