import type Database from 'better-sqlite3';

/** One schema step. Versions only grow; a shipped migration is never edited. */
export interface Migration {
  version: number;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE documents (
        collection TEXT NOT NULL,
        key TEXT NOT NULL,
        etag TEXT NOT NULL,
        body TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (collection, key)
      ) WITHOUT ROWID, STRICT;

      CREATE TABLE audit (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        body TEXT NOT NULL
      ) STRICT;

      -- Append-only even for someone holding a raw connection.
      CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
      BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
      CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
      BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
    `,
  },
  {
    version: 2,
    // Exports and reviews ask for time ranges.
    sql: `CREATE INDEX audit_at ON audit (at);`,
  },
];

export class SchemaTooNewError extends Error {
  constructor(
    readonly found: number,
    readonly known: number,
  ) {
    super(
      `The database schema is version ${found} but this build knows up to ${known}: upgrade the app instead of downgrading the database`,
    );
    this.name = 'SchemaTooNewError';
  }
}

/**
 * Brings the database to the newest version in `migrations`. All pending steps run
 * in one IMMEDIATE transaction, so two instances starting together never both
 * migrate and a failed step leaves the schema as it was. Returns the versions applied.
 */
export function applyMigrations(
  db: Database.Database,
  migrations: readonly Migration[] = MIGRATIONS,
): number[] {
  assertOrdered(migrations);
  const newest = migrations.at(-1)?.version ?? 0;
  const migrate = db.transaction((): number[] => {
    db.exec(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
         version INTEGER PRIMARY KEY,
         applied_at TEXT NOT NULL
       ) STRICT`,
    );
    const current = currentSchemaVersion(db);
    if (current > newest) throw new SchemaTooNewError(current, newest);
    const record = db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)');
    const applied: number[] = [];
    for (const migration of migrations) {
      if (migration.version <= current) continue;
      db.exec(migration.sql);
      record.run(migration.version, new Date().toISOString());
      applied.push(migration.version);
    }
    return applied;
  });
  return migrate.immediate();
}

export function currentSchemaVersion(db: Database.Database): number {
  const row = db.prepare('SELECT MAX(version) AS version FROM schema_migrations').get() as
    { version: number | null } | undefined;
  return row?.version ?? 0;
}

function assertOrdered(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    const previous = index === 0 ? 0 : migrations[index - 1]!.version;
    if (!Number.isInteger(migration.version) || migration.version <= previous) {
      throw new Error(`Migrations must have strictly increasing integer versions (at ${index})`);
    }
  });
}
