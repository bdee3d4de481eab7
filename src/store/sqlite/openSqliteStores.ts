import type { Stores } from '../../domain/ports';
import { openSqliteDatabase } from './openSqliteDatabase';
import { SqliteAuditLog } from './sqliteAuditLog';
import { SqliteDocumentStore } from './sqliteDocumentStore';

/**
 * Both ports over one SQLite connection on `<dataDir>/passcode-desk.sqlite`.
 * `documents.close()` closes the connection for both.
 */
export function openSqliteStores<E>(dataDir: string): Stores<E> {
  const db = openSqliteDatabase(dataDir);
  return { documents: new SqliteDocumentStore(db), audit: new SqliteAuditLog<E>(db) };
}
