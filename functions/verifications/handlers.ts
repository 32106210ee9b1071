// Handlers of the verification API: load the facts (shared/data/verifications.ts, shared/data/kbo.ts), decide
// (shared/domain/verifications.ts), answer with the view.
import { brusselsDate } from '../../shared/adapters/clock.ts';
import type { Dependencies } from '../../shared/adapters/dependencies.ts';
import { getEnterpriseProfile } from '../../shared/data/kbo.ts';
import { readVerificationDetails, readWorkplaceRecognitions, searchEnterprisesByName } from '../../shared/data/verifications.ts';
import { capacitiesOf } from '../../shared/domain/agreements.ts';
import { formatEstablishmentNumber } from '../../shared/domain/identifiers.ts';
import { placeOf, recognitionFor, verifyRecognition } from '../../shared/domain/verifications.ts';
import type { ApiResponse } from '../../shared/http/route.ts';
import type { EnterpriseIdentificationQuery, RecognitionVerificationQuery } from './schemas.ts';
import { enterpriseCandidate, recognitionVerification } from './views.ts';

const noPlace = { placeFree: false, establishmentFreePlaces: null };

export async function verifyWorkplace(query: RecognitionVerificationQuery, deps: Dependencies): Promise<ApiResponse> {
  const onDate = query.onDate ?? brusselsDate(deps.clock.now());
  const workplace = await readWorkplaceRecognitions(deps, query.establishment, query.programme);
  const candidate = recognitionFor(workplace.recognitions, onDate);
  const details = workplace.establishment ? await readVerificationDetails(deps, workplace.establishment.enterpriseDigits, candidate) : undefined;
  const verification = verifyRecognition({ ...workplace, enterpriseStatus: details?.enterpriseStatus }, onDate);
  const { recognition, status } = verification;
  const place =
    recognition && status && details
      ? placeOf(
          recognition,
          status,
          {
            capacity: capacitiesOf(details.partnership?.rules, recognition.programmeId),
            establishmentUsed: details.establishmentSlotsUsed,
            mentorUsed: details.mentorSlotsUsed,
          },
          onDate,
        )
      : noPlace;
  const body = recognitionVerification({
    establishmentNumber: formatEstablishmentNumber(query.establishment),
    programmeId: query.programme,
    onDate,
    establishment: workplace.establishment,
    enterpriseStatus: details?.enterpriseStatus,
    verification,
    partnershipName: details?.partnership?.name ?? null,
    place,
  });
  return { status: 200, body };
}

/** Candidates of a name search at most: a name of a few letters at a large postcode matches many. */
const nameSearchLimit = 20;

export async function identifyEnterprise(query: EnterpriseIdentificationQuery, deps: Dependencies): Promise<ApiResponse> {
  const { enterpriseNumber, name, postcode } = query;
  if (enterpriseNumber !== undefined) {
    const profile = await getEnterpriseProfile(deps, enterpriseNumber);
    if (!profile) return { status: 200, body: { result: 'unknown', candidates: [], moreCandidates: false } };
    const result = profile.status === 'stopped' ? 'closed' : 'ok';
    return { status: 200, body: { result, candidates: [enterpriseCandidate(profile, postcode)], moreCandidates: false } };
  }
  if (name === undefined || postcode === undefined) throw new Error('The query schema requires an enterprise number or a name with a postcode');
  const found = await searchEnterprisesByName(deps, postcode, name, nameSearchLimit);
  const candidates = found.candidates.map((profile) => enterpriseCandidate(profile, undefined));
  return { status: 200, body: { result: candidates.length ? 'ok' : 'unknown', candidates, moreCandidates: found.more } };
}
