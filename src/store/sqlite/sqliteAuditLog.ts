import type Database from 'better-sqlite3';
import type { AuditLog } from '../../domain/ports';
import { assertLimit, entryTime } from '../auditSupport';
import { serializeForStore } from '../serialize';

const PAGE_SIZE = 500;

/**
 * AuditLog on SQLite. Triggers in the schema refuse UPDATE and DELETE on the table,
 * so append-only holds even for code that bypasses this class.
 */
export class SqliteAuditLog<E> implements AuditLog<E> {
  private readonly statements;

  constructor(db: Database.Database) {
    this.statements = {
      append: db.prepare('INSERT INTO audit (at, body) VALUES (?, ?)'),
      recent: db.prepare('SELECT body FROM audit ORDER BY seq DESC LIMIT ?'),
      // Keyset pages rather than one open iterator: other statements may run between pages.
      page: db.prepare('SELECT seq, body FROM audit WHERE seq > ? ORDER BY seq LIMIT ?'),
    };
  }

  async append(entry: E): Promise<void> {
    const body = serializeForStore(entry, 'audit');
    this.statements.append.run(entryTime(entry), body);
  }

  async recent(limit: number): Promise<E[]> {
    assertLimit(limit);
    const rows = this.statements.recent.all(limit) as { body: string }[];
    return rows.map((row) => JSON.parse(row.body) as E);
  }

  async *all(): AsyncIterable<E> {
    let after = 0;
    for (;;) {
      const rows = this.statements.page.all(after, PAGE_SIZE) as { seq: number; body: string }[];
      for (const row of rows) yield JSON.parse(row.body) as E;
      if (rows.length < PAGE_SIZE) return;
      after = rows[rows.length - 1]!.seq;
    }
  }
}
