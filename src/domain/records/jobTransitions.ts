import type { ActionState, JobState, ResetJob } from '../shared';

/**
 * The only legal moves of a reset job. Every state change goes through
 * `transition`, so an impossible move (done → pending, a second submit) is a bug
 * that throws instead of a silent corruption.
 */
const ALLOWED: Record<JobState, readonly JobState[]> = {
  // Approved → requested (then submitted as any reset); denied or expired ends it unsent.
  awaitingApproval: ['requested', 'denied', 'approvalExpired'],
  requested: ['submitting', 'failed', 'timedOut'],
  // submitting → submitting: a retry after a transient Graph failure or a restart.
  submitting: ['submitting', 'submitted', 'failed', 'timedOut'],
  submitted: ['pending', 'active', 'done', 'failed', 'canceled', 'notSupported', 'timedOut'],
  pending: ['active', 'done', 'failed', 'canceled', 'notSupported', 'timedOut'],
  active: ['pending', 'done', 'failed', 'canceled', 'notSupported', 'timedOut'],
  done: [],
  failed: [],
  canceled: [],
  notSupported: [],
  timedOut: [],
  denied: [],
  approvalExpired: [],
};

export class IllegalTransitionError extends Error {
  constructor(
    readonly from: JobState,
    readonly to: JobState,
  ) {
    super(`A reset job cannot move from ${from} to ${to}`);
    this.name = 'IllegalTransitionError';
  }
}

export const canTransition = (from: JobState, to: JobState): boolean => ALLOWED[from].includes(to);

/** The job in state `to`, stamped at `now`; final states also get finishedAt. */
export function transition(
  job: ResetJob,
  to: JobState,
  now: Date,
  changes: Partial<ResetJob> = {},
): ResetJob {
  if (!canTransition(job.state, to)) throw new IllegalTransitionError(job.state, to);
  const at = now.toISOString();
  const final = ALLOWED[to].length === 0;
  return { ...job, ...changes, state: to, updatedAt: at, ...(final ? { finishedAt: at } : {}) };
}

/** The job state Graph's actionState maps to while tracking ('none' reads as not started yet). */
export function jobStateFor(actionState: ActionState): JobState {
  switch (actionState) {
    case 'none':
    case 'pending':
      return 'pending';
    default:
      return actionState;
  }
}
