// Agreement facts for tests of the model and of the documents rendered from it.
import type { AgreementDocumentFacts } from './agreement-model.ts';

export const address = { street: 'Kerkstraat', houseNumber: '1', box: null, postcode: '2800', municipality: 'Mechelen' };
export const oaoFacts = (overrides: Partial<AgreementDocumentFacts> = {}): AgreementDocumentFacts => ({
  agreementId: '01JDAGREEMENT0000000000001',
  status: 'draft',
  agreementType: 'OAO',
  learner: {
    firstName: 'Zoë',
    lastName: 'Peeters',
    nationalNumber: '08.03.15-123.45',
    birthDate: '2008-03-15',
    address,
    legalRepresentative: { name: 'An Peeters', address: null },
  },
  enterprise: { enterpriseNumber: '0417.390.703', name: 'Bakkerij Brood', representative: 'Jan Brood' },
  establishment: { establishmentNumber: '2.123.456.789', name: 'Bakkerij Brood Mechelen', address },
  recognitionId: 'R-1',
  mentor: { name: 'Els Mentor' },
  provider: {
    name: 'Syntra Mechelen',
    mainSeat: address,
    lessonLocation: { name: 'Campus', address },
    representative: 'Directeur',
    counsellor: { name: 'Tom Begeleider', email: 'tom@example.be' },
  },
  programme: { id: 'bakker-duaal', name: 'Bakker duaal' },
  startDate: '2025-09-15',
  endDate: '2026-06-30',
  weeklyHours: { enterpriseFullTime: 38, school: 16, workplace: 22 },
  learningAllowance: { tier: 1, monthlyAmountCents: 58870, validFrom: '2024-04-01' },
  schedule: null,
  trainingPlan: null,
  ...overrides,
});
