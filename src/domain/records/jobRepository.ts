import type { Logger } from '../../logger';
import {
  ConcurrencyError,
  type DocumentStore,
  type StoredDocument,
  MINUTE_MS,
  systemClock,
  type Clock,
  putIfAbsent,
  putIfUnchanged,
  updateWithRetry,
} from '../ports';
import { errorName } from '../audit';
import { POLICY } from '../desk';
import { isFinalState, type ResetJob, mapWithConcurrency } from '../shared';

export const JOBS_COLLECTION = 'jobs';
/**
 * The jobs the tracker still owes work (needsWork), one small entry per job, keyed by
 * the job id: what the tracker lists every cycle, instead of every job ever stored.
 */
export const JOBS_NEEDING_WORK_COLLECTION = 'jobsNeedingWork';

export type JobDocument = StoredDocument<ResetJob>;

/** An index entry; `since` is when it was written. */
interface NeedsWorkEntry {
  since: string;
}

/** An entry whose job is missing may belong to a create still in flight (entry first, job next). */
const MISSING_JOB_GRACE_MS = 2 * MINUTE_MS;

/**
 * True while the tracker still owes this job something (Graph, a delivery, a hide, a
 * notification, approval cards to show the decision).
 */
export function needsWork(job: ResetJob): boolean {
  return (
    !isFinalState(job.state) ||
    job.delivery?.state === 'pending' ||
    (job.delivery?.state === 'sent' && !!job.delivery.hideAt) ||
    (job.delivery?.copies?.length ?? 0) > 0 ||
    (job.outbox?.length ?? 0) > 0 ||
    (!!job.approval?.decision && !job.approval.cardsUpdated)
  );
}

/**
 * Reset jobs in the document store, every change ETag-conditional, plus the index of
 * jobs needing work that this class alone keeps:
 * - a job created needing work gets its entry BEFORE the job is written, so a crash in
 *   between leaves an entry (dropped later), never a job the tracker cannot see;
 * - after a write, the entry is added when the job started needing work and removed
 *   when it stopped (best effort);
 * - listNeedingWork() drops stale entries it meets; reconcile() re-adds missing ones.
 * Removing an entry is always "read the entry, then the job, then delete on the entry's
 * ETag": a writer that makes the job need work again re-adds the entry after its own
 * write, which changes that ETag, so a concurrent re-add is never lost.
 */
export class JobRepository {
  private readonly clock: Clock;
  private readonly logger: Logger | undefined;

  constructor(
    private readonly store: DocumentStore,
    options: { clock?: Clock; logger?: Logger } = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger;
  }

  get(id: string): Promise<JobDocument | undefined> {
    return this.store.get<ResetJob>(JOBS_COLLECTION, id);
  }

  /** undefined when a job with this id already exists. */
  async create(job: ResetJob): Promise<JobDocument | undefined> {
    if (needsWork(job)) await this.addEntry(job.id);
    return putIfAbsent(this.store, JOBS_COLLECTION, job.id, job);
  }

  /** Writes `next` only if the job is still `doc`; undefined when it changed meanwhile. */
  async replace(doc: JobDocument, next: ResetJob): Promise<JobDocument | undefined> {
    const written = await putIfUnchanged(this.store, JOBS_COLLECTION, doc, next);
    if (written) await this.afterWrite(doc.value, written);
    return written;
  }

  /** Re-applies `change` to the latest version until it sticks (or `change` declines). */
  async update(
    id: string,
    change: (job: ResetJob) => ResetJob | undefined,
  ): Promise<JobDocument | undefined> {
    let before: ResetJob | undefined;
    const written = await updateWithRetry<ResetJob>(this.store, JOBS_COLLECTION, id, (job) => {
      before = job; // the version the successful write replaced is the last one seen
      return change(job);
    });
    if (written && before) await this.afterWrite(before, written);
    return written;
  }

  /** Every job ever stored (until the retention purge): for rare, on-demand scans only. */
  list(): Promise<JobDocument[]> {
    return this.store.list<ResetJob>(JOBS_COLLECTION);
  }

  /**
   * The jobs the tracker owes work, from the index: one list of small entries, then
   * each job read (a few side by side). Stale entries met on the way are deleted.
   */
  async listNeedingWork(): Promise<JobDocument[]> {
    const entries = await this.store.list<NeedsWorkEntry>(JOBS_NEEDING_WORK_COLLECTION);
    const found: Array<JobDocument | undefined> = [];
    const now = this.clock.now().getTime();
    const positions = entries.map((_, i) => i);
    await mapWithConcurrency(positions, POLICY.jobReadConcurrency, async (i) => {
      const entry = entries[i] as StoredDocument<NeedsWorkEntry>;
      const doc = await this.get(entry.key);
      if (doc && needsWork(doc.value)) found[i] = doc;
      else if (doc || !(now - Date.parse(entry.value.since) < MISSING_JOB_GRACE_MS)) {
        await this.dropEntry(entry);
      }
    });
    return found.filter((doc): doc is JobDocument => doc !== undefined);
  }

  /**
   * Newest first. Scans every job: fine on demand (status, show passcode), never in a
   * loop; jobs are purged 30 days after they finish, which bounds the scan.
   */
  async listByRequester(tenantId: string, aadObjectId: string): Promise<ResetJob[]> {
    return (await this.list())
      .map((doc) => doc.value)
      .filter((job) => job.tenantId === tenantId && job.requester.aadObjectId === aadObjectId)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  /** Resets of the tenant waiting for approval, oldest first (from the index: they need work). */
  async listAwaitingApproval(tenantId: string): Promise<ResetJob[]> {
    return (await this.listNeedingWork())
      .map((doc) => doc.value)
      .filter((job) => job.tenantId === tenantId && job.state === 'awaitingApproval')
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  /**
   * One pass over every job (when the tracker starts, then hourly; never per cycle):
   * re-indexes jobs that need work but have no entry (a crash between a job write and
   * its index write, or a lost best-effort write) and, when asked, deletes finished jobs
   * whose last change is older than `purgeFinishedBefore`.
   */
  async reconcile(
    options: { purgeFinishedBefore?: Date } = {},
  ): Promise<{ reindexed: number; purged: number }> {
    const cutoff = options.purgeFinishedBefore?.getTime();
    const counts = { reindexed: 0, purged: 0 };
    const jobs = await this.list();
    await mapWithConcurrency(jobs, POLICY.jobReadConcurrency, async (doc) => {
      if (needsWork(doc.value)) {
        // One read per job needing work (not a listing of the index: the tracker's one
        // listing per cycle stays the only one). An entry added twice is harmless;
        // reconcile only ever adds entries.
        if (await this.store.get(JOBS_NEEDING_WORK_COLLECTION, doc.key)) return;
        await this.addEntry(doc.key);
        counts.reindexed++;
      } else if (cutoff !== undefined && lastChangeMs(doc.value) < cutoff) {
        if (await this.deleteIfUnchanged(JOBS_COLLECTION, doc)) counts.purged++;
      }
    });
    return counts;
  }

  private async afterWrite(before: ResetJob, after: JobDocument): Promise<void> {
    const needed = needsWork(before);
    const needs = needsWork(after.value);
    if (needed === needs) return;
    try {
      if (needs) await this.addEntry(after.key);
      else await this.removeEntryIfStale(after.key);
    } catch (error) {
      // The job itself is written; reconcile() repairs the index within the hour.
      this.logger?.warn(
        { err: errorName(error), jobId: after.key },
        'Could not update the index of jobs needing work',
      );
    }
  }

  private async addEntry(jobId: string): Promise<void> {
    const entry: NeedsWorkEntry = { since: this.clock.now().toISOString() };
    await this.store.put(JOBS_NEEDING_WORK_COLLECTION, jobId, entry);
  }

  private async removeEntryIfStale(jobId: string): Promise<void> {
    const entry = await this.store.get<NeedsWorkEntry>(JOBS_NEEDING_WORK_COLLECTION, jobId);
    if (!entry) return;
    // The job is read after the entry (see the class comment).
    const job = await this.get(jobId);
    if (job && needsWork(job.value)) return;
    await this.dropEntry(entry);
  }

  /** Best effort: a failed delete leaves an entry the next listing drops. */
  private async dropEntry(entry: StoredDocument<NeedsWorkEntry>): Promise<void> {
    try {
      await this.deleteIfUnchanged(JOBS_NEEDING_WORK_COLLECTION, entry);
    } catch (error) {
      this.logger?.warn(
        { err: errorName(error), jobId: entry.key },
        'Could not drop a stale entry of the index of jobs needing work',
      );
    }
  }

  /** False when the document changed (or went) meanwhile: the other writer wins. */
  private async deleteIfUnchanged(collection: string, doc: StoredDocument<unknown>) {
    try {
      return await this.store.delete(collection, doc.key, { ifMatch: doc.etag });
    } catch (error) {
      if (error instanceof ConcurrencyError) return false;
      throw error;
    }
  }
}

/** When the job last really changed (a finished job's delivery and hide come after finishedAt). */
function lastChangeMs(job: ResetJob): number {
  return Math.max(Date.parse(job.updatedAt), job.finishedAt ? Date.parse(job.finishedAt) : 0);
}
