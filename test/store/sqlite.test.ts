import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { AuditEntry } from '../../src/domain/ports/audit';
import { applyMigrations, MIGRATIONS, SchemaTooNewError } from '../../src/store/sqlite/migrations';
import { openSqliteDatabase, sqliteFilePath } from '../../src/store/sqlite/openSqliteDatabase';
import { openSqliteStores } from '../../src/store/sqlite/openSqliteStores';
import { openStores } from '../../src/store/openStores';
import { silentLogger } from '../../src/logger';
import { auditEntry, describeDocumentStoreContract } from './documentStoreContract';

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'passcode-desk-sqlite-'));
}

describeDocumentStoreContract('SQLite', async () => {
  const dir = await tempDir();
  const stores = openSqliteStores<AuditEntry>(dir);
  const peer = openSqliteStores<AuditEntry>(dir);
  return {
    stores,
    peer,
    tamperWithAudit: async () => {
      const raw = new Database(sqliteFilePath(dir));
      try {
        raw.prepare("UPDATE audit SET body = '{}'").run();
      } finally {
        raw.close();
      }
    },
    cleanup: async () => {
      await stores.documents.close();
      await peer.documents.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

describe('SQLite engine', function () {
  let dir: string;

  beforeEach(async function () {
    dir = await tempDir();
  });

  afterEach(async function () {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates a missing DATA_DIR and one file in WAL mode with a busy timeout', async function () {
    const dataDir = join(dir, 'nested', 'data');
    const db = openSqliteDatabase(dataDir);
    try {
      assert.ok(existsSync(join(dataDir, 'passcode-desk.sqlite')));
      assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
      assert.ok(Number(db.pragma('busy_timeout', { simple: true })) > 0);
    } finally {
      db.close();
    }
  });

  it('is what openStores opens for STORAGE=sqlite', async function () {
    const stores = await openStores(
      {
        STORAGE: 'sqlite',
        DATA_DIR: dir,
        AZURE_STORAGE_CONNECTION_STRING: undefined,
        AZURE_STORAGE_ACCOUNT_URL: undefined,
        AZURE_STORAGE_CONTAINER: 'unused',
        AZURE_USE_MANAGED_IDENTITY: false,
        AZURE_CLIENT_ID: undefined,
      },
      silentLogger,
    );
    try {
      await stores.audit.append(auditEntry(1));
      await stores.documents.put('c', 'k', 1);
    } finally {
      await stores.documents.close();
    }
    const again = openSqliteStores<AuditEntry>(dir);
    try {
      assert.deepEqual(await again.audit.recent(5), [auditEntry(1)]);
      assert.equal((await again.documents.get('c', 'k'))?.value, 1);
    } finally {
      await again.documents.close();
    }
  });

  it('refuses UPDATE and DELETE on audit rows even through raw SQL', async function () {
    const stores = openSqliteStores<AuditEntry>(dir);
    await stores.audit.append(auditEntry(1));
    await stores.documents.close();
    const raw = new Database(sqliteFilePath(dir));
    try {
      assert.throws(() => raw.prepare("UPDATE audit SET at = 'x'").run(), /append-only/);
      assert.throws(() => raw.prepare('DELETE FROM audit').run(), /append-only/);
      const rows = raw.prepare('SELECT at, body FROM audit').all() as {
        at: string;
        body: string;
      }[];
      assert.deepEqual(rows, [{ at: auditEntry(1).at, body: JSON.stringify(auditEntry(1)) }]);
    } finally {
      raw.close();
    }
  });

  it('upgrades a version 1 database and keeps its data', async function () {
    const v1 = new Database(sqliteFilePath(dir));
    assert.deepEqual(applyMigrations(v1, MIGRATIONS.slice(0, 1)), [1]);
    v1.prepare(
      "INSERT INTO documents VALUES ('jobs', 'j1', 'etag-v1', '{\"state\":\"done\"}', '2025-01-01')",
    ).run();
    v1.prepare('INSERT INTO audit (at, body) VALUES (?, ?)').run(
      auditEntry(1).at,
      JSON.stringify(auditEntry(1)),
    );
    assert.equal(indexNames(v1).includes('audit_at'), false);
    v1.close();

    const stores = openSqliteStores<AuditEntry>(dir);
    try {
      assert.deepEqual(await stores.documents.get('jobs', 'j1'), {
        key: 'j1',
        etag: 'etag-v1',
        value: { state: 'done' },
      });
      assert.deepEqual(await stores.audit.recent(5), [auditEntry(1)]);
      // Writes after the upgrade honour the old ETag.
      await stores.documents.put('jobs', 'j1', { state: 'hidden' }, { ifMatch: 'etag-v1' });
    } finally {
      await stores.documents.close();
    }
    const upgraded = new Database(sqliteFilePath(dir));
    try {
      const versions = upgraded
        .prepare('SELECT version FROM schema_migrations ORDER BY version')
        .all();
      assert.deepEqual(
        versions,
        MIGRATIONS.map((m) => ({ version: m.version })),
      );
      assert.ok(indexNames(upgraded).includes('audit_at'));
      assert.deepEqual(applyMigrations(upgraded), []);
    } finally {
      upgraded.close();
    }
  });

  it('rolls back every pending step when one migration fails', async function () {
    const db = new Database(sqliteFilePath(dir));
    try {
      applyMigrations(db, MIGRATIONS.slice(0, 1));
      const broken = [
        ...MIGRATIONS,
        { version: 99, sql: 'CREATE TABLE half_done (x); THIS IS NOT SQL;' },
      ];
      assert.throws(() => applyMigrations(db, broken));
      const versions = db.prepare('SELECT version FROM schema_migrations').all();
      assert.deepEqual(versions, [{ version: 1 }]);
      const halfDone = db
        .prepare("SELECT name FROM sqlite_master WHERE name IN ('half_done', 'audit_at')")
        .all();
      assert.deepEqual(halfDone, []);
    } finally {
      db.close();
    }
  });

  it('refuses a database from a newer build', async function () {
    const db = new Database(sqliteFilePath(dir));
    applyMigrations(db, [...MIGRATIONS, { version: 1000, sql: 'SELECT 1;' }]);
    db.close();
    assert.throws(() => openSqliteStores(dir), SchemaTooNewError);
  });

  it('refuses migrations that are not in increasing order', async function () {
    const db = new Database(':memory:');
    try {
      assert.throws(() => applyMigrations(db, [...MIGRATIONS].reverse()), /increasing/);
    } finally {
      db.close();
    }
  });

  it('iterates a long audit oldest first across pages', async function () {
    const stores = openSqliteStores<AuditEntry>(dir);
    try {
      for (let n = 0; n < 1203; n++)
        await stores.audit.append(auditEntry(n % 60, { jobId: `j${n}` }));
      const seen: string[] = [];
      for await (const entry of stores.audit.all()) {
        seen.push(entry.jobId ?? '');
        // Other statements may run while an export is under way.
        if (seen.length === 600) await stores.documents.put('c', 'k', seen.length);
      }
      assert.deepEqual(
        seen,
        Array.from({ length: 1203 }, (_, n) => `j${n}`),
      );
    } finally {
      await stores.documents.close();
    }
  });
});

function indexNames(db: Database.Database): string[] {
  return (
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'index'").all() as { name: string }[]
  ).map((row) => row.name);
}
