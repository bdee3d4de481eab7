import { type Intune, addMs, MINUTE_MS } from '../ports';
import type { ResetJob } from '../shared';
import type { JobDocument } from '../records';
import { queueNotifications } from './notificationQueue';
import { record, type TrackerContext } from '../context';

/** How often a job waiting for its requester's sign-in asks the token store again. */
export const SIGN_IN_RETRY_MS = MINUTE_MS;

/** The Intune a tracker step uses for `job`: the app's, or (delegated) its requester's token's. */
export function requesterIntune(
  ctx: Pick<TrackerContext, 'access'>,
  job: ResetJob,
): Promise<Intune | undefined> {
  return ctx.access.forRequester(job.tenantId, job.requester.aadObjectId);
}

/**
 * Delegated mode, and the token store has no token for the requester (they signed out,
 * or their sign-in lapsed): nothing may reach Graph for this job, with the app's
 * identity or anyone else's. The job keeps its state and looks again after
 * SIGN_IN_RETRY_MS (`postpone` moves the step's own due time); the requester is told
 * once per job, privately, to sign in again. Reminders and RESET_TIMEOUT_MINUTES still
 * apply, so a job nobody signs in for ends as timed out rather than waiting forever.
 */
export async function awaitSignIn(
  ctx: Pick<TrackerContext, 'clock' | 'jobs' | 'logger'>,
  doc: JobDocument,
  postpone: (job: ResetJob, until: string) => ResetJob,
): Promise<JobDocument | undefined> {
  const until = addMs(ctx.clock.now(), SIGN_IN_RETRY_MS).toISOString();
  ctx.logger.info({ jobId: doc.key }, 'Waiting for the requester to sign in again');
  return record(ctx, doc, (j) => ({
    ...postpone(j, until),
    ...queueNotifications(j, 'signInNeeded', ['requester']),
  }));
}
