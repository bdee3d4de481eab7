import {
  type ResetResultOrError,
  addMs,
  MINUTE_MS,
  type NotificationKind,
  type ResetOutcome,
} from '../ports';
import { isOurAction, type JobDocument, canTransition, jobStateFor, transition } from '../records';
import { aboutJob } from '../audit';
import { POLICY, trackingAgeMs, trackingIntervalMs, resetBehaviourOf } from '../desk';
import { isFinalState, type JobState, type ResetJob } from '../shared';
import { BOTH_AUDIENCES, finalNoticeAudiences, queueNotifications } from '../notifications';
import { claim, record, refreshOriginCard, type StepParts, type TrackerContext } from '../context';

/** What applying a result uses: a tracker step that counts and reads the deadlines. */
type ResultParts = StepParts & Pick<TrackerContext, 'metrics' | 'settings'>;

const TRACKING_STATES: ReadonlySet<JobState> = new Set(['submitted', 'pending', 'active']);

/** States in which Graph is asked how the reset is going. */
export const isTracking = (job: ResetJob): boolean => TRACKING_STATES.has(job.state);

const FAILURE_NOTICES: Partial<Record<JobState, NotificationKind>> = {
  failed: 'failed',
  canceled: 'canceled',
  notSupported: 'notSupported',
  timedOut: 'timedOut',
};

/** Applies one Graph read of the device to its job: a state change, a delivery, or just the next check time. */
export async function applyResult(
  ctx: ResultParts,
  doc: JobDocument,
  outcome: ResetResultOrError,
): Promise<JobDocument | undefined> {
  const job = doc.value;
  const now = ctx.clock.now();
  if (!isTracking(job)) return doc;

  if (!outcome.ok) {
    const error = outcome.error;
    if (error.isNotFound) {
      // The device left Intune: no reset can finish any more.
      const failure = {
        code: 'deviceNotFound',
        status: 404,
        ...(error.requestId ? { requestId: error.requestId } : {}),
      };
      return finish(ctx, doc, 'failed', { failure });
    }
    const waitMs =
      error.retryAfterSeconds !== undefined
        ? error.retryAfterSeconds * 1000
        : nextCheckInMs(ctx, job, now);
    ctx.logger.warn(
      { jobId: job.id, status: error.status, requestId: error.requestId },
      'Reading the reset result failed',
    );
    return recordCheck(ctx, doc, {}, waitMs);
  }

  const result = outcome.result;
  if (!isOurAction(result, job)) return recordCheck(ctx, doc, {}, nextCheckInMs(ctx, job, now));
  const seen: Partial<ResetJob> = {
    ...(result.startDateTime ? { actionStartDateTime: result.startDateTime } : {}),
    ...(result.errorCode !== undefined ? { errorCode: result.errorCode } : {}),
  };
  const target = jobStateFor(result.actionState);

  if (target === 'done' && resetBehaviourOf(job.platform).delivers === 'removalNotice') {
    return removed(ctx, doc, seen);
  }
  if (target === 'done') {
    const done = await claim(ctx, doc, (j) =>
      transition(j, 'done', now, {
        ...seen,
        nextCheckAt: undefined,
        delivery: { state: 'pending', attempts: 0 },
      }),
    );
    if (!done) return undefined;
    ctx.metrics.resetFinished('done');
    await ctx.audit.write('stateChange', 'done', {
      ...aboutJob(done.value),
      detail: `${job.state}→done`,
    });
    // Delivery is the tracker's next step, handed this read's passcode (never stored).
    return done;
  }
  if (FAILURE_NOTICES[target]) return finish(ctx, doc, target, seen);
  if (target === job.state || !canTransition(job.state, target)) {
    return recordCheck(ctx, doc, seen, nextCheckInMs(ctx, job, now));
  }
  const moved = await ctx.jobs.replace(
    doc,
    transition(job, target, now, {
      ...seen,
      checks: job.checks + 1,
      nextCheckAt: addMs(now, nextCheckInMs(ctx, job, now)).toISOString(),
    }),
  );
  if (moved) {
    await ctx.audit.write('stateChange', target, {
      ...aboutJob(job),
      detail: `${job.state}→${target}`,
    });
    await refreshOriginCard(ctx, moved);
  }
  return moved;
}

/**
 * A Remove passcode (iOS/iPadOS) is done: there is no secret to deliver, only a notice to
 * the requester's 1:1 chat that the device has no passcode now (queued, sent by the outbox).
 */
async function removed(
  ctx: Omit<ResultParts, 'settings'>,
  doc: JobDocument,
  seen: Partial<ResetJob>,
): Promise<JobDocument | undefined> {
  const now = ctx.clock.now();
  const done = await claim(ctx, doc, (j) =>
    transition(j, 'done', now, {
      ...seen,
      nextCheckAt: undefined,
      ...queueNotifications(j, 'passcodeRemoved', ['requester']),
    }),
  );
  if (!done) return undefined;
  ctx.metrics.resetFinished('done');
  await ctx.audit.write('stateChange', 'done', {
    ...aboutJob(done.value),
    detail: `${doc.value.state}→done passcodeRemoved`,
  });
  await refreshOriginCard(ctx, done);
  return done;
}

/** Reminders while a reset hangs, then the final timeout. Applies to every unfinished job. */
export async function checkDeadlines(
  ctx: ResultParts,
  doc: JobDocument,
): Promise<JobDocument | undefined> {
  const job = doc.value;
  if (!TRACKING_STATES.has(job.state) && job.state !== 'requested' && job.state !== 'submitting')
    return doc;
  const now = ctx.clock.now();
  // An approved reset's clock starts at the approval: the wait for a second person is not Intune's.
  const decision = job.approval?.decision;
  const since = decision?.outcome === 'approved' ? decision.at : job.createdAt;
  const ageMs = now.getTime() - Date.parse(since);
  if (ageMs >= ctx.settings.RESET_TIMEOUT_MINUTES * MINUTE_MS) {
    return finish(ctx, doc, 'timedOut', { nextCheckAt: undefined });
  }
  const reminder = job.remindersSent + 1;
  if (reminder > POLICY.maxReminders) return doc;
  if (ageMs < reminder * ctx.settings.REMINDER_AFTER_MINUTES * MINUTE_MS) return doc;
  return claim(ctx, doc, (j) => ({
    ...j,
    remindersSent: reminder,
    ...queueNotifications(j, 'stillPending', BOTH_AUDIENCES, `stillPending#${reminder}`),
  }));
}

/** A final state other than done: stored with its notifications queued, before any is sent. */
async function finish(
  ctx: Omit<ResultParts, 'settings'>,
  doc: JobDocument,
  target: JobState,
  changes: Partial<ResetJob>,
): Promise<JobDocument | undefined> {
  const now = ctx.clock.now();
  const kind = FAILURE_NOTICES[target];
  const finished = await claim(ctx, doc, (j) =>
    transition(j, target, now, {
      ...changes,
      nextCheckAt: undefined,
      ...(kind ? queueNotifications(j, kind, finalNoticeAudiences(j)) : {}),
    }),
  );
  if (!finished) return undefined;
  // finish() only ever gets a final state, and the final states are the outcomes.
  if (isFinalState(target)) ctx.metrics.resetFinished(target as ResetOutcome);
  await ctx.audit.write('stateChange', target, {
    ...aboutJob(finished.value),
    detail: [
      `${doc.value.state}→${target}`,
      finished.value.errorCode !== undefined ? `errorCode=${finished.value.errorCode}` : '',
      finished.value.failure ? `failure=${finished.value.failure.code}` : '',
    ]
      .filter(Boolean)
      .join(' '),
  });
  await refreshOriginCard(ctx, finished);
  return finished;
}

function recordCheck(
  ctx: Pick<TrackerContext, 'clock' | 'jobs'>,
  doc: JobDocument,
  seen: Partial<ResetJob>,
  waitMs: number,
): Promise<JobDocument | undefined> {
  const now = ctx.clock.now();
  return record(ctx, doc, (j) => ({
    ...j,
    ...seen,
    checks: j.checks + 1,
    nextCheckAt: addMs(now, waitMs).toISOString(),
  }));
}

function nextCheckInMs(ctx: Pick<TrackerContext, 'settings'>, job: ResetJob, now: Date): number {
  return trackingIntervalMs(trackingAgeMs(job, now), ctx.settings.TRACKER_INTERVAL_SECONDS);
}
