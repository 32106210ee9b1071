// The recognition task factories on their own: who gets each task, its id for the step that closes it, its
// due date, and a link to a route that exists.
import { describe, expect, it } from 'vitest';
import { allRoutes } from '../../infra/topology.ts';
import type { Task } from './tasks.ts';
import {
  checkCompleteness,
  checkMentors,
  completeApplication,
  confirmAppeal,
  confirmMandate,
  decideAppeal,
  endedRecognitionTasks,
  finishMentorTraining,
  handleApplication,
  recognitionWithoutMentor,
  renewRecognition,
  restoredRecognitionTasks,
  resumeApplication,
  reviewOverdue,
  setAvailability,
  taskIds,
} from './recognition-tasks.ts';
import type { Appeal } from './appeals.ts';
import type { Application, Recognition } from './recognitions.ts';

const now = '2026-11-02T08:00:00.000Z';
const file = {
  id: 'A1',
  establishmentNumber: '2.123.456.791',
  programmeId: 'verkoper-duaal',
  partnershipId: 'handel',
  reviewRound: 2,
  submittedAt: now,
  clockStartedAt: now,
} as Application;
const names = { programme: 'Verkoper duaal', establishment: 'Mega World Heist' };
// Sent back on 2026-11-05: the enterprise has 14 days to complete it.
const incomplete = {
  ...file,
  enterpriseNumber: '0417.390.703',
  status: 'incomplete',
  completionRequest: { message: 'Het RSZ-attest ontbreekt.', at: '2026-11-05T09:00:00.000Z', by: 'karim' },
} as Application;
const recognition = {
  id: 'E/20261102/000001',
  enterpriseNumber: '0417.390.703',
  establishmentNumber: '2.123.456.791',
  partnershipId: 'handel',
  endDate: '2031-11-14',
  workplace: { name: 'Mega World Heist', postcode: '2220', municipality: 'Heist', sector: 'handel', programmeName: 'Verkoper duaal' },
} as Recognition;
const mentor = {
  id: 'M1',
  name: 'Mieke',
  birthDate: undefined,
  active: true,
  withdrawn: false,
  trainingDeadline: '2027-11-15',
  trainingCompletedOn: null,
  trainingExempted: false,
};
const appeal = { id: 'P1', enterpriseNumber: '0417.390.703', confirmBy: '2026-11-12' } as Appeal;
const mandate = { enterpriseNumber: '0417.390.703', providerId: 'campus-brugge', registrationId: 'R1', registeredAt: now };

const tasks: Task[] = [
  checkCompleteness(file, names, now),
  handleApplication(file, names, now),
  resumeApplication(file, 7, names, now),
  reviewOverdue(file, names, 'partnership', now),
  reviewOverdue(file, {}, 'department', now),
  completeApplication(incomplete, names, now),
  setAvailability(recognition, now),
  checkMentors(recognition, mentor, now),
  recognitionWithoutMentor(recognition, now),
  finishMentorTraining(recognition, mentor, now),
  renewRecognition(recognition, now),
  confirmAppeal(appeal, now),
  decideAppeal(appeal, now),
  confirmMandate(mandate, 'Campus Brugge'),
];

describe('recognition task factories', () => {
  it('give each task its organisation, roles, deterministic id and due date', () => {
    expect(tasks.map((t) => [t.type, t.organisationKey, t.id, t.dueDate])).toEqual([
      ['checkCompleteness', 'partnership:handel', 'completeness:A1:r2', '2026-11-16'],
      ['handleApplication', 'partnership:handel', 'handle:A1', '2026-11-16'],
      ['resumeApplication', 'partnership:handel', 'resume:A1:v7', '2026-11-16'],
      ['reviewOverdue', 'partnership:handel', 'overdue:A1', '2026-11-16'],
      ['reviewOverdue', 'department:dwse', 'overdue:A1', '2026-11-16'],
      ['completeApplication', 'enterprise:0417390703', 'completion:A1:r2', '2026-11-19'],
      ['setAvailability', 'enterprise:0417390703', 'availability:E/20261102/000001', null],
      ['checkMentors', 'partnership:handel', 'mentors:E/20261102/000001:M1', null],
      ['recognitionWithoutMentor', 'partnership:handel', 'no-mentor:E/20261102/000001', null],
      ['finishMentorTraining', 'enterprise:0417390703', 'training:E/20261102/000001:M1', '2027-11-15'],
      ['renewRecognition', 'enterprise:0417390703', 'renewal:E/20261102/000001', '2031-11-14'],
      ['confirmAppeal', 'department:dwse', 'appeal-confirm:P1', '2026-11-12'],
      ['decideAppeal', 'department:dwse', 'appeal-decide:P1', null],
      ['confirmMandate', 'enterprise:0417390703', 'mandate:R1', null],
    ]);
    expect(tasks.every((t) => t.status === 'open' && t.closedAt === null && t.title.length > 0 && t.roles.length > 0)).toBe(true);
    expect(taskIds.checkCompleteness(file)).toBe(tasks[0]!.id);
    expect(reviewOverdue(file, {}, 'department', now).roles).toEqual(['administrator']);
    expect(taskIds.completeApplication(incomplete)).toBe('completion:A1:r2');
  });

  it('name the programme and the establishment in a label, and show an id only where its name is unknown', () => {
    const labels = Object.fromEntries(tasks.map((t) => [`${t.type}/${t.organisationKey}`, t.subject.label]));
    expect(labels['checkCompleteness/partnership:handel']).toBe('Verkoper duaal, vestiging Mega World Heist (2.123.456.791)');
    expect(labels['completeApplication/enterprise:0417390703']).toBe('Verkoper duaal, vestiging Mega World Heist (2.123.456.791)');
    expect(labels['setAvailability/enterprise:0417390703']).toBe('Verkoper duaal, vestiging Mega World Heist (2.123.456.791), erkenning E/20261102/000001');
    expect(labels['checkMentors/partnership:handel']).toBe(
      'Mentor Mieke, Verkoper duaal, vestiging Mega World Heist (2.123.456.791), erkenning E/20261102/000001',
    );
    expect(labels['reviewOverdue/department:dwse']).toBe('verkoper-duaal, vestiging 2.123.456.791');
    for (const t of tasks.filter((t) => t.subject.kind === 'application' && t.organisationKey !== 'department:dwse'))
      expect(t.subject.label, t.type).not.toContain('verkoper-duaal');
  });

  it("are the enterprise's own for a completion, its free places, renewal and mentor training; none for another organisation", () => {
    const enterpriseTasks = tasks.filter((t) => ['completeApplication', 'setAvailability', 'renewRecognition', 'finishMentorTraining'].includes(t.type));
    expect(enterpriseTasks).toHaveLength(4);
    for (const t of enterpriseTasks) {
      expect(t.organisationKey, t.type).toBe('enterprise:0417390703');
      expect(t.roles, t.type).toEqual(['legalRepresentative', 'user']);
    }
    // The completion request's term: 14 days from the day it was asked.
    expect(completeApplication(incomplete, names, now).dueDate).toBe('2026-11-19');
    expect(completeApplication({ ...incomplete, completionRequest: null }, names, now).dueDate).toBeNull();
  });

  it('close, when a recognition ends, its free places, its renewal and every mentor training task of the enterprise', () => {
    const ended = { ...recognition, mentors: [{ id: 'M1' }, { id: 'M2' }] } as Recognition;
    expect(endedRecognitionTasks(ended)).toEqual([
      { organisationKey: 'enterprise:0417390703', id: 'availability:E/20261102/000001' },
      { organisationKey: 'enterprise:0417390703', id: 'renewal:E/20261102/000001' },
      { organisationKey: 'enterprise:0417390703', id: 'training:E/20261102/000001:M1' },
      { organisationKey: 'enterprise:0417390703', id: 'training:E/20261102/000001:M2' },
    ]);
    expect(endedRecognitionTasks(ended).map((r) => r.id)).toEqual(
      expect.arrayContaining([setAvailability(ended, now).id, renewRecognition(ended, now).id, finishMentorTraining(ended, mentor, now).id]),
    );
  });

  it('ask again, of a recognition an appeal restores, what is due now: free places, a renewal in the last 180 days, a training due in 30 days', () => {
    const restored = { ...recognition, placeAvailable: false, mentors: [mentor] } as Recognition;
    const types = (today: string, r: Recognition = restored) => restoredRecognitionTasks(r, today, now).map((t) => t.type);
    // Long before the renewal window and the training's month: only the free places; the daily job opens the rest later.
    expect(types('2027-01-10')).toEqual(['setAvailability']);
    expect(types('2027-10-20')).toEqual(['setAvailability', 'finishMentorTraining']);
    // The renewal window opens 180 days before the end date (2031-11-14).
    expect(types('2031-05-17')).toEqual(['setAvailability']);
    expect(types('2031-05-18')).toEqual(['setAvailability', 'renewRecognition']);
    expect(types('2031-05-18', { ...restored, placeAvailable: true })).toEqual(['renewRecognition']);
  });

  it('link to routes that exist and can be read (GET)', () => {
    const paths = allRoutes()
      .filter(({ route }) => route.method === 'GET')
      .map(({ route }) => new RegExp(`^${route.path.replace(/\{[^}]+\}/g, '[^/?]+')}(\\?.*)?$`));
    for (const task of tasks)
      expect(
        paths.some((p) => p.test(task.link)),
        `${task.type}: ${task.link}`,
      ).toBe(true);
  });
});
