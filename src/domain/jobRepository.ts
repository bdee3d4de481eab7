import type { DocumentStore, StoredDocument } from '../store/ports';
import { isFinalState, type ResetJob } from './job';
import { putIfAbsent, putIfUnchanged, updateWithRetry } from './storeWrites';

export const JOBS_COLLECTION = 'jobs';

export type JobDocument = StoredDocument<ResetJob>;

/** True while the tracker still owes this job something (Graph, a delivery, a hide, a notification). */
export function needsWork(job: ResetJob): boolean {
  return (
    !isFinalState(job.state) ||
    job.delivery?.state === 'pending' ||
    (job.delivery?.state === 'sent' && !!job.delivery.hideAt) ||
    (job.outbox?.length ?? 0) > 0
  );
}

/**
 * Reset jobs in the document store, every change ETag-conditional.
 * Listing reads the whole collection and filters in memory: fine for a helpdesk's
 * volume; a store-side index (or a prefix per month) is the step up if it grows.
 */
export class JobRepository {
  constructor(private readonly store: DocumentStore) {}

  get(id: string): Promise<JobDocument | undefined> {
    return this.store.get<ResetJob>(JOBS_COLLECTION, id);
  }

  /** undefined when a job with this id already exists. */
  create(job: ResetJob): Promise<JobDocument | undefined> {
    return putIfAbsent(this.store, JOBS_COLLECTION, job.id, job);
  }

  /** Writes `next` only if the job is still `doc`; undefined when it changed meanwhile. */
  replace(doc: JobDocument, next: ResetJob): Promise<JobDocument | undefined> {
    return putIfUnchanged(this.store, JOBS_COLLECTION, doc, next);
  }

  /** Re-applies `change` to the latest version until it sticks (or `change` declines). */
  update(
    id: string,
    change: (job: ResetJob) => ResetJob | undefined,
  ): Promise<JobDocument | undefined> {
    return updateWithRetry(this.store, JOBS_COLLECTION, id, change);
  }

  list(): Promise<JobDocument[]> {
    return this.store.list<ResetJob>(JOBS_COLLECTION);
  }

  async listNeedingWork(): Promise<JobDocument[]> {
    return (await this.list()).filter((doc) => needsWork(doc.value));
  }

  /** Newest first. */
  async listByRequester(tenantId: string, aadObjectId: string): Promise<ResetJob[]> {
    return (await this.list())
      .map((doc) => doc.value)
      .filter((job) => job.tenantId === tenantId && job.requester.aadObjectId === aadObjectId)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }
}
