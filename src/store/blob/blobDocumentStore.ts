import type { BlockBlobUploadOptions, ContainerClient } from '@azure/storage-blob';
import { compareKeys } from '../keyOrder';
import {
  mapWithConcurrency,
  ConcurrencyError,
  type PutOptions,
  type StoredDocument,
} from '../../domain/ports';
import { CheckedDocumentStore, type DocumentPlace } from '../checkedDocumentStore';
import { downloadText, isMissingContainer, statusOf } from './blobIo';

/** Downloads in flight while listing: enough to hide latency, few enough to stay polite. */
const LIST_PARALLELISM = 8;

/**
 * DocumentStore on Azure Blob Storage: one block blob per document at
 * `docs/<collection>/<encodeURIComponent(key)>.json`. The blob's ETag is the document's
 * ETag, and conditions are enforced by the service (If-Match / If-None-Match: *), so
 * any number of instances can share the container.
 */
export class BlobDocumentStore extends CheckedDocumentStore {
  constructor(private readonly container: ContainerClient) {
    super();
  }

  protected async read<T>(at: DocumentPlace): Promise<StoredDocument<T> | undefined> {
    const found = await downloadText(this.container.getBlobClient(blobName(at.collection, at.key)));
    return found && { key: at.key, etag: found.etag, value: JSON.parse(found.text) as T };
  }

  protected async write(
    { collection, key }: DocumentPlace,
    body: string,
    options: PutOptions,
  ): Promise<string> {
    const uploadOptions: BlockBlobUploadOptions = {
      blobHTTPHeaders: { blobContentType: 'application/json; charset=utf-8' },
    };
    if (options.ifMatch !== undefined) uploadOptions.conditions = { ifMatch: options.ifMatch };
    if (options.ifNoneMatch === '*') uploadOptions.conditions = { ifNoneMatch: '*' };
    const conditional = uploadOptions.conditions !== undefined;
    try {
      const response = await this.container
        .getBlockBlobClient(blobName(collection, key))
        .upload(body, Buffer.byteLength(body), uploadOptions);
      if (!response.etag) throw new Error(`Blob storage returned no ETag for ${collection}/${key}`);
      return response.etag;
    } catch (error) {
      if (conditional && isConditionFailure(error)) throw new ConcurrencyError(collection, key);
      throw error;
    }
  }

  protected async remove(
    { collection, key }: DocumentPlace,
    ifMatch: string | undefined,
  ): Promise<boolean> {
    const conditions = ifMatch !== undefined ? { ifMatch } : undefined;
    try {
      await this.container.getBlobClient(blobName(collection, key)).delete({ conditions });
      return true;
    } catch (error) {
      if (conditions && isConditionFailure(error)) throw new ConcurrencyError(collection, key);
      if (statusOf(error) === 404 && !isMissingContainer(error)) return false;
      throw error;
    }
  }

  async list<T>(
    collection: string,
    options: { prefix?: string } = {},
  ): Promise<StoredDocument<T>[]> {
    const folder = collectionFolder(collection);
    const names: string[] = [];
    const listing = this.container.listBlobsFlat({
      prefix: folder + encodeURIComponent(options.prefix ?? ''),
    });
    for await (const item of listing) {
      if (item.name.endsWith(SUFFIX)) names.push(item.name);
    }
    const documents = await mapWithConcurrency(names, LIST_PARALLELISM, async (name) => {
      const found = await downloadText(this.container.getBlobClient(name));
      if (!found) return undefined; // deleted between listing and download
      const key = decodeURIComponent(name.slice(folder.length, -SUFFIX.length));
      return { key, etag: found.etag, value: JSON.parse(found.text) as T };
    });
    return documents
      .filter((doc): doc is StoredDocument<T> => doc !== undefined)
      .sort((a, b) => compareKeys(a.key, b.key));
  }

  async ping(): Promise<void> {
    await this.container.getProperties();
  }

  async close(): Promise<void> {
    // The SDK holds no resources that need releasing.
  }
}

const SUFFIX = '.json';

function collectionFolder(collection: string): string {
  return `docs/${encodeURIComponent(collection)}/`;
}

function blobName(collection: string, key: string): string {
  return collectionFolder(collection) + encodeURIComponent(key) + SUFFIX;
}

/** 412: If-Match failed; 409: If-None-Match * met an existing blob; 404: If-Match on nothing. */
function isConditionFailure(error: unknown): boolean {
  if (isMissingContainer(error)) return false;
  const status = statusOf(error);
  return status === 412 || status === 409 || status === 404;
}
