// The agreement and addendum documents: the facts of an agreement gathered from the agreement, KBO, the
// recognition and the reference data, filled into the model agreement valid today, rendered as a PDF.
import type { Dependencies } from '../../shared/adapters/dependencies.ts';
import { brusselsDate } from '../../shared/adapters/clock.ts';
import { renderAddendumPdf, renderAgreementPdf } from '../../shared/adapters/pdf/agreement-document.ts';
import type { Agreement } from '../../shared/domain/agreements.ts';
import { getEnterpriseProfile } from '../../shared/data/kbo.ts';
import { getRecognition } from '../../shared/data/recognitions.ts';
import { allReference, getReference } from '../../shared/data/reference.ts';
import {
  agreementModelOn,
  MissingPlaceholderError,
  missingPlaceholders,
  type AddendumFacts,
  type AddressFacts,
  type AgreementDocumentFacts,
  type AgreementModel,
  type MissingValue,
} from '../../shared/domain/agreement-model.ts';
import type { Address as KboAddress } from '../../shared/domain/kbo.ts';
import type { Programme, Provider } from '../../shared/domain/reference.ts';
import { problemFor } from '../../shared/http/conflicts.ts';
import { unprocessable, type FieldError } from '../../shared/http/problem.ts';
import { addendumAnswers } from './conflicts.ts';
import type { ApiResponse } from '../../shared/http/route.ts';
import type { ActingOrganisation } from '../../shared/domain/organisations.ts';
import { kboDigits } from '../../shared/domain/identifiers.ts';
import { load } from './handlers.ts';
import { type AgreementAudience, learnerSeenBy } from './views.ts';

const kboAddress = (a: KboAddress | null): AddressFacts | null =>
  a?.street && a.postcode && a.municipality
    ? { street: a.street, houseNumber: a.houseNumber ?? '', box: a.box, postcode: a.postcode, municipality: a.municipality }
    : null;

/** The model agreement in force today for the agreement's type; the department maintains it as reference data. */
export async function currentModel(deps: Dependencies, agreement: Pick<Agreement, 'agreementType'>): Promise<AgreementModel> {
  const models = await allReference<AgreementModel>(deps, 'agreementModels');
  const model = agreementModelOn(models, agreement.agreementType, brusselsDate(deps.clock.now()));
  if (!model) throw unprocessable('no-agreement-model', `Er is vandaag geen modelovereenkomst van kracht voor het type ${agreement.agreementType}.`);
  return model;
}

/** The facts of the document for one party: the same learner data as that party's JSON (learnerSeenBy). */
export async function documentFacts(deps: Dependencies, agreement: Agreement, audience: AgreementAudience): Promise<AgreementDocumentFacts> {
  const [profile, provider, programme, recognition] = await Promise.all([
    getEnterpriseProfile(deps, kboDigits(agreement.enterpriseNumber)),
    getReference<Provider>(deps, 'providers', agreement.providerId),
    getReference<Programme>(deps, 'programmes', agreement.programmeId),
    agreement.recognitionId ? getRecognition(deps, agreement.recognitionId) : Promise.resolve(undefined),
  ]);
  const establishment = profile?.establishments.find((e) => e.establishmentNumber === agreement.establishmentNumber);
  const { firstName, lastName, nationalNumber, birthDate, address, legalRepresentative } = learnerSeenBy(agreement.learner, audience);
  return {
    agreementId: agreement.id,
    copy: audience === 'counsellor' ? 'signing' : 'information',
    status: agreement.status,
    agreementType: agreement.agreementType,
    learner: { firstName, lastName, nationalNumber, birthDate, address, legalRepresentative },
    enterprise: {
      enterpriseNumber: agreement.enterpriseNumber,
      name: profile?.name ?? agreement.enterpriseNumber,
      representative: agreement.enterpriseRepresentative,
    },
    establishment: {
      establishmentNumber: agreement.establishmentNumber,
      name: establishment?.name ?? profile?.name ?? agreement.establishmentNumber,
      address: kboAddress(establishment?.address ?? null),
    },
    recognitionId: agreement.recognitionId ?? 'nog niet erkend',
    mentor: { name: recognition?.mentors.find((m) => m.id === agreement.mentorId)?.name ?? 'nog te kiezen' },
    provider: providerFacts(agreement, provider?.record),
    programme: { id: agreement.programmeId, name: programme?.record.name ?? agreement.programmeId },
    startDate: agreement.startDate,
    endDate: agreement.endDate,
    weeklyHours: agreement.weeklyHours,
    ...annexFacts(agreement),
  };
}

/** The allowance and annexes as the model names them. */
function annexFacts({ learningAllowance: allowance, annexes }: Agreement): Pick<AgreementDocumentFacts, 'learningAllowance' | 'schedule' | 'trainingPlan'> {
  return {
    learningAllowance: allowance ? { tier: allowance.tier, monthlyAmountCents: allowance.monthlyAmountCents, validFrom: allowance.validFrom } : null,
    schedule: annexes.schedule ? { documentId: annexes.schedule.documentId, uploadedOn: annexes.schedule.attachedAt.slice(0, 10) } : null,
    trainingPlan: annexes.trainingPlan ? { documentId: annexes.trainingPlan.documentId } : null,
  };
}

function providerFacts(agreement: Agreement, provider: Provider | undefined): AgreementDocumentFacts['provider'] {
  const lessonLocation = provider?.lessonLocations.find((l) => l.id === agreement.lessonLocationId);
  const mainSeat = provider?.mainSeat ?? { street: '-', houseNumber: '-', box: null, postcode: '0000', municipality: '-' };
  return {
    name: provider?.name ?? agreement.providerId,
    mainSeat,
    // Without a separate lesson location the lessons take place at the main seat.
    lessonLocation: lessonLocation
      ? { name: lessonLocation.name, address: lessonLocation.address }
      : { name: provider?.name ?? agreement.providerId, address: mainSeat },
    representative: agreement.providerRepresentative,
    counsellor: { name: agreement.counsellor.name, email: agreement.counsellor.email },
  };
}

const pdf = (bytes: Uint8Array, filename: string): ApiResponse => ({
  status: 200,
  body: Buffer.from(bytes),
  contentType: 'application/pdf',
  // The file holds personal data: no shared caches.
  headers: { 'Content-Disposition': `inline; filename="${filename}"`, 'Cache-Control': 'private, no-store' },
});

/**
 * A document the model cannot be filled for (no allowance row for the start date, a model that asks for a
 * value this agreement does not have) is a 422 listing every missing value, not a 500 on the first one.
 */
function incomplete(missing: MissingValue[]) {
  const errors = missing.map((m): FieldError & { placeholder: string } => ({
    in: 'body',
    pointer: m.pointer,
    code: m.code,
    detail: m.detail,
    placeholder: m.placeholder,
  }));
  return unprocessable(
    'document-incomplete',
    'Het document kan niet gemaakt worden: het model vraagt gegevens die deze overeenkomst (nog) niet heeft.',
    errors,
  );
}

async function render(model: AgreementModel, facts: AgreementDocumentFacts, draw: () => Promise<Uint8Array>, addendum?: AddendumFacts): Promise<Uint8Array> {
  const missing = missingPlaceholders(model, facts, addendum);
  if (missing.length) throw incomplete(missing);
  try {
    return await draw();
  } catch (error) {
    // The check above should have listed it; should the two ever differ, the caller still gets a 422.
    if (error instanceof MissingPlaceholderError)
      throw incomplete([
        {
          placeholder: error.placeholder,
          where: [error.where],
          pointer: '',
          code: 'placeholder-without-value',
          detail: `Het model vermeldt {{${error.placeholder}}}, maar daarvoor is geen waarde.`,
        },
      ]);
    throw error;
  }
}

export async function agreementDocument(id: string, acting: ActingOrganisation | undefined, deps: Dependencies): Promise<ApiResponse> {
  const { agreement, audience } = await load(id, acting, deps, ['counsellor', 'enterprise']);
  const model = await currentModel(deps, agreement);
  const facts = await documentFacts(deps, agreement, audience);
  return pdf(await render(model, facts, () => renderAgreementPdf(model, facts)), `overeenkomst-${agreement.id}.pdf`);
}

export async function addendumDocument(id: string, number: number, acting: ActingOrganisation | undefined, deps: Dependencies): Promise<ApiResponse> {
  const { agreement, audience } = await load(id, acting, deps, ['counsellor', 'enterprise']);
  const addendum = agreement.addenda.find((a) => a.number === number);
  if (!addendum) throw problemFor('addendum-not-found', addendumAnswers);
  const model = await currentModel(deps, agreement);
  const facts = await documentFacts(deps, agreement, audience);
  const addendumFacts: AddendumFacts = { addendumId: `${agreement.id}-${number}`, number, effectiveDate: addendum.effectiveDate, changes: addendum.changes };
  return pdf(await render(model, facts, () => renderAddendumPdf(model, facts, addendumFacts), addendumFacts), `addendum-${number}-${agreement.id}.pdf`);
}
