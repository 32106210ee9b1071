import { describe, expect, it } from 'vitest';
import { changeTask, changeTaskId } from './kbo-tasks.ts';
import { taskTypes } from './tasks.ts';

describe('the task of a KBO change', () => {
  const change = {
    id: 'K000392-2123456791-stopped-horeca',
    kind: 'stopped' as const,
    partnershipId: 'horeca',
    entity: { kind: 'establishment' as const, number: '2.123.456.791' },
    newEnterpriseNumber: null,
    lastJuridicalSituation: '050',
  };

  it('asks the partnership to decide, with the decisions the change offers and a link to it', () => {
    expect(changeTask(change, '2026-06-15T05:00:00.000Z')).toEqual({
      id: changeTaskId(change.id),
      type: 'processStop',
      title: taskTypes.processStop,
      organisationKey: 'partnership:horeca',
      roles: ['consultant', 'administrator'],
      subject: { kind: 'kboChange', id: change.id, label: 'Stopzetting vestiging 2.123.456.791 (faillissement)' },
      dueDate: null,
      actions: ['decide:revoke', 'decide:keep'],
      link: '/v1/kbo-changes/K000392-2123456791-stopped-horeca',
      status: 'open',
      createdAt: '2026-06-15T05:00:00.000Z',
      closedAt: null,
    });
  });

  it('has an id that derives from the change, so a redelivered message opens it once', () => {
    expect(changeTaskId(change.id)).toBe('kbo-change:K000392-2123456791-stopped-horeca');
  });
});
