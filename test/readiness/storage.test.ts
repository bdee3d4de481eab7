import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openStores } from '../../src/store/openStores';
import type { DocumentStore } from '../../src/domain/ports/storage';
import { silentLogger } from '../../src/logger';
import { readinessText } from '../../src/readiness/messages';
import { PROBE_COLLECTION, storageItems } from '../../src/readiness/storageChecks';
import { openSqliteStores } from '../../src/store/sqlite/openSqliteStores';
import { startAzurite } from '../support/azurite';
import { tempDir, testConfig, type TempDir } from './support';

const statuses = (items: { id: string; status: string }[]) =>
  Object.fromEntries(items.map((entry) => [entry.id, entry.status]));

/** A real SQLite store with one method replaced. */
function withOverride(documents: DocumentStore, override: Partial<DocumentStore>): DocumentStore {
  return new Proxy(documents, {
    get(target, name, receiver) {
      const replaced = (override as Record<string | symbol, unknown>)[name];
      if (replaced) return replaced;
      const value: unknown = Reflect.get(target, name, receiver);
      return typeof value === 'function'
        ? (value as (...a: unknown[]) => unknown).bind(target)
        : value;
    },
  });
}

describe('checkReadiness: storage (SQLite on a temp DATA_DIR)', function () {
  let dir: TempDir;

  beforeEach(async function () {
    dir = await tempDir();
  });

  afterEach(async function () {
    await dir.remove();
  });

  const settings = () => testConfig({ DATA_DIR: dir.path });

  it('passes ping and the probe round trip, leaves nothing behind and closes what it opened', async function () {
    let opened: DocumentStore | undefined;
    const items = await storageItems(
      async () => (opened = (await openStores(settings(), silentLogger)).documents),
      settings(),
      15_000,
      [],
    );
    assert.deepEqual(statuses(items), { 'storage.reachable': 'pass', 'storage.roundTrip': 'pass' });
    // Closed by the check: a closed better-sqlite3 connection refuses work.
    await assert.rejects(opened!.ping());
    const stores = openSqliteStores(dir.path);
    try {
      assert.deepEqual(await stores.documents.list(PROBE_COLLECTION), []);
    } finally {
      await stores.documents.close();
    }
  });

  it('fails with the DATA_DIR fix when DATA_DIR is a file', async function () {
    const file = join(dir.path, 'not-a-folder');
    await writeFile(file, 'x');
    const config = testConfig({ DATA_DIR: file });
    const items = await storageItems(
      async () => (await openStores(config, silentLogger)).documents,
      config,
      15_000,
      [],
    );
    assert.deepEqual(statuses(items), { 'storage.reachable': 'fail', 'storage.roundTrip': 'skip' });
    const reachable = items[0]!;
    assert.match(reachable.detail ?? '', /^cannot open: /);
    assert.equal(reachable.fixKey, 'readiness.fix.storage.sqlite');
    assert.ok(readinessText('en', reachable.fixKey, reachable.params).includes(file));
  });

  it('fails reachability when ping throws, and still tries the round trip', async function () {
    const stores = openSqliteStores(dir.path);
    try {
      const documents = withOverride(stores.documents, {
        ping: async () => {
          throw new Error('database is locked');
        },
      });
      const items = await storageItems(documents, settings(), 15_000, []);
      assert.deepEqual(statuses(items), {
        'storage.reachable': 'fail',
        'storage.roundTrip': 'pass',
      });
      assert.equal(items[0]!.detail, 'Error: database is locked');
      // A store given (not opened) by the caller stays open.
      await stores.documents.ping();
    } finally {
      await stores.documents.close();
    }
  });

  it('fails the round trip when what was written does not come back, and cleans up', async function () {
    const stores = openSqliteStores(dir.path);
    try {
      const documents = withOverride(stores.documents, { get: async () => undefined });
      const items = await storageItems(documents, settings(), 15_000, []);
      assert.equal(statuses(items)['storage.roundTrip'], 'fail');
      assert.match(items[1]!.detail ?? '', /cannot be read back/);
      assert.deepEqual(await stores.documents.list(PROBE_COLLECTION), []);
    } finally {
      await stores.documents.close();
    }
  });

  it('fails with a timeout when the store never answers', async function () {
    const stores = openSqliteStores(dir.path);
    try {
      const documents = withOverride(stores.documents, { ping: () => new Promise<void>(() => {}) });
      const items = await storageItems(documents, settings(), 50, []);
      assert.equal(items[0]!.status, 'fail');
      assert.match(items[0]!.detail ?? '', /no answer within 50 ms/);
    } finally {
      await stores.documents.close();
    }
  });

  it('passes on Azure Blob Storage (Azurite) through the same port', async function () {
    const azurite = await startAzurite();
    try {
      const config = testConfig({
        STORAGE: 'blob',
        AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
        AZURE_STORAGE_CONTAINER: 'readiness-probe',
      });
      const items = await storageItems(
        async () => (await openStores(config, silentLogger)).documents,
        config,
        10_000,
        [azurite.connectionString],
      );
      assert.deepEqual(statuses(items), {
        'storage.reachable': 'pass',
        'storage.roundTrip': 'pass',
      });
      assert.equal(items[0]!.params.container, 'readiness-probe');
    } finally {
      await azurite.stop();
    }
  });

  it('names the blob container in the blob fix and redacts a connection string from errors', async function () {
    const connection =
      'DefaultEndpointsProtocol=https;AccountName=contoso;AccountKey=c2VjcmV0a2V5dmFsdWU=;';
    const config = testConfig({
      STORAGE: 'blob',
      AZURE_STORAGE_CONNECTION_STRING: connection,
      AZURE_STORAGE_CONTAINER: 'desk-probe',
    });
    const items = await storageItems(
      async () => {
        throw new Error(`Cannot reach the account with ${connection}`);
      },
      config,
      15_000,
      [connection],
    );
    assert.equal(items[0]!.fixKey, 'readiness.fix.storage.blob');
    assert.ok(readinessText('zh-TW', items[0]!.fixKey, items[0]!.params).includes('desk-probe'));
    assert.ok(!JSON.stringify(items).includes('c2VjcmV0a2V5dmFsdWU='));
    assert.match(items[0]!.detail ?? '', /\[redacted\]/);
  });
});
