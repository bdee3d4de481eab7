import type { Storage, StoreItems } from 'botbuilder';
import { storageCredential, type StoreConfig } from '../store/openStores';
import type { DocumentStore } from '../domain/ports';
import { serializeForStore } from '../store/serialize';
import { DocumentStoreBotStorage } from './storageAdapter';

/**
 * Where botbuilder keeps conversation and user state (the search prompt's dialog state).
 * STORAGE=blob: botbuilder-azure-blobs' BlobsStorage in the same container as everything
 * else (its blobs sit at the top level, named after the URI-encoded state key, so they
 * never mix with `docs/` and `audit/`); it writes with If-Match on the item's eTag, so
 * several instances can share it. STORAGE=sqlite: the document store (storageAdapter.ts).
 */
export async function createBotStateStorage(
  config: StoreConfig,
  documents: DocumentStore,
): Promise<Storage> {
  if (config.STORAGE !== 'blob') return new DocumentStoreBotStorage(documents);
  // Loaded only when chosen, like the blob engine itself (start-up time).
  const { BlobsStorage } = await import('botbuilder-azure-blobs');
  const container = config.AZURE_STORAGE_CONTAINER;
  const blobs = config.AZURE_STORAGE_CONNECTION_STRING
    ? new BlobsStorage(config.AZURE_STORAGE_CONNECTION_STRING, container)
    : new BlobsStorage(
        '',
        container,
        undefined,
        `${(config.AZURE_STORAGE_ACCOUNT_URL ?? '').replace(/\/+$/, '')}/${container}`,
        storageCredential(config),
      );
  return new PasscodeRefusingStorage(blobs);
}

/**
 * The store's last line of defence (serializeForStore), kept for bot state too: a write
 * that would put a `passcode` field into storage is refused before it leaves the process.
 */
class PasscodeRefusingStorage implements Storage {
  constructor(private readonly inner: Storage) {}

  read(keys: string[]): Promise<StoreItems> {
    return this.inner.read(keys);
  }

  async write(changes: StoreItems): Promise<void> {
    for (const [key, item] of Object.entries(changes ?? {})) {
      serializeForStore(item, `bot state ${key}`);
    }
    await this.inner.write(changes);
  }

  delete(keys: string[]): Promise<void> {
    return this.inner.delete(keys);
  }
}
