import { createHash } from 'node:crypto';
import type { Storage, StoreItems } from 'botbuilder';
import type { DocumentStore } from '../../domain/ports';
import { putAsBotStorage } from '../storageAdapter';

export const TOKEN_EXCHANGES_COLLECTION = 'tokenExchanges';

const keyOf = (key: string): string =>
  `x-${createHash('sha256').update(key).digest('hex').slice(0, 40)}`;

/**
 * Storage for TeamsSSOTokenExchangeMiddleware's de-duplication, and nothing else.
 * Teams sends the same signin/tokenExchange from every client a technician has open;
 * the middleware lets one through by writing an item per exchange id and expects the
 * second write of that key, on any instance, to fail with an "eTag conflict".
 * DocumentStoreBotStorage reads an eTag as ifMatch (so even the first write would fail
 * there); here every write is create-only. Items hold no token, only when they were
 * written: the middleware's item is `{ eTag: <exchange id> }`.
 */
export class TokenExchangeDedupStorage implements Storage {
  constructor(
    private readonly documents: DocumentStore,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async read(keys: string[]): Promise<StoreItems> {
    const items: StoreItems = {};
    for (const key of keys) {
      const doc = await this.documents.get<Record<string, unknown>>(
        TOKEN_EXCHANGES_COLLECTION,
        keyOf(key),
      );
      if (doc) items[key] = { ...doc.value, eTag: doc.etag };
    }
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    for (const key of Object.keys(changes)) {
      await putAsBotStorage(key, () =>
        this.documents.put(
          TOKEN_EXCHANGES_COLLECTION,
          keyOf(key),
          { seenAt: this.now().toISOString() },
          { ifNoneMatch: '*' },
        ),
      );
    }
  }

  async delete(keys: string[]): Promise<void> {
    for (const key of keys) await this.documents.delete(TOKEN_EXCHANGES_COLLECTION, keyOf(key));
  }
}
