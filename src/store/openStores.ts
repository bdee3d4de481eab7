import {
  DefaultAzureCredential,
  ManagedIdentityCredential,
  type TokenCredential,
} from '@azure/identity';
import type { Config } from '../config';
import type { AuditEntry, Stores } from '../domain/ports';
import type { Logger } from '../logger';
import { openSqliteStores } from './sqlite/openSqliteStores';
import { sqliteFilePath } from './sqlite/openSqliteDatabase';

export type StoreConfig = Pick<
  Config,
  | 'STORAGE'
  | 'DATA_DIR'
  | 'AZURE_STORAGE_CONNECTION_STRING'
  | 'AZURE_STORAGE_ACCOUNT_URL'
  | 'AZURE_STORAGE_CONTAINER'
  | 'AZURE_USE_MANAGED_IDENTITY'
  | 'AZURE_CLIENT_ID'
>;

/** Opens the engine STORAGE names. Close with `stores.documents.close()`. */
export async function openStores(config: StoreConfig, logger: Logger): Promise<Stores<AuditEntry>> {
  if (config.STORAGE === 'blob') {
    // Loaded only when chosen: the Azure Storage SDK costs start-up time a SQLite bot never needs.
    const { openBlobStores } = await import('./blob/openBlobStores.js');
    const stores = await openBlobStores<AuditEntry>({
      containerName: config.AZURE_STORAGE_CONTAINER,
      connectionString: config.AZURE_STORAGE_CONNECTION_STRING,
      accountUrl: config.AZURE_STORAGE_ACCOUNT_URL,
      credential: config.AZURE_STORAGE_CONNECTION_STRING ? undefined : storageCredential(config),
    });
    logger.info(
      { storage: 'blob', container: config.AZURE_STORAGE_CONTAINER },
      'Store opened on Azure Blob Storage',
    );
    return stores;
  }
  const stores = openSqliteStores<AuditEntry>(config.DATA_DIR);
  logger.info(
    { storage: 'sqlite', file: sqliteFilePath(config.DATA_DIR) },
    'Store opened on SQLite',
  );
  return stores;
}

/**
 * A managed identity when the deployment says so (user-assigned when AZURE_CLIENT_ID is
 * set, as for Graph); otherwise the default chain (environment, workload identity, CLI...).
 */
export function storageCredential(config: StoreConfig): TokenCredential {
  if (config.AZURE_USE_MANAGED_IDENTITY) {
    return config.AZURE_CLIENT_ID
      ? new ManagedIdentityCredential({ clientId: config.AZURE_CLIENT_ID })
      : new ManagedIdentityCredential();
  }
  return new DefaultAzureCredential();
}
