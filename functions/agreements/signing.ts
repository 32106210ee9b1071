// The enterprise's side of a work version: when a save makes it ready for signatures (signingChange), the
// enterprise's legal representative gets "Overeenkomst ondertekenen" and the enterprise's contacts a mail; when it
// stops being ready (a blocking problem, the signed agreement attached, another enterprise named), its registration,
// or its expiry, the task closes. The task is remembered on the agreement (agreement-tasks.ts), so whatever closes
// it finds it by type.
import type { Dependencies } from '../../shared/adapters/dependencies.ts';
import { closeAgreementTasks, rememberAgreementTask } from '../../shared/data/agreement-tasks.ts';
import { readMailNames } from '../../shared/data/mail-names.ts';
import { getRecognition } from '../../shared/data/recognitions.ts';
import { openTask } from '../../shared/data/tasks.ts';
import { signAgreementTask, signingChange } from '../../shared/domain/agreement-tasks.ts';
import { type Agreement, draftExpiresOn } from '../../shared/domain/agreements.ts';
import { kboDigits } from '../../shared/domain/identifiers.ts';
import type { NotificationRequest } from '../../events/notification-requested.ts';
import { mailParties } from './notices.ts';

/** Closes the enterprise's signing task of the work version, if one is open. */
export const closeSigningTask = (deps: Dependencies, agreementId: string) => closeAgreementTasks(deps, agreementId, ['signAgreement']);

/** The mail to the enterprise's contacts: the addresses its applications gave, on the recognition the check found. */
async function toSignMail(deps: Dependencies, draft: Agreement): Promise<NotificationRequest> {
  const recognition = draft.recognitionId ? await getRecognition(deps, draft.recognitionId) : undefined;
  return {
    id: `to-sign-${draft.id}-${draft.version}`,
    to: [...new Set(recognition?.contactEmails ?? [])].slice(0, 20),
    template: 'agreement-to-sign',
    data: {
      agreementId: draft.id,
      enterpriseNumber: draft.enterpriseNumber,
      establishmentNumber: draft.establishmentNumber,
      programmeId: draft.programmeId,
      providerId: draft.providerId,
      startDate: draft.startDate,
      expiresOn: draftExpiresOn(draft.updatedAt),
    },
  };
}

/** After a save of a work version (`before` undefined: a new one): the signing task follows its readiness. */
export async function followSigning(deps: Dependencies, before: Agreement | undefined, saved: Agreement): Promise<void> {
  const change = signingChange(before, saved);
  if (change.close) await closeSigningTask(deps, saved.id);
  if (!change.open) return;
  const names = await readMailNames(deps, {
    programmeIds: [saved.programmeId],
    providerIds: [saved.providerId],
    establishments: [{ enterpriseNumber: saved.enterpriseNumber, establishmentNumber: saved.establishmentNumber }],
  });
  const task = signAgreementTask(
    saved,
    {
      programme: names.programmes.get(saved.programmeId),
      establishment: names.establishments.get(kboDigits(saved.establishmentNumber)),
      provider: names.providers.get(saved.providerId),
    },
    deps.clock.now().toISOString(),
  );
  // Remembered first, so that a registration racing this save still finds the task to close.
  await rememberAgreementTask(deps, saved.id, task);
  await openTask(deps, task);
  await mailParties(deps, await toSignMail(deps, saved));
}
