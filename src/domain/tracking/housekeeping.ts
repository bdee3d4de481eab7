import { type DocumentStore, MINUTE_MS } from '../ports';
import { POLICY } from '../desk';
import {
  type JobRepository,
  type PendingAction,
  PENDING_ACTIONS_COLLECTION,
  PICKS_COLLECTION,
} from '../records';

/** A used pending action is kept a day past expiry so a late double press still finds its job. */
const PENDING_ACTION_KEEP_MS = 24 * 60 * MINUTE_MS;
const DAY_MS = 24 * 60 * MINUTE_MS;

/**
 * The hourly pass over the jobs (and the tracker's first cycle): re-indexes jobs needing
 * work that lost their index entry, and deletes jobs finished more than
 * POLICY.finishedJobRetentionDays ago. Nothing needs them by then: a passcode is
 * readable for 7 days, `status` lists recent resets, a device lock whose job is gone
 * counts as free, pending actions are purged a day after they expire, and the audit log
 * keeps the history.
 */
export function housekeepJobs(
  jobs: JobRepository,
  now: Date,
): Promise<{ reindexed: number; purged: number }> {
  const purgeFinishedBefore = new Date(now.getTime() - POLICY.finishedJobRetentionDays * DAY_MS);
  return jobs.reconcile({ purgeFinishedBefore });
}

/** Deletes expired picks (one document per search) and old pending actions. */
export async function purgeExpired(store: DocumentStore, now: Date): Promise<number> {
  let purged = 0;
  const at = now.getTime();
  for (const doc of await store.list<{ expiresAt: string }>(PICKS_COLLECTION)) {
    if (Date.parse(doc.value.expiresAt) <= at)
      purged += await remove(store, PICKS_COLLECTION, doc.key, doc.etag);
  }
  for (const doc of await store.list<PendingAction>(PENDING_ACTIONS_COLLECTION)) {
    if (Date.parse(doc.value.expiresAt) + PENDING_ACTION_KEEP_MS <= at) {
      purged += await remove(store, PENDING_ACTIONS_COLLECTION, doc.key, doc.etag);
    }
  }
  return purged;
}

async function remove(
  store: DocumentStore,
  collection: string,
  key: string,
  etag: string,
): Promise<number> {
  // A concurrent change (or another instance purging) wins; it is purged next time.
  return (await store.delete(collection, key, { ifMatch: etag }).catch(() => false)) ? 1 : 0;
}
