import assert from 'node:assert/strict';
import { isOurAction } from '../../../src/domain/records/actionOwnership';
import type { ResetJob } from '../../../src/domain/shared/job';
import {
  IllegalTransitionError,
  canTransition,
  jobStateFor,
  transition,
} from '../../../src/domain/records/jobTransitions';

const job = (changes: Partial<ResetJob> = {}): ResetJob => ({
  id: 'job-1',
  tenantId: 't',
  device: { id: 'd', name: 'Lumia' },
  requester: { aadObjectId: 'u', locale: 'en-US' },
  origin: { key: 'k', kind: 'personal' },
  state: 'requested',
  createdAt: '2026-01-01T10:00:00.000Z',
  updatedAt: '2026-01-01T10:00:00.000Z',
  checks: 0,
  remindersSent: 0,
  notified: [],
  ...changes,
});

describe('domain: job transitions', () => {
  it('allows the documented path and stamps final states', () => {
    const now = new Date('2026-01-01T10:05:00.000Z');
    let current = job();
    for (const next of ['submitting', 'submitted', 'pending', 'active', 'done'] as const) {
      current = transition(current, next, now);
      assert.equal(current.state, next);
    }
    assert.equal(current.finishedAt, now.toISOString());
    assert.equal(current.updatedAt, now.toISOString());
  });

  it('refuses moves that would repeat a side effect or revive a finished job', () => {
    assert.throws(
      () => transition(job({ state: 'submitted' }), 'submitting', new Date()),
      IllegalTransitionError,
    );
    assert.throws(
      () => transition(job({ state: 'requested' }), 'submitted', new Date()),
      IllegalTransitionError,
    );
    for (const final of ['done', 'failed', 'canceled', 'notSupported', 'timedOut'] as const) {
      assert.equal(canTransition(final, 'pending'), false);
    }
    assert.equal(
      canTransition('submitting', 'submitting'),
      true,
      'a retry after a transient failure',
    );
  });

  it("maps Graph's actionState ('none' reads as pending)", () => {
    assert.equal(jobStateFor('none'), 'pending');
    assert.equal(jobStateFor('active'), 'active');
    assert.equal(jobStateFor('notSupported'), 'notSupported');
  });

  it('tells our action from an older one by Graph time, not by our clock', () => {
    const at = (startDateTime?: string) => ({
      actionState: 'pending' as const,
      ...(startDateTime ? { startDateTime } : {}),
    });
    const withBaseline = job({ previousActionStartDateTime: '2026-01-01T09:00:00Z' });
    assert.equal(isOurAction(at('2026-01-01T09:00:00Z'), withBaseline), false);
    // Graph's clock behind ours: still ours, because it is newer than the baseline.
    assert.equal(isOurAction(at('2026-01-01T09:59:00Z'), withBaseline), true);
    assert.equal(
      isOurAction(at('2026-01-01T09:59:00Z'), job({ previousActionStartDateTime: null })),
      true,
    );
    assert.equal(isOurAction(undefined, job({ previousActionStartDateTime: null })), false);
    const seen = job({ actionStartDateTime: '2026-01-01T10:01:00Z' });
    assert.equal(isOurAction(at('2026-01-01T10:01:00Z'), seen), true);
    assert.equal(isOurAction(at('2026-01-01T09:30:00Z'), seen), false);
    // No baseline recorded: only an entry started after the job was created counts.
    assert.equal(isOurAction(at('2026-01-01T09:59:00Z'), job()), false);
    assert.equal(isOurAction(at('2026-01-01T10:00:01Z'), job()), true);
  });
});
