import type { Storage, StoreItems } from 'botbuilder';
import { ConcurrencyError, type DocumentStore } from '../domain/ports';

export const BOT_STATE_COLLECTION = 'botstate';

/**
 * A conditional write as botbuilder's Storage reports it: a failed condition becomes the
 * "eTag conflict" Error its callers (state, TeamsSSOTokenExchangeMiddleware) look for.
 */
export async function putAsBotStorage(key: string, put: () => Promise<unknown>): Promise<void> {
  try {
    await put();
  } catch (error) {
    if (error instanceof ConcurrencyError) {
      throw new Error(`Storage: error writing "${key}" due to eTag conflict.`, { cause: error });
    }
    throw error;
  }
}

/**
 * botbuilder's Storage over the DocumentStore port, so conversation and user state
 * live in the same engine (SQLite or Blob) as everything else. Follows botbuilder's
 * convention: an item's `eTag` of '*' or none means last write wins; any other eTag
 * makes the write conditional and a mismatch rejects with an Error.
 */
export class DocumentStoreBotStorage implements Storage {
  constructor(
    private readonly documents: DocumentStore,
    private readonly collection: string = BOT_STATE_COLLECTION,
  ) {}

  async read(keys: string[]): Promise<StoreItems> {
    if (!Array.isArray(keys)) throw new ReferenceError('Keys are required when reading.');
    const found = await Promise.all(
      keys.map((key) => this.documents.get<Record<string, unknown>>(this.collection, key)),
    );
    const items: StoreItems = {};
    found.forEach((doc, index) => {
      if (doc) items[keys[index]!] = { ...doc.value, eTag: doc.etag };
    });
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    if (!changes || typeof changes !== 'object') {
      throw new ReferenceError('Changes are required when writing.');
    }
    await Promise.all(
      Object.entries(changes).map(async ([key, item]) => {
        // The eTag is metadata, not state: the store keeps its own.
        const { eTag, ...state } = (item ?? {}) as Record<string, unknown>;
        const ifMatch = typeof eTag === 'string' && eTag !== '' && eTag !== '*' ? eTag : undefined;
        await putAsBotStorage(key, () =>
          this.documents.put(this.collection, key, state, ifMatch ? { ifMatch } : {}),
        );
      }),
    );
  }

  async delete(keys: string[]): Promise<void> {
    if (!Array.isArray(keys)) throw new ReferenceError('Keys are required when deleting.');
    await Promise.all(keys.map((key) => this.documents.delete(this.collection, key)));
  }
}
