import { describe, expect, it } from 'vitest';
import { confirmMandateTask, confirmMandateTaskId, mandatePath } from './organisation-tasks.ts';

describe('the task "Machtiging bevestigen"', () => {
  it("is the enterprise's legal representatives', names the provider and links to the mandate's route", () => {
    const task = confirmMandateTask({
      enterpriseNumber: '0417.390.703',
      providerId: 'campus-brugge',
      providerName: 'Campus Brugge',
      registrationId: '01J0000000000000000000000A',
      registeredAt: '2026-11-12T09:00:00.000Z',
    });
    expect(task).toEqual({
      id: confirmMandateTaskId('01J0000000000000000000000A'),
      type: 'confirmMandate',
      title: 'Machtiging bevestigen',
      organisationKey: 'enterprise:0417390703',
      roles: ['legalRepresentative'],
      subject: { kind: 'mandate', id: '0417390703/campus-brugge', label: 'Machtiging voor Campus Brugge' },
      dueDate: null,
      actions: ['confirm-mandate', 'revoke-mandate'],
      link: '/v1/mandates/0417390703/campus-brugge',
      status: 'open',
      createdAt: '2026-11-12T09:00:00.000Z',
      closedAt: null,
    });
    expect(mandatePath({ enterpriseNumber: '0417390703', providerId: 'campus-brugge' })).toBe(task.link);
  });
});
