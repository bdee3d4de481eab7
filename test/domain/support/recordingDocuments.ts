import type { DocumentStore, PutOptions, StoredDocument } from '../../../src/domain/ports/storage';

export interface StoreCall {
  op: 'get' | 'put' | 'delete' | 'list';
  collection: string;
  key?: string;
}

/**
 * A real DocumentStore with every call recorded, and optional hooks that run before a
 * call reaches the store (to hold a listing, or to slip a concurrent write in between).
 */
export class RecordingDocuments implements DocumentStore {
  readonly calls: StoreCall[] = [];
  /** Runs before each list(); awaited. */
  beforeList?: (collection: string) => Promise<void> | void;
  /** Runs after get() read the stored value and before it is returned; awaited. */
  afterGet?: (collection: string, key: string) => Promise<void> | void;
  /** Runs before each put(); awaited. */
  beforePut?: (collection: string, key: string) => Promise<void> | void;

  constructor(private readonly inner: DocumentStore) {}

  count(op: StoreCall['op'], collection: string): number {
    return this.calls.filter((c) => c.op === op && c.collection === collection).length;
  }

  async get<T>(collection: string, key: string): Promise<StoredDocument<T> | undefined> {
    this.calls.push({ op: 'get', collection, key });
    const found = await this.inner.get<T>(collection, key);
    await this.afterGet?.(collection, key);
    return found;
  }

  async put<T>(collection: string, key: string, value: T, options?: PutOptions): Promise<string> {
    this.calls.push({ op: 'put', collection, key });
    await this.beforePut?.(collection, key);
    return this.inner.put(collection, key, value, options);
  }

  delete(collection: string, key: string, options?: { ifMatch?: string }): Promise<boolean> {
    this.calls.push({ op: 'delete', collection, key });
    return this.inner.delete(collection, key, options);
  }

  async list<T>(collection: string, options?: { prefix?: string }): Promise<StoredDocument<T>[]> {
    this.calls.push({ op: 'list', collection });
    await this.beforeList?.(collection);
    return this.inner.list<T>(collection, options);
  }

  ping(): Promise<void> {
    return this.inner.ping();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
