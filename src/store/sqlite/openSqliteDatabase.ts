import Database from 'better-sqlite3';
import { closeSync, mkdirSync, openSync, unlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError } from '../../config';
import { applyMigrations } from './migrations';

export const SQLITE_FILE_NAME = 'passcode-desk.sqlite';

/** How long a writer waits for another connection's lock before SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5000;

export function sqliteFilePath(dataDir: string): string {
  return join(dataDir, SQLITE_FILE_NAME);
}

/**
 * Opens (creating if needed) `<dataDir>/passcode-desk.sqlite`, in WAL mode so readers
 * never block the writer, and migrates it to the newest schema.
 */
export function openSqliteDatabase(dataDir: string): Database.Database {
  assertWritableFolder(dataDir);
  let db: Database.Database;
  try {
    db = new Database(sqliteFilePath(dataDir));
  } catch (error) {
    throw dataDirError(dataDir, `the database file in it cannot be opened (${reason(error)})`);
  }
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma('journal_mode = WAL');
    // NORMAL is durable across application crashes in WAL mode; only an OS crash may lose the last commits.
    db.pragma('synchronous = NORMAL');
    applyMigrations(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the disk',
  EEXIST: 'it is a file, not a folder',
  ENOTDIR: 'a part of the path is a file, not a folder',
};

function reason(error: unknown): string {
  const { code, message } = error as NodeJS.ErrnoException;
  return (code && REASONS[code] && `${code}: ${REASONS[code]}`) || code || String(message);
}

function dataDirError(dataDir: string, problem: string): ConfigError {
  return new ConfigError(
    'DATA_DIR',
    `Setting DATA_DIR is invalid ("${resolve(dataDir)}"): ${problem}; expected a folder this process can create and write to, for example DATA_DIR=./data`,
  );
}

/**
 * Creates DATA_DIR when missing and proves it takes a new file, so a start-up on a folder
 * the process cannot write names the setting, the path and the cause instead of SQLite's
 * bare "unable to open database file". A probe file, not access(2): for root, access()
 * says yes to folders that still refuse new files (read-only binds, sysfs).
 */
function assertWritableFolder(dataDir: string): void {
  try {
    mkdirSync(dataDir, { recursive: true });
  } catch (error) {
    throw dataDirError(dataDir, `it cannot be created (${reason(error)})`);
  }
  const probe = join(dataDir, `.write-test-${process.pid}`);
  try {
    closeSync(openSync(probe, 'w'));
    unlinkSync(probe);
  } catch (error) {
    throw dataDirError(dataDir, `this process cannot write to that folder (${reason(error)})`);
  }
}
