// The message on the notifications queue: an e-mail to send, named by its template, with the data that
// template needs. Producers (shared/adapters/mail.ts requestNotification) validate before sending, the
// consumer (functions/notifications/consumer.ts) validates again on receipt: a message that reaches the queue
// wrong is a permanent failure and ends in the dead-letter queue, never a half-filled e-mail.
//
// `id` is chosen by the producer from what the e-mail is about (`<application>-r2-reminder`), so a retried
// producer or a redelivered message is still one e-mail: the consumer keeps a marker per id.
//
// Adding a template: add its `notification('<name>', z.object({...}))` below, then TypeScript asks for its
// renderer in functions/notifications/templates.ts. The data holds what the e-mail needs to say, no more.
import * as z from 'zod';

const envelope = {
  id: z
    .string()
    .min(8)
    .max(120)
    .regex(/^[A-Za-z0-9._:-]+$/, 'letters, digits and . _ : -'),
  to: z.array(z.email()).min(1).max(20),
};

const notification = <T extends string, D extends z.ZodObject>(template: T, data: D) => z.object({ ...envelope, template: z.literal(template), data });

/** What the review e-mails about one application file say. */
const fileSummary = z.object({
  applicationId: z.string(),
  enterpriseNumber: z.string().optional(),
  establishmentNumber: z.string(),
  /** The programme's name (or id when the name is unknown). */
  programme: z.string().optional(),
  /** `YYYY-MM-DD`; null before the 14-day clock runs. */
  deadlineOn: z.string().nullable().optional(),
});

/** One dashboard task in a digest: what to do, about what, and by when. */
const digestTask = z.object({
  title: z.string().max(200),
  label: z.string().max(300),
  dueDate: z.string().nullable(),
  daysRemaining: z.number().int().nullable(),
});

export const notificationRequestedSchema = z.discriminatedUnion('template', [
  /** Free text for one-off messages (appeals); every line is a paragraph, the link comes last. */
  notification(
    'generic',
    z.object({
      subject: z.string().min(1).max(200),
      lines: z.array(z.string().max(4000)).min(1).max(20),
      // Only web links: z.url() alone also accepts `javascript:` and `data:` URLs.
      link: z.url({ protocol: /^https?$/ }).optional(),
    }),
  ),
  /** Proves the path queue -> consumer -> transport works (local stage, smoke test after a deploy). */
  notification('test-message', z.object({ text: z.string().min(1).max(2000) })),
  notification('application-submitted', fileSummary.extend({ partnership: z.string(), round: z.number().int().min(1) })),
  notification('review-reminder', fileSummary),
  notification('review-overdue', fileSummary.extend({ partnership: z.string().nullable() })),
  notification('completion-requested', z.object({ applicationId: z.string(), establishmentNumber: z.string(), message: z.string() })),
  notification(
    'decision',
    z.object({
      applicationId: z.string(),
      decision: z.enum(['recognised', 'notRecognised']),
      reasons: z.string(),
      recognitionId: z.string().nullable(),
      startDate: z.string().nullable(),
      endDate: z.string().nullable(),
      establishmentNumber: z.string(),
      programmeId: z.string(),
    }),
  ),
  notification(
    'sanction',
    z.object({
      sanctionId: z.string(),
      kind: z.enum(['withdrawMentor', 'revokeRecognition', 'excludeEstablishment', 'excludeEnterprise']),
      subject: z.string(),
      reasons: z.string(),
      recognitions: z.array(z.string()),
      until: z.string().nullable(),
    }),
  ),
  /** The daily digest of an organisation's dashboard for one user: tasks new since the last digest and overdue ones. */
  notification(
    'task-digest',
    z.object({
      organisation: z.string().min(1).max(200),
      date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
      newTasks: z.array(digestTask).max(50),
      overdueTasks: z.array(digestTask).max(50),
      /** How many there are in all, when the lists above were cut to 50. */
      newCount: z.number().int().min(0),
      overdueCount: z.number().int().min(0),
    }),
  ),
]);

/** A valid message, as the consumer sees it after parsing. */
export type NotificationRequested = z.infer<typeof notificationRequestedSchema>;
/** What a producer writes (the same shape: the schema has no defaults or transforms). */
export type NotificationRequest = z.input<typeof notificationRequestedSchema>;
export type TemplateName = NotificationRequested['template'];
/** The data each template needs, by template name. */
export type TemplateDataMap = { [T in TemplateName]: Extract<NotificationRequested, { template: T }>['data'] };
export type TemplateData<T extends TemplateName> = TemplateDataMap[T];

export const templateNames = notificationRequestedSchema.options.map((option) => option.shape.template.value) as TemplateName[];
