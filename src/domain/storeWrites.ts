import { ConcurrencyError, type DocumentStore, type StoredDocument } from '../store/ports';

const MAX_CONFLICT_RETRIES = 8;

/**
 * Read-modify-write with the ETag as the guard: re-reads and re-applies `change`
 * on a conflict. `change` sees the latest value and returns undefined to write
 * nothing, so it must check its own preconditions every time it runs.
 */
export async function updateWithRetry<T>(
  store: DocumentStore,
  collection: string,
  key: string,
  change: (current: T) => T | undefined,
): Promise<StoredDocument<T> | undefined> {
  for (let attempt = 0; ; attempt++) {
    const current = await store.get<T>(collection, key);
    if (!current) return undefined;
    const next = change(current.value);
    if (next === undefined) return undefined;
    try {
      const etag = await store.put(collection, key, next, { ifMatch: current.etag });
      return { key, value: next, etag };
    } catch (error) {
      if (!(error instanceof ConcurrencyError) || attempt >= MAX_CONFLICT_RETRIES) throw error;
    }
  }
}

/** A conditional write that answers undefined instead of throwing when someone else won. */
export async function putIfUnchanged<T>(
  store: DocumentStore,
  collection: string,
  doc: StoredDocument<T>,
  next: T,
): Promise<StoredDocument<T> | undefined> {
  try {
    const etag = await store.put(collection, doc.key, next, { ifMatch: doc.etag });
    return { key: doc.key, value: next, etag };
  } catch (error) {
    if (error instanceof ConcurrencyError) return undefined;
    throw error;
  }
}

/** Creates the document; undefined when the key is already taken. */
export async function putIfAbsent<T>(
  store: DocumentStore,
  collection: string,
  key: string,
  value: T,
): Promise<StoredDocument<T> | undefined> {
  try {
    const etag = await store.put(collection, key, value, { ifNoneMatch: '*' });
    return { key, value, etag };
  } catch (error) {
    if (error instanceof ConcurrencyError) return undefined;
    throw error;
  }
}
