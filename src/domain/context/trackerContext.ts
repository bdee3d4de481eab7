import { errorName } from '../audit';
import { addMs, retryAfterOf, type Metrics } from '../ports';
import type { CoreContext } from './coreContext';
import { POLICY } from '../desk';
import type { ResetJob } from '../shared';
import type { JobDocument } from '../records';
import type { ReadBudget } from './readBudget';

/** One instance's pause of all Graph traffic after a throttled answer (Retry-After). */
export class GraphGate {
  private pausedUntil = 0;

  isPaused(now: Date): boolean {
    return now.getTime() < this.pausedUntil;
  }

  pauseFor(seconds: number, now: Date): void {
    this.pausedUntil = Math.max(this.pausedUntil, now.getTime() + seconds * 1000);
  }

  /**
   * Graph said wait (Retry-After, or a throttle without one): pauses every Graph call of
   * this instance that long, and answers how long the failed step waits before trying
   * again: Graph's wait, or `fallbackMs` when the error asked for none.
   */
  holdOff(error: unknown, now: Date, fallbackMs: number): number {
    const seconds = retryAfterOf(error);
    if (seconds === undefined) return fallbackMs;
    this.pauseFor(seconds, now);
    return seconds * 1000;
  }
}

/**
 * The tracker side's parts, composed in createDesk; each step takes only the parts it uses
 * (JobWriter, StepParts, or a Pick named beside it). `owner` names this instance in job leases.
 */
export interface TrackerContext extends CoreContext {
  owner: string;
  graph: GraphGate;
  /** This instance's rolling budget of reset-result reads (POLICY.trackerReadsPerWindow). */
  readBudget: ReadBudget;
  metrics: Metrics;
  /** Whether someone may approve (APPROVER_GROUP_IDS): who gets an approval card privately. */
  isApprover: (tenantId: string, aadObjectId: string) => Promise<boolean>;
}

/** What a tracker step needs to write its job under this instance's lease (claim, settle). */
export type JobWriter = Pick<TrackerContext, 'clock' | 'jobs' | 'owner'>;

/** What most tracker steps use: their job under the lease, the audit, the origin card. */
export type StepParts = JobWriter & Pick<TrackerContext, 'audit' | 'logger' | 'messenger'>;

type Lease = { owner: string; until: string } | undefined;
const heldByOther = (lease: Lease, owner: string, now: Date): boolean =>
  !!lease && lease.owner !== owner && Date.parse(lease.until) > now.getTime();

/**
 * Another live instance is working on the job: it holds the side-effect lease or tracks
 * the job (an expired lease, or our own, does not count).
 */
export function leasedByOther(job: ResetJob, owner: string, now: Date): boolean {
  return heldByOther(job.lease, owner, now) || heldByOther(job.trackedBy, owner, now);
}

export const isDue = (at: string | undefined, now: Date): boolean =>
  !at || Date.parse(at) <= now.getTime();

/**
 * Takes the job for a side effect: one ETag-conditional write of `change` plus our
 * lease. undefined when another instance holds it or changed it first, in which
 * case this instance leaves the job alone for this cycle.
 */
export async function claim(
  ctx: JobWriter,
  doc: JobDocument,
  change: (job: ResetJob) => ResetJob,
): Promise<JobDocument | undefined> {
  const now = ctx.clock.now();
  if (leasedByOther(doc.value, ctx.owner, now)) return undefined;
  const lease = { owner: ctx.owner, until: addMs(now, POLICY.leaseMs).toISOString() };
  return ctx.jobs.replace(doc, { ...change(doc.value), lease, updatedAt: now.toISOString() });
}

/**
 * Records what a side effect did and gives the lease back. A desk write (e.g. a
 * passcode view) may have landed meanwhile, so on a conflict `change` is applied
 * again to the latest version: the record of a side effect is never dropped.
 */
export async function settle(
  ctx: JobWriter,
  doc: JobDocument,
  change: (job: ResetJob) => ResetJob,
): Promise<JobDocument | undefined> {
  const updatedAt = ctx.clock.now().toISOString();
  const finish = (job: ResetJob): ResetJob => {
    const { lease, ...rest } = { ...change(job), updatedAt };
    return lease && lease.owner !== ctx.owner ? { ...rest, lease } : rest;
  };
  return (await ctx.jobs.replace(doc, finish(doc.value))) ?? ctx.jobs.update(doc.key, finish);
}

/** A write with no side effect behind it (bookkeeping): losing it to a concurrent change is fine. */
export function record(
  ctx: Pick<TrackerContext, 'clock' | 'jobs'>,
  doc: JobDocument,
  change: (job: ResetJob) => ResetJob,
): Promise<JobDocument | undefined> {
  return ctx.jobs.replace(doc, { ...change(doc.value), updatedAt: ctx.clock.now().toISOString() });
}

/** Refreshes the confirm card; cosmetic, so a failure is only logged. */
export async function refreshOriginCard(
  ctx: Pick<TrackerContext, 'logger' | 'messenger'>,
  doc: JobDocument | undefined,
): Promise<void> {
  if (!doc) return;
  try {
    await ctx.messenger.updateOriginCard(doc.value);
  } catch (error) {
    ctx.logger.warn({ err: errorName(error), jobId: doc.key }, 'Could not refresh the origin card');
  }
}
