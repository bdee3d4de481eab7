import { type ResetResultOrError, type DocumentStore, MINUTE_MS } from '../ports';
import { isOurAction, type JobDocument } from '../records';
import { errorName } from '../audit';
import { POLICY } from '../desk';
import { housekeepJobs, purgeExpired } from './housekeeping';
import { mapWithConcurrency } from '../shared';
import { sendNotificationsIfDue, awaitSignIn } from '../notifications';
import { deliverIfDue, hideIfDue } from '../delivery';
import { jobsToReadNow } from './readPriority';
import { readResetResults, type ResultReads } from './resultReads';
import { applyResult, checkDeadlines, isTracking } from './resultTracking';
import { advanceApproval } from '../approval';
import { advanceSubmission } from './submission';
import { isDue, leasedByOther, type TrackerContext } from '../context';
import { holdTracking, releaseTracking } from './trackingLease';

const HOUSEKEEPING_EVERY_MS = 60 * MINUTE_MS;
/**
 * A timed cycle waits this long (real time) for one job's step, then moves on and leaves
 * the step running: one slow Graph call (a resetPasscode POST that takes 35 s) holds only
 * its own job, and the next cycles submit and read the others on time.
 */
export const SLOW_STEP_MS = 2_000;
/** Steps left running at most; beyond this, new jobs wait for a slow one to end. */
const MAX_SLOW_STEPS = 32;

/**
 * The background loop that moves reset jobs along: submit, read Graph (batched),
 * deliver, hide, notify. Everything it knows is in the store, so a new process (or
 * another instance) picks up where the last one stopped.
 *
 * One cycle runs at a time; `runOnce()` runs one now (after any cycle in flight)
 * and is what tests drive with a fake clock. A timed cycle waits at most SLOW_STEP_MS
 * for each job's step: a slow one (a Graph call that hangs) goes on by itself and its
 * job is skipped until it ends, so it never holds up the others' submission and reads. `start()` repeats cycles every
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
  /** Jobs whose step is still running (possibly from an earlier cycle): skipped until it ends. */
  private readonly busy = new Map<string, Promise<void>>();

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
    await Promise.allSettled([...this.busy.values()]);
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

  /** One cycle now (after any in flight), resolving once every step it started has ended. */
  runOnce(): Promise<void> {
    return this.runCycle(true);
  }

  private runCycle(waitForSlowSteps: boolean): Promise<void> {
    const run = (this.inFlight ?? Promise.resolve())
      .catch(() => undefined)
      .then(() => this.cycle(waitForSlowSteps));
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
      await this.runCycle(false);
    } catch (error) {
      this.ctx.logger.error({ err: errorName(error) }, 'Tracker cycle failed');
    }
    if (!this.started) return;
    const again = this.wakeRequested;
    this.wakeRequested = false;
    this.schedule(again ? 0 : this.ctx.settings.TRACKER_INTERVAL_SECONDS * 1000);
  }

  private async cycle(waitForSlowSteps: boolean): Promise<void> {
    const now = this.ctx.clock.now();
    // Before listing: a job that lost its index entry in a crash is tracked this cycle.
    await this.housekeepIfDue(now);
    const jobs = await this.holdJobs(now);
    const { results, awaitingSignIn } = await this.readResults(jobs, now);
    const started: Array<Promise<void>> = [];
    await mapWithConcurrency(jobs, POLICY.parallelJobs, async (doc) => {
      const step = this.advance(doc, results.get(doc.value.device.id), awaitingSignIn.has(doc.key))
        .catch((error: unknown) =>
          this.ctx.logger.error(
            { err: errorName(error), jobId: doc.key },
            'Could not advance a reset job',
          ),
        )
        .finally(() => this.busy.delete(doc.key));
      this.busy.set(doc.key, step);
      started.push(step);
      // A slow step keeps running on its own; this worker moves on to the next job.
      await (waitForSlowSteps ? step : upTo(step, SLOW_STEP_MS));
    });
    if (waitForSlowSteps) await Promise.all(started);
    // What a process test waits for to know the loop has had its chance (not a fixed time).
    this.ctx.logger.trace({ jobs: jobs.length, busy: this.busy.size }, 'Tracker cycle done');
  }

  /** The jobs this instance tracks this cycle: tracking leases taken or renewed (trackingLease.ts). */
  private async holdJobs(now: Date): Promise<JobDocument[]> {
    if (this.busy.size >= MAX_SLOW_STEPS) return [];
    const candidates = (await this.ctx.jobs.listNeedingWork()).filter(
      (doc) => !this.busy.has(doc.key) && !leasedByOther(doc.value, this.ctx.owner, now),
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
    // The one way to delivery: a read that saw the reset done hands its passcode on.
    const passcode =
      current && outcome?.ok && isOurAction(outcome.result, current.value)
        ? outcome.result.passcode
        : undefined;
    if (current && outcome) current = await applyResult(this.ctx, current, outcome);
    else if (current && awaitingSignIn) {
      current = await awaitSignIn(this.ctx, current, (j, until) => ({ ...j, nextCheckAt: until }));
    }
    if (current) current = await checkDeadlines(this.ctx, current);
    if (current) current = await deliverIfDue(this.ctx, current, passcode);
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

/** Waits for `step`, or `ms` at most (the step goes on). */
async function upTo(step: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  await Promise.race([step, late]).finally(() => clearTimeout(timer));
}
