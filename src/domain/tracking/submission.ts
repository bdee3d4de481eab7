import { IntuneError, type Intune, addMs, MINUTE_MS, isTransient, requestIdOf } from '../ports';
import { isOurAction, type JobDocument, transition } from '../records';
import { aboutJob, errorName } from '../audit';
import { retryBackoffMs, trackingIntervalMs } from '../desk';
import {
  finalNoticeAudiences,
  queueNotifications,
  awaitSignIn,
  requesterIntune,
} from '../notifications';
import type { ResetResult } from '../shared';
import {
  claim,
  isDue,
  record,
  refreshOriginCard,
  settle,
  type StepParts,
  type TrackerContext,
} from '../context';

/** What submission uses: a tracker step that posts to Graph (the acting Intune) and counts. */
type SubmissionParts = StepParts &
  Pick<TrackerContext, 'access' | 'graph' | 'metrics' | 'settings'>;

/**
 * Sends a job to Graph exactly once.
 *
 * `requested`: read the device's current resetPasscode entry (the baseline), store
 * `submitting` with it, then POST resetPasscode and store `submitted`.
 *
 * `submitting` found later (a restart after SIGKILL, or a transient failure) means
 * "a POST may or may not have reached Graph". Graph records every accepted reset as
 * the device's resetPasscode entry, so read it first: an entry newer than the
 * baseline means the POST happened → treat the job as submitted and never POST
 * again. No such entry means Graph never accepted the earlier POST, so POSTing now
 * is the first submit, not a second one. (Residual risk: Graph accepted the POST
 * but does not show the entry yet. Retries therefore wait at least 30 s.)
 */
export async function advanceSubmission(
  ctx: SubmissionParts,
  doc: JobDocument,
): Promise<JobDocument | undefined> {
  const job = doc.value;
  const now = ctx.clock.now();
  if (job.state !== 'requested' && job.state !== 'submitting') return doc;
  if (!isDue(job.nextCheckAt, now) || ctx.graph.isPaused(now)) return doc;

  let intune: Intune | undefined;
  try {
    intune = await requesterIntune(ctx, job);
  } catch (error) {
    return postpone(ctx, doc, error);
  }
  if (!intune) return awaitSignIn(ctx, doc, (j, until) => ({ ...j, nextCheckAt: until }));

  let current: ResetResult | undefined;
  try {
    current = await intune.getResetResult(job.device.id);
  } catch (error) {
    if (error instanceof IntuneError && error.isNotFound) {
      // The device left Intune before anything was sent: nothing to submit, ever.
      const claimed = await claim(ctx, doc, (j) => j);
      return claimed ? rejected(ctx, claimed, error) : undefined;
    }
    return postpone(ctx, doc, error);
  }

  if (job.state === 'submitting' && isOurAction(current, job)) {
    const recovered = await record(ctx, doc, (j) =>
      transition(j, 'submitted', now, {
        submittedAt: current?.startDateTime ?? now.toISOString(),
        actionStartDateTime: current?.startDateTime,
        nextCheckAt: now.toISOString(),
      }),
    );
    await ctx.audit.write('submit', 'alreadySubmitted', aboutJob(job));
    return recovered;
  }

  const claimed = await claim(ctx, doc, (j) =>
    transition(j, 'submitting', now, {
      submitAttempts: (j.submitAttempts ?? 0) + 1,
      // The baseline is read once, before the first POST; later reads must not move it.
      previousActionStartDateTime:
        j.state === 'requested' ? (current?.startDateTime ?? null) : j.previousActionStartDateTime,
    }),
  );
  if (!claimed) return undefined;
  return submit(ctx, claimed, intune);
}

async function submit(
  ctx: Omit<SubmissionParts, 'access'>,
  doc: JobDocument,
  intune: Intune,
): Promise<JobDocument | undefined> {
  const job = doc.value;
  try {
    const info = await intune.resetPasscode(job.device.id);
    const now = ctx.clock.now();
    const submitted = await settle(ctx, doc, (j) =>
      transition(j, 'submitted', now, {
        submittedAt: now.toISOString(),
        ...(info.requestId ? { graphRequestId: info.requestId } : {}),
        nextCheckAt: addMs(
          now,
          trackingIntervalMs(0, ctx.settings.TRACKER_INTERVAL_SECONDS),
        ).toISOString(),
      }),
    );
    await ctx.audit.write('submit', 'accepted', {
      ...aboutJob(job),
      ...(info.requestId ? { graphRequestId: info.requestId } : {}),
    });
    await refreshOriginCard(ctx, submitted);
    return submitted;
  } catch (error) {
    if (isTransient(error)) return retryLater(ctx, doc, error);
    return rejected(ctx, doc, error);
  }
}

/** Graph refused the reset (4xx): it did nothing, so the job fails now, with Graph's reason. */
async function rejected(
  ctx: StepParts & Pick<TrackerContext, 'metrics'>,
  doc: JobDocument,
  error: unknown,
): Promise<JobDocument | undefined> {
  const now = ctx.clock.now();
  const requestId = requestIdOf(error);
  const failure = {
    code: error instanceof IntuneError ? error.code : errorName(error),
    ...(error instanceof IntuneError ? { status: error.status } : {}),
    ...(requestId ? { requestId } : {}),
  };
  const failed = await settle(ctx, doc, (j) =>
    transition(j, 'failed', now, {
      failure,
      ...(requestId ? { graphRequestId: requestId } : {}),
      ...queueNotifications(j, 'failed', finalNoticeAudiences(j)),
    }),
  );
  if (failed) ctx.metrics.resetFinished('failed');
  await ctx.audit.write('submit', 'rejected', {
    ...aboutJob(doc.value),
    ...(requestId ? { graphRequestId: requestId } : {}),
    detail: `${failure.status ?? ''} ${failure.code}`.trim(),
  });
  await ctx.audit.write('stateChange', 'failed', {
    ...aboutJob(doc.value),
    detail: `${doc.value.state}→failed`,
  });
  await refreshOriginCard(ctx, failed);
  return failed;
}

/** A POST that may or may not have landed: stay `submitting`; the next try reads Graph first. */
async function retryLater(
  ctx: Omit<StepParts, 'messenger'> & Pick<TrackerContext, 'graph'>,
  doc: JobDocument,
  error: unknown,
): Promise<JobDocument | undefined> {
  const now = ctx.clock.now();
  const waitMs = Math.max(
    ctx.graph.holdOff(error, now, 0),
    retryBackoffMs(doc.value.submitAttempts ?? 1),
  );
  ctx.logger.warn(
    { err: errorName(error), jobId: doc.key, requestId: requestIdOf(error) },
    'Submit failed; will retry',
  );
  await ctx.audit.write('submit', 'retrying', {
    ...aboutJob(doc.value),
    ...(requestIdOf(error) ? { graphRequestId: requestIdOf(error) } : {}),
    detail: error instanceof IntuneError ? `${error.status} ${error.code}` : errorName(error),
  });
  return settle(ctx, doc, (j) => ({ ...j, nextCheckAt: addMs(now, waitMs).toISOString() }));
}

/** Graph could not be read before submitting: nothing happened yet, so just try later. */
async function postpone(
  ctx: Pick<TrackerContext, 'clock' | 'graph' | 'jobs' | 'logger'>,
  doc: JobDocument,
  error: unknown,
): Promise<JobDocument | undefined> {
  const now = ctx.clock.now();
  const waitMs = ctx.graph.holdOff(error, now, MINUTE_MS / 2);
  ctx.logger.warn(
    { err: errorName(error), jobId: doc.key },
    'Could not read Graph before submitting',
  );
  return ctx.jobs.replace(doc, { ...doc.value, nextCheckAt: addMs(now, waitMs).toISOString() });
}
