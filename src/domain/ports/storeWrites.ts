import { ConcurrencyError, type DocumentStore, type StoredDocument } from './storage';

const MAX_CONFLICT_RETRIES = 8;

/**
 * The one read-modify-write loop, with the ETag as the guard: reads the document,
 * asks `decide` for the next value (undefined: write nothing), and writes it only if
 * the document is still the version read (or, when there was none, still absent). On
 * a conflict it reads and decides again; after `attempts` lost races it throws the
 * ConcurrencyError. `decide` sees the latest version every time, so it must check its
 * own preconditions each time it runs.
 */
export async function writeWithEtag<T>(
  store: DocumentStore,
  collection: string,
  key: string,
  decide: (current: StoredDocument<T> | undefined) => T | undefined | Promise<T | undefined>,
  attempts: number = MAX_CONFLICT_RETRIES + 1,
): Promise<StoredDocument<T> | undefined> {
  for (let attempt = 1; ; attempt++) {
    const current = await store.get<T>(collection, key);
    const next = await decide(current);
    if (next === undefined) return undefined;
    try {
      const etag = await store.put(
        collection,
        key,
        next,
        current ? { ifMatch: current.etag } : { ifNoneMatch: '*' },
      );
      return { key, value: next, etag };
    } catch (error) {
      if (!(error instanceof ConcurrencyError) || attempt >= attempts) throw error;
    }
  }
}

/** writeWithEtag for a document that must exist: `change` sees its latest value. */
export function updateWithRetry<T>(
  store: DocumentStore,
  collection: string,
  key: string,
  change: (current: T) => T | undefined,
): Promise<StoredDocument<T> | undefined> {
  return writeWithEtag<T>(store, collection, key, (current) =>
    current ? change(current.value) : undefined,
  );
}

/** True for the ConcurrencyError writeWithEtag throws when it lost every race. */
export const lostEveryRace = (error: unknown): boolean => error instanceof ConcurrencyError;

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
