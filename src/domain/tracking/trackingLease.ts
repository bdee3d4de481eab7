import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { errorName } from '../audit';
import { addMs } from '../ports';
import { POLICY } from '../desk';
import type { ResetJob } from '../shared';
import type { JobDocument } from '../records';
import { leasedByOther, type TrackerContext } from '../context';

/**
 * Several instances may share one store; each job is tracked by one of them at a time.
 * An instance takes a job's tracking lease (`trackedBy`) with an ETag-conditional write
 * before it reads Graph for it, renews it once half of it is gone, and gives it back on
 * a graceful stop. Only the tracking instance takes the short side-effect `lease`
 * (trackerContext.claim), so a job is never worked on by two instances at once, and
 * Graph is read once per job, not once per instance.
 *
 * An instance that dies keeps its leases until they expire; then any other takes over.
 * Exactly-once side effects never rest on this lease alone: every step is still a
 * conditional write on the job (claim/settle).
 */

/**
 * How long a tracking lease lasts: a few tracker cycles, so a live instance renews it in
 * time, and at least POLICY.minTrackingLeaseMs. This is how long a job waits after its
 * instance died without a graceful stop (20 s with the default 5 s interval, 5 s at least).
 */
export function trackingLeaseMs(trackerIntervalSeconds: number): number {
  return Math.max(
    POLICY.minTrackingLeaseMs,
    POLICY.trackingLeaseCycles * trackerIntervalSeconds * 1000,
  );
}

/**
 * A name for this instance in leases, unique among live processes: host, process id and
 * a random suffix (two apps in one process, or a recycled pid, never share one). A
 * restarted process is a new instance and waits for the old one's leases to expire.
 */
export function defaultInstanceId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

/**
 * Takes or renews this instance's tracking lease; the job as stored afterwards, or
 * undefined when another instance tracks it (or changed it first) — then it is left
 * alone this cycle.
 */
export async function holdTracking(
  ctx: Pick<TrackerContext, 'clock' | 'jobs' | 'owner' | 'settings'>,
  doc: JobDocument,
): Promise<JobDocument | undefined> {
  const now = ctx.clock.now();
  if (leasedByOther(doc.value, ctx.owner, now)) return undefined;
  const leaseMs = trackingLeaseMs(ctx.settings.TRACKER_INTERVAL_SECONDS);
  const held = doc.value.trackedBy;
  if (held?.owner === ctx.owner && Date.parse(held.until) - now.getTime() > leaseMs / 2) {
    return doc;
  }
  // Bookkeeping only: updatedAt stays the time of the job's last real change.
  return ctx.jobs.replace(doc, {
    ...doc.value,
    trackedBy: { owner: ctx.owner, until: addMs(now, leaseMs).toISOString() },
  });
}

/**
 * Gives back every tracking lease this instance holds, so another instance takes the
 * jobs over at once instead of after expiry. Best effort: a lease not given back
 * (store unreachable, a concurrent change) still expires on its own.
 */
export async function releaseTracking(
  ctx: Pick<TrackerContext, 'jobs' | 'logger' | 'owner'>,
): Promise<number> {
  let released = 0;
  const mine = (job: ResetJob): boolean => job.trackedBy?.owner === ctx.owner;
  for (const doc of (await ctx.jobs.listNeedingWork()).filter((d) => mine(d.value))) {
    try {
      const done = await ctx.jobs.update(doc.key, (job) => {
        if (!mine(job)) return undefined;
        const { trackedBy: _trackedBy, ...rest } = job;
        return rest;
      });
      if (done) released++;
    } catch (error) {
      ctx.logger.warn({ err: errorName(error), jobId: doc.key }, 'Could not release a job lease');
    }
  }
  return released;
}
