import type { Stores } from '../../domain/ports';
import { BlobAuditLog } from './blobAuditLog';
import { createContainerClient, type BlobStoreSettings } from './blobContainer';
import { BlobDocumentStore } from './blobDocumentStore';

/** Both ports over one container, created if missing. */
export async function openBlobStores<E>(settings: BlobStoreSettings): Promise<Stores<E>> {
  const container = createContainerClient(settings);
  await container.createIfNotExists();
  return { documents: new BlobDocumentStore(container), audit: new BlobAuditLog<E>(container) };
}
