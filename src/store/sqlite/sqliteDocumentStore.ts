import type Database from 'better-sqlite3';
import { newEtag } from '../etag';
import { ConcurrencyError, type PutOptions, type StoredDocument } from '../../domain/ports';
import { CheckedDocumentStore, type DocumentPlace } from '../checkedDocumentStore';

interface DocumentRow {
  key: string;
  etag: string;
  body: string;
}

/**
 * DocumentStore on SQLite. Each conditional write is ONE statement whose WHERE / ON
 * CONFLICT clause carries the condition, so it is atomic even across processes
 * sharing the file.
 */
export class SqliteDocumentStore extends CheckedDocumentStore {
  private readonly statements;

  constructor(private readonly db: Database.Database) {
    super();
    this.statements = {
      get: db.prepare('SELECT key, etag, body FROM documents WHERE collection = ? AND key = ?'),
      upsert: db.prepare(
        `INSERT INTO documents (collection, key, etag, body, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (collection, key) DO UPDATE
         SET etag = excluded.etag, body = excluded.body, updated_at = excluded.updated_at`,
      ),
      insertIfAbsent: db.prepare(
        `INSERT INTO documents (collection, key, etag, body, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (collection, key) DO NOTHING`,
      ),
      updateIfMatch: db.prepare(
        `UPDATE documents SET etag = ?, body = ?, updated_at = ?
         WHERE collection = ? AND key = ? AND etag = ?`,
      ),
      delete: db.prepare('DELETE FROM documents WHERE collection = ? AND key = ?'),
      deleteIfMatch: db.prepare(
        'DELETE FROM documents WHERE collection = ? AND key = ? AND etag = ?',
      ),
      listAll: db.prepare(
        'SELECT key, etag, body FROM documents WHERE collection = ? ORDER BY key',
      ),
      // A primary-key range scan: [prefix, prefix with its last UTF-8 byte + 1).
      listRange: db.prepare(
        `SELECT key, etag, body FROM documents
         WHERE collection = ? AND key >= ? AND key < CAST(? AS TEXT) ORDER BY key`,
      ),
      ping: db.prepare('SELECT 1'),
    };
  }

  protected async read<T>(at: DocumentPlace): Promise<StoredDocument<T> | undefined> {
    const row = this.statements.get.get(at.collection, at.key) as DocumentRow | undefined;
    return row ? toDocument<T>(row) : undefined;
  }

  protected async write(
    { collection, key }: DocumentPlace,
    body: string,
    options: PutOptions,
  ): Promise<string> {
    const etag = newEtag();
    const now = new Date().toISOString();
    let changes: number;
    if (options.ifMatch !== undefined) {
      changes = this.statements.updateIfMatch.run(
        etag,
        body,
        now,
        collection,
        key,
        options.ifMatch,
      ).changes;
    } else if (options.ifNoneMatch === '*') {
      changes = this.statements.insertIfAbsent.run(collection, key, etag, body, now).changes;
    } else {
      changes = this.statements.upsert.run(collection, key, etag, body, now).changes;
    }
    if (changes === 0) throw new ConcurrencyError(collection, key);
    return etag;
  }

  protected async remove(
    { collection, key }: DocumentPlace,
    ifMatch: string | undefined,
  ): Promise<boolean> {
    if (ifMatch === undefined) {
      return this.statements.delete.run(collection, key).changes > 0;
    }
    // A condition on something already gone fails too: the caller's version no longer exists.
    if (this.statements.deleteIfMatch.run(collection, key, ifMatch).changes === 0) {
      throw new ConcurrencyError(collection, key);
    }
    return true;
  }

  async list<T>(
    collection: string,
    options: { prefix?: string } = {},
  ): Promise<StoredDocument<T>[]> {
    const prefix = options.prefix ?? '';
    const rows = (
      prefix === ''
        ? this.statements.listAll.all(collection)
        : this.statements.listRange.all(collection, prefix, prefixUpperBound(prefix))
    ) as DocumentRow[];
    return rows.map((row) => toDocument<T>(row));
  }

  async ping(): Promise<void> {
    this.statements.ping.get();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

function toDocument<T>(row: DocumentRow): StoredDocument<T> {
  return { key: row.key, etag: row.etag, value: JSON.parse(row.body) as T };
}

/**
 * The smallest byte string above every key starting with `prefix`. Valid UTF-8 never
 * contains 0xFF, so bumping the last byte cannot overflow. (A `prefix + '\uffff'` bound
 * would miss keys continuing with an emoji, whose UTF-8 sorts above U+FFFF.)
 */
function prefixUpperBound(prefix: string): Buffer {
  const bytes = Buffer.from(prefix, 'utf8');
  bytes[bytes.length - 1] = bytes[bytes.length - 1]! + 1;
  return bytes;
}
