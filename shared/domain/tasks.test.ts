import { describe, expect, it } from 'vitest';
import { openTaskOf } from '../../infra/local/testing/given.ts';
import { daysRemaining, digestOf, type Task } from './tasks.ts';

const task = (id: string, roles: string[], dueDate: string | null, createdAt: string): Task =>
  openTaskOf({ id, type: 'checkCompleteness', organisationKey: 'partnership:handel', roles, dueDate, createdAt, subject: { label: `Dossier ${id}` } });

describe('tasks', () => {
  it('count the days remaining in calendar days, negative when overdue', () => {
    expect(daysRemaining('2026-11-25', '2026-11-20')).toBe(5);
    expect(daysRemaining('2026-11-18', '2026-11-20')).toBe(-2);
    expect(daysRemaining(null, '2026-11-20')).toBeNull();
  });

  it("digest a user's roles only: new since the previous digest, and overdue whenever", () => {
    const tasks = [
      task('old-late', ['consultant'], '2026-11-18', '2026-11-01T00:00:00.000Z'),
      task('new', ['consultant', 'votingMember'], null, '2026-11-20T04:00:00.000Z'),
      task('other-role', ['administrator'], '2026-11-01', '2026-11-20T04:00:00.000Z'),
    ];
    const digest = digestOf(tasks, { roles: ['consultant'], lastDigestAt: '2026-11-19T05:00:00.000Z', today: '2026-11-20' });
    expect(digest).toEqual({
      newTasks: [{ title: 'Volledigheid erkenning controleren', label: 'Dossier new', dueDate: null, daysRemaining: null }],
      overdueTasks: [{ title: 'Volledigheid erkenning controleren', label: 'Dossier old-late', dueDate: '2026-11-18', daysRemaining: -2 }],
      newCount: 1,
      overdueCount: 1,
    });
    expect(digestOf(tasks, { roles: ['consultant'], lastDigestAt: null, today: '2026-11-20' })?.newCount).toBe(2);
    expect(digestOf(tasks, { roles: ['votingMember'], lastDigestAt: '2026-11-20T05:00:00.000Z', today: '2026-11-20' })).toBeUndefined();
  });
});
