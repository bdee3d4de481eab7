import type { ResetResultOrError } from '../intune/intune';
import type { DocumentStore } from '../store/ports';
import { errorName } from './auditWriter';
import { MINUTE_MS } from './clock';
import { POLICY } from './deskSettings';
import { housekeepJobs, purgeExpired } from './housekeeping';
import type { JobDocument } from './jobRepository';
import { mapWithConcurrency } from './mapWithConcurrency';
import { sendNotificationsIfDue } from './notificationOutbox';
import { deliverIfDue, hideIfDue } from './passcodeDelivery';
import { jobsToReadNow } from './readPriority';
import { readResetResults, type ResultReads } from './resultReads';
import { applyResult, checkDeadlines, isTracking } from './resultTracking';
import { awaitSignIn } from './signInWait';
import { advanceApproval } from './approvalTracking';
import { advanceSubmission } from './submission';
import { isDue, leasedByOther, type TrackerContext } from './trackerContext';
import { holdTracking, releaseTracking } from './trackingLease';

const HOUSEKEEPING_EVERY_MS = 60 * MINUTE_MS;

/**
 * The background loop that moves reset jobs along: submit, read Graph (batched),
 * deliver, hide, notify. Everything it knows is in the store, so a new process (or
 * another instance) picks up where the last one stopped.
 *
 * One cycle runs at a time; `runOnce()` runs one now (after any cycle in flight)
 * and is what tests drive with a fake clock. `start()` repeats cycles every
 * TRACKER_INTERVAL_SECONDS; `wake()` asks a started tracker for a cycle now (used
 * after a confirm, so submission does not wait for the next tick); `stop()`
 * cancels the timer, waits for the cycle in flight and releases this instance's
 * tracking leases (several instances may share the store: trackingLease.ts).
 *
 * A cycle lists the jobs needing work from their index (jobRepository.ts), not every
 * job stored. Its first cycle, then one an hour, also runs the housekeeping: the index
 * is reconciled with the jobs (crash windows), old finished jobs and expired picks and
 * pending actions are deleted.
 */
export class Tracker {
  private timer: NodeJS.Timeout | undefined;
  private started = false;
  private inFlight: Promise<void> | undefined;
  /** Wakes while a cycle runs: however many, they ask for ONE cycle right after it. */
  private wakeRequested = false;
  private lastHousekeepingAt: number | undefined;

  constructor(
    private readonly ctx: TrackerContext,
    private readonly documents: DocumentStore,
  ) {}

  start(): void {
    if (this.started) return;
    this.started = true;
    this.lastHousekeepingAt = undefined; // the first cycle reconciles the index (crash windows)
    this.schedule(0);
  }

  /**
   * Stops: no new cycle, waits for the one in flight, then gives back the tracking
   * leases this instance holds so another instance takes its jobs over at once.
   */
  async stop(): Promise<void> {
    this.started = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.inFlight?.catch(() => undefined);
    try {
      const released = await releaseTracking(this.ctx);
      if (released > 0) this.ctx.logger.info({ released }, 'Released job leases');
    } catch (error) {
      this.ctx.logger.warn({ err: errorName(error) }, 'Could not release job leases');
    }
  }

  /** Idle: a cycle now. During a cycle: one more right after it, for any number of wakes. */
  wake(): void {
    if (!this.started) return;
    if (this.timer) this.schedule(0);
    else this.wakeRequested = true;
  }

  runOnce(): Promise<void> {
    const run = (this.inFlight ?? Promise.resolve())
      .catch(() => undefined)
      .then(() => this.cycle());
    const tracked: Promise<void> = run.finally(() => {
      if (this.inFlight === tracked) this.inFlight = undefined;
    });
    this.inFlight = tracked;
    return run;
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), delayMs);
  }

  private async tick(): Promise<void> {
    this.timer = undefined;
    try {
      await this.runOnce();
    } catch (error) {
      this.ctx.logger.error({ err: errorName(error) }, 'Tracker cycle failed');
    }
    if (!this.started) return;
    const again = this.wakeRequested;
    this.wakeRequested = false;
    this.schedule(again ? 0 : this.ctx.settings.TRACKER_INTERVAL_SECONDS * 1000);
  }

  private async cycle(): Promise<void> {
    const now = this.ctx.clock.now();
    // Before listing: a job that lost its index entry in a crash is tracked this cycle.
    await this.housekeepIfDue(now);
    const jobs = await this.holdJobs(now);
    const { results, awaitingSignIn } = await this.readResults(jobs, now);
    await mapWithConcurrency(jobs, POLICY.parallelJobs, async (doc) => {
      try {
        await this.advance(doc, results.get(doc.value.device.id), awaitingSignIn.has(doc.key));
      } catch (error) {
        this.ctx.logger.error(
          { err: errorName(error), jobId: doc.key },
          'Could not advance a reset job',
        );
      }
    });
  }

  /** The jobs this instance tracks this cycle: tracking leases taken or renewed (trackingLease.ts). */
  private async holdJobs(now: Date): Promise<JobDocument[]> {
    const candidates = (await this.ctx.jobs.listNeedingWork()).filter(
      (doc) => !leasedByOther(doc.value, this.ctx.owner, now),
    );
    const held: JobDocument[] = [];
    await mapWithConcurrency(candidates, POLICY.parallelJobs, async (doc) => {
      try {
        const mine = await holdTracking(this.ctx, doc);
        if (mine) held.push(mine);
      } catch (error) {
        this.ctx.logger.warn({ err: errorName(error), jobId: doc.key }, 'Could not lease a job');
      }
    });
    return held;
  }

  /** Every step looks at the job as the previous step left it; undefined means "not ours now". */
  private async advance(
    doc: JobDocument,
    outcome: ResetResultOrError | undefined,
    awaitingSignIn = false,
  ): Promise<void> {
    let current: JobDocument | undefined = await advanceApproval(this.ctx, doc);
    if (current) current = await advanceSubmission(this.ctx, current);
    if (current && outcome) current = await applyResult(this.ctx, current, outcome);
    else if (current && awaitingSignIn) {
      current = await awaitSignIn(this.ctx, current, (j, until) => ({ ...j, nextCheckAt: until }));
    }
    if (current) current = await checkDeadlines(this.ctx, current);
    if (current) current = await deliverIfDue(this.ctx, current);
    if (current) current = await hideIfDue(this.ctx, current);
    if (current) await sendNotificationsIfDue(this.ctx, current);
  }

  /**
   * Batched reads for the jobs due a check (resultReads.ts: whose token, how batched),
   * as many as the read budget allows now (POLICY.trackerReadsPerWindow), young resets
   * first and then the most overdue (readPriority.ts).
   */
  private async readResults(jobs: JobDocument[], now: Date): Promise<ResultReads> {
    const due = jobs.filter((doc) => isTracking(doc.value) && isDue(doc.value.nextCheckAt, now));
    const readNow = jobsToReadNow(due, this.ctx.readBudget.available(now), now);
    return readResetResults(this.ctx, readNow, now);
  }

  private async housekeepIfDue(now: Date): Promise<void> {
    const last = this.lastHousekeepingAt;
    if (last !== undefined && now.getTime() - last < HOUSEKEEPING_EVERY_MS) return;
    this.lastHousekeepingAt = now.getTime();
    try {
      const { reindexed, purged } = await housekeepJobs(this.ctx.jobs, now);
      if (reindexed > 0 || purged > 0) {
        this.ctx.logger.info({ reindexed, purged }, 'Reconciled the jobs needing work');
      }
    } catch (error) {
      this.ctx.logger.warn({ err: errorName(error) }, 'Reconciling the jobs failed');
    }
    try {
      await purgeExpired(this.documents, now);
    } catch (error) {
      this.ctx.logger.warn({ err: errorName(error) }, 'Purging expired picks failed');
    }
  }
}
