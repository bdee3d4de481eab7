import type { DocumentStore, PutOptions, StoredDocument } from '../domain/ports';
import {
  assertCompatibleConditions,
  assertIfMatch,
  assertKey,
  serializeForStore,
} from './serialize';

/** Where a document lives: its collection and key, both checked non-empty. */
export interface DocumentPlace {
  collection: string;
  key: string;
}

/**
 * What every engine does alike before storage sees a call: the caller's arguments are
 * checked the same way (both engines refuse the same bad calls) and a value holding a
 * passcode is refused (serializeForStore). An engine implements only the storage.
 */
export abstract class CheckedDocumentStore implements DocumentStore {
  async get<T>(collection: string, key: string): Promise<StoredDocument<T> | undefined> {
    assertKey(collection, key);
    return this.read<T>({ collection, key });
  }

  async put<T>(
    collection: string,
    key: string,
    value: T,
    options: PutOptions = {},
  ): Promise<string> {
    assertKey(collection, key);
    assertCompatibleConditions(options);
    const body = serializeForStore(value, `${collection}/${key}`);
    return this.write({ collection, key }, body, options);
  }

  async delete(
    collection: string,
    key: string,
    options: { ifMatch?: string } = {},
  ): Promise<boolean> {
    assertKey(collection, key);
    assertIfMatch(options.ifMatch);
    return this.remove({ collection, key }, options.ifMatch);
  }

  abstract list<T>(collection: string, options?: { prefix?: string }): Promise<StoredDocument<T>[]>;
  abstract ping(): Promise<void>;
  abstract close(): Promise<void>;

  protected abstract read<T>(at: DocumentPlace): Promise<StoredDocument<T> | undefined>;
  /** `body` is the value's JSON; `options` are checked: at most one condition, never empty. */
  protected abstract write(at: DocumentPlace, body: string, options: PutOptions): Promise<string>;
  /** `ifMatch`, when given, is a non-empty ETag. */
  protected abstract remove(at: DocumentPlace, ifMatch: string | undefined): Promise<boolean>;
}
