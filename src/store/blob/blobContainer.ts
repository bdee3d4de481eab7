import type { TokenCredential } from '@azure/identity';
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';

export interface BlobStoreSettings {
  containerName: string;
  /** Takes precedence when set (account key or SAS; Azurite in development). */
  connectionString?: string;
  /** Used with `credential` when there is no connection string. */
  accountUrl?: string;
  credential?: TokenCredential;
}

export function createContainerClient(settings: BlobStoreSettings): ContainerClient {
  if (settings.connectionString) {
    return BlobServiceClient.fromConnectionString(settings.connectionString).getContainerClient(
      settings.containerName,
    );
  }
  if (settings.accountUrl && settings.credential) {
    return new BlobServiceClient(settings.accountUrl, settings.credential).getContainerClient(
      settings.containerName,
    );
  }
  throw new Error('Blob storage needs a connection string, or an account URL and a credential');
}
