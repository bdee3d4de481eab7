import type { DocumentStore } from '../store/ports';
import { MINUTE_MS } from './clock';
import type { PendingAction } from './pendingActionRepository';
import { PENDING_ACTIONS_COLLECTION } from './pendingActionRepository';
import { PICKS_COLLECTION, type PickRecord } from './pickRepository';

/** A used pending action is kept a day past expiry so a late double press still finds its job. */
const PENDING_ACTION_KEEP_MS = 24 * 60 * MINUTE_MS;

/** Deletes expired pick ids and old pending actions (each search stores up to 10 picks). */
export async function purgeExpired(store: DocumentStore, now: Date): Promise<number> {
  let purged = 0;
  const at = now.getTime();
  for (const doc of await store.list<PickRecord>(PICKS_COLLECTION)) {
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
