// The dashboard tasks of the organisations context, one factory per task type. Pure; no AWS, no HTTP.
import { kboDigits } from './identifiers.ts';
import { organisationKey } from './organisations.ts';
import { taskTypes, type Task } from './tasks.ts';

/** The route of one mandate, where the enterprise confirms or revokes it. */
export const mandatePath = (m: { enterpriseNumber: string; providerId: string }) => `/v1/mandates/${kboDigits(m.enterpriseNumber)}/${m.providerId}`;

/** The id of the enterprise's task for one registration, so that confirming or revoking closes exactly that one. */
export const confirmMandateTaskId = (registrationId: string) => `mandate:${registrationId}`;

/** "Machtiging bevestigen": the enterprise's legal representatives confirm (or revoke) a mandate registered in its name. */
export function confirmMandateTask(input: {
  enterpriseNumber: string;
  providerId: string;
  providerName: string;
  registrationId: string;
  registeredAt: string;
}): Task {
  const enterpriseDigits = kboDigits(input.enterpriseNumber);
  return {
    id: confirmMandateTaskId(input.registrationId),
    type: 'confirmMandate',
    title: taskTypes.confirmMandate,
    organisationKey: organisationKey('enterprise', enterpriseDigits),
    roles: ['legalRepresentative'],
    subject: { kind: 'mandate', id: `${enterpriseDigits}/${input.providerId}`, label: `Machtiging voor ${input.providerName}` },
    dueDate: null,
    actions: ['confirm-mandate', 'revoke-mandate'],
    link: mandatePath(input),
    status: 'open',
    createdAt: input.registeredAt,
    closedAt: null,
  };
}
