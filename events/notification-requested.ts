// The message on the notifications queue: an e-mail to send, named by its template, with the data that
// template needs. Producers (shared/adapters/mail.ts requestNotification) validate before sending, the
// consumer (functions/notifications/consumer.ts) validates again on receipt: a message that reaches the queue
// wrong is a permanent failure and ends in the dead-letter queue, never a half-filled e-mail.
//
// `id` is chosen by the producer from what the e-mail is about (`<application>-r2-reminder`), so a retried
// producer or a redelivered message is still one e-mail: the consumer keeps a marker per id.
//
// Adding a template: add its `notification('<name>', z.object({...}))` below, then TypeScript asks for its
// view and its Eta templates in functions/notifications/templates.ts, and the template test for a sample. The
// data holds what the e-mail needs to say, no more: ids of what it is about (the consumer reads their names),
// dates as `YYYY-MM-DD` (the e-mail says `1 december 2026`), never a national number.
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

const isoDate = z.iso.date();

/**
 * The file an e-mail is about, by its ids: the consumer reads the names (programme and partnership from the
 * reference data, enterprise and establishment from KBO) when it renders the e-mail, so a producer sends ids
 * only and every e-mail names things the same way (functions/notifications/names.ts).
 */
const fileRefs = z.object({
  applicationId: z.string(),
  enterpriseNumber: z.string(),
  establishmentNumber: z.string(),
  programmeId: z.string(),
});

/** Recognitions a mail concerns: their official ids (E/20261112/000001) and, by id, what they are for. */
const recognitionRefs = z.array(z.object({ id: z.string(), establishmentNumber: z.string(), programmeId: z.string() })).max(50);

/** One dashboard task in a digest: what to do, about what, and by when. */
const digestTask = z.object({
  title: z.string().max(200),
  label: z.string().max(300),
  dueDate: isoDate.nullable(),
  daysRemaining: z.number().int().nullable(),
});

export const notificationRequestedSchema = z.discriminatedUnion('template', [
  /** Proves the path queue -> consumer -> transport works (local stage, smoke test after a deploy). */
  notification('test-message', z.object({ text: z.string().min(1).max(2000) })),
  /** To the partnership: a (re)submitted file to review within 14 days. */
  notification('application-submitted', fileRefs.extend({ partnershipId: z.string(), round: z.number().int().min(1), deadlineOn: isoDate.nullable() })),
  /** To the partnership: day 10 of 14 without a decision. */
  notification('review-reminder', fileRefs.extend({ partnershipId: z.string(), deadlineOn: isoDate.nullable() })),
  /** To the partnership and the department: 14 days without a decision. */
  notification('review-overdue', fileRefs.extend({ partnershipId: z.string().nullable(), deadlineOn: isoDate.nullable() })),
  /** To the enterprise (and the filing counsellor): what the partnership misses in the file. */
  notification('completion-requested', fileRefs.extend({ partnershipId: z.string().nullable(), message: z.string(), dueOn: isoDate.nullable().default(null) })),
  /** To the enterprise (and the filing counsellor): the acknowledgement of a (re)submission. */
  notification(
    'application-received',
    fileRefs.extend({ partnershipId: z.string().nullable(), round: z.number().int().min(1), deadlineOn: isoDate.nullable() }),
  ),
  /** The official notification of the partnership's decision. */
  notification(
    'decision',
    fileRefs.extend({
      partnershipId: z.string().nullable(),
      decision: z.enum(['recognised', 'notRecognised']),
      reasons: z.string(),
      recognitionId: z.string().nullable(),
      startDate: isoDate.nullable(),
      endDate: isoDate.nullable(),
    }),
  ),
  /** The official notification of a sanction, to the enterprise. */
  notification(
    'sanction',
    z.object({
      sanctionId: z.string(),
      kind: z.enum(['withdrawMentor', 'revokeRecognition', 'excludeEstablishment', 'excludeEnterprise']),
      enterpriseNumber: z.string(),
      /** The partnership that decided it; null for the department. */
      partnershipId: z.string().nullable(),
      reasons: z.string(),
      /** The recognitions it concerns (official ids such as E/20261112/000001) and what they are for. */
      recognitions: recognitionRefs,
      until: isoDate.nullable(),
    }),
  ),
  /** To each partnership whose recognitions an exclusion by the department revoked. */
  notification(
    'department-exclusion',
    z.object({
      sanctionId: z.string(),
      kind: z.enum(['excludeEstablishment', 'excludeEnterprise']),
      enterpriseNumber: z.string(),
      /** The excluded establishment; null when the whole enterprise is. */
      establishmentNumber: z.string().nullable(),
      /** The partnership told, whose recognitions are listed. */
      partnershipId: z.string(),
      reasons: z.string(),
      recognitions: recognitionRefs,
      until: isoDate.nullable(),
    }),
  ),
  /** To the file's addresses (enterprise, filing counsellor) and its partnership: a sanction closed an open file. */
  notification(
    'application-closed',
    fileRefs.extend({
      /** The partnership that was reviewing the file. */
      partnershipId: z.string().nullable(),
      sanctionId: z.string(),
      kind: z.enum(['revokeRecognition', 'excludeEstablishment', 'excludeEnterprise']),
      /** The partnership that decided the sanction; null for the department. */
      decidedBy: z.string().nullable(),
      reasons: z.string(),
    }),
  ),
  /** To the enterprise (its address and its legal representatives): a counsellor registered a mandate in its name. */
  notification('mandate-registered', z.object({ enterpriseNumber: z.string(), providerId: z.string(), counsellorName: z.string().min(1).max(200) })),
  /** To the counsellor who registered it: the enterprise confirmed or revoked the mandate. */
  notification('mandate-changed', z.object({ enterpriseNumber: z.string(), providerId: z.string(), status: z.enum(['confirmed', 'revoked']) })),
  /** To the enterprise, the counsellor and the file's contacts: the partnership rejected the mandate a file was filed under. */
  notification(
    'mandate-rejected',
    z.object({ applicationId: z.string(), enterpriseNumber: z.string(), providerId: z.string(), partnershipId: z.string().nullable(), reasons: z.string() }),
  ),
  /** To the department: an enterprise lodged an appeal, to confirm by a date. */
  notification(
    'appeal-received',
    z.object({ appealId: z.string(), enterpriseNumber: z.string(), against: z.enum(['decision', 'sanction']), confirmBy: isoDate }),
  ),
  /** To the enterprise: its appeal was received, admissible or not. */
  notification('appeal-confirmed', z.object({ appealId: z.string(), enterpriseNumber: z.string(), admissible: z.boolean(), reasons: z.string() })),
  /** To the enterprise and the partnership whose decision or sanction it was: the appeal committee's outcome and what it changed. */
  notification(
    'appeal-decided',
    z.object({
      appealId: z.string(),
      enterpriseNumber: z.string(),
      outcome: z.enum(['upheld', 'rejected']),
      reasons: z.string(),
      /** What the outcome did: nothing (rejected), recognitions active again, the mentor restored, the file re-opened. */
      effect: z.enum(['none', 'recognitionsRestored', 'mentorRestored', 'fileReopened']),
      /** The partnership whose decision or sanction it was; null for the department's. */
      partnershipId: z.string().nullable(),
      /** The recognitions it restored (or whose mentor it restored). */
      recognitions: recognitionRefs,
      /** The file it re-opened. */
      applicationId: z.string().nullable(),
    }),
  ),
  /**
   * To the counsellor: a suspension to follow up (more than 14 days, or reported by the enterprise). The learner's
   * name only: the counsellor follows the learner.
   */
  notification(
    'suspension-reported',
    z.object({
      agreementId: z.string(),
      learnerName: z.string().min(1).max(200),
      from: isoDate,
      to: isoDate,
      reportedBy: z.enum(['enterprise', 'provider']).default('provider'),
    }),
  ),
  /** To the parties (counsellor, enterprise): an agreement ended early, or will end early on `endedOn` (`scheduled`). */
  notification(
    'agreement-ended-early',
    z.object({ agreementId: z.string(), learnerName: z.string().min(1).max(200), endedOn: isoDate, reason: z.string(), scheduled: z.boolean().default(false) }),
  ),
  /**
   * To the counsellor of a running agreement on a recognition an upheld appeal restored: the revocation that asked
   * to end the agreement no longer stands.
   */
  notification('recognition-restored', z.object({ agreementId: z.string(), learnerName: z.string().min(1).max(200), recognitionId: z.string() })),
  /** To the parties (counsellor, enterprise): an agreement has ended, on its planned date or on the day of a recorded early end. */
  notification(
    'agreement-ended',
    z.object({ agreementId: z.string(), learnerName: z.string().min(1).max(200), endedOn: isoDate, early: z.boolean(), reason: z.string() }),
  ),
  /**
   * To the enterprise (its contacts on the recognition of the workplace): a work version naming it is ready for
   * signatures. No learner name: the addresses are the enterprise's general contacts; the portal shows the agreement.
   */
  notification(
    'agreement-to-sign',
    z.object({
      agreementId: z.string(),
      enterpriseNumber: z.string(),
      establishmentNumber: z.string(),
      programmeId: z.string(),
      providerId: z.string(),
      startDate: isoDate,
      expiresOn: isoDate,
    }),
  ),
  /** To the counsellor: a work version was not registered within its 90 days and has expired. */
  notification('draft-expired', z.object({ learnerName: z.string().min(1).max(200), expiredOn: isoDate, savedOn: isoDate })),
  /** To the enterprise: the partnership's decision on a KBO change of one of its establishments. */
  notification(
    'kbo-change-decided',
    z.object({
      changeId: z.string(),
      enterpriseNumber: z.string(),
      partnershipId: z.string(),
      /** What KBO reported, in Dutch (shared/domain/kbo-changes.ts describeChange). */
      change: z.string().max(300),
      /** The old and the new address of an address change, formatted; null for other changes. */
      addressChange: z.object({ from: z.string().max(300), to: z.string().max(300) }).nullable(),
      decision: z.enum(['keep', 'revoke']),
      reasons: z.string(),
      recognitions: recognitionRefs,
    }),
  ),
  /** The daily digest of an organisation's dashboard for one user: tasks new since the last digest and overdue ones. */
  notification(
    'task-digest',
    z.object({
      /** The organisation's name (the digest job reads it with the tasks). */
      organisation: z.string().min(1).max(200),
      date: isoDate,
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
