/**
 * Storage ports. Two engines implement them: SQLite (embedded default, store/sqlite)
 * and Azure Blob Storage (scale-out, store/blob). Every write can be conditional on
 * an ETag so several bot instances can share one store safely.
 */
export interface StoredDocument<T> {
  key: string;
  value: T;
  etag: string;
}

export interface PutOptions {
  /** Write only if the stored ETag still equals this one. */
  ifMatch?: string;
  /** Write only if nothing is stored under the key yet. */
  ifNoneMatch?: '*';
}

export interface DocumentStore {
  get<T>(collection: string, key: string): Promise<StoredDocument<T> | undefined>;
  /** Returns the new ETag; throws ConcurrencyError when a condition fails. */
  put<T>(collection: string, key: string, value: T, options?: PutOptions): Promise<string>;
  /** True when something was deleted; throws ConcurrencyError when ifMatch fails. */
  delete(collection: string, key: string, options?: { ifMatch?: string }): Promise<boolean>;
  list<T>(collection: string, options?: { prefix?: string }): Promise<StoredDocument<T>[]>;
  /** Reachability probe for /readyz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export class ConcurrencyError extends Error {
  constructor(
    readonly collection: string,
    readonly key: string,
  ) {
    super(`Concurrent change to ${collection}/${key}`);
    this.name = 'ConcurrencyError';
  }
}

/** Append-only. Entries are never updated or deleted through this port. */
export interface AuditLog<E> {
  append(entry: E): Promise<void>;
  /** Newest first. */
  recent(limit: number): Promise<E[]>;
  /** Oldest first, for export. */
  all(): AsyncIterable<E>;
}

export interface Stores<E> {
  documents: DocumentStore;
  audit: AuditLog<E>;
}

/**
 * Thrown by every engine's put/append when a value carries a non-empty `passcode`
 * field: the store is never a place for a passcode (last line of defence).
 * The message names where, never the value.
 */
export class PasscodeRefusedError extends Error {
  constructor(readonly where: string) {
    super(`Refused to store a passcode in ${where}`);
    this.name = 'PasscodeRefusedError';
  }
}
