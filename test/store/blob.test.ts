import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import type { AuditEntry } from '../../src/domain/ports/audit';
import { BlobAuditLog } from '../../src/store/blob/blobAuditLog';
import { openBlobStores } from '../../src/store/blob/openBlobStores';
import { openStores } from '../../src/store/openStores';
import { Writable } from 'node:stream';
import { createLogger } from '../../src/logger';
import { startAzurite, type Azurite } from '../support/azurite';
import { auditEntry, describeDocumentStoreContract } from './documentStoreContract';

let azurite: Azurite | undefined;

function connectionString(): string {
  if (!azurite) throw new Error('Azurite is not running');
  return azurite.connectionString;
}

function uniqueContainerName(): string {
  return `test-${randomBytes(8).toString('hex')}`;
}

function containerClient(name: string): ContainerClient {
  return BlobServiceClient.fromConnectionString(connectionString()).getContainerClient(name);
}

describe('Azure Blob engine (Azurite)', function () {
  before(async function () {
    azurite = await startAzurite();
  });

  after(async function () {
    await azurite?.stop();
    azurite = undefined;
  });

  describeDocumentStoreContract('Azure Blob', async () => {
    const containerName = uniqueContainerName();
    const settings = { containerName, connectionString: connectionString() };
    const stores = await openBlobStores<AuditEntry>(settings);
    const peer = await openBlobStores<AuditEntry>(settings);
    return {
      stores,
      peer,
      cleanup: async () => {
        await containerClient(containerName).deleteIfExists();
      },
    };
  });

  describe('layout and engine specifics', function () {
    let containerName: string;

    beforeEach(function () {
      containerName = uniqueContainerName();
    });

    afterEach(async function () {
      await containerClient(containerName).deleteIfExists();
    });

    it('creates the container and stores documents as JSON blobs under docs/', async function () {
      const stores = await openBlobStores({ containerName, connectionString: connectionString() });
      assert.equal(await containerClient(containerName).exists(), true);
      await stores.documents.put('jobs', 'a/b 裝置', { state: 'done' });
      const names: string[] = [];
      for await (const item of containerClient(containerName).listBlobsFlat())
        names.push(item.name);
      assert.deepEqual(names, [`docs/jobs/${encodeURIComponent('a/b 裝置')}.json`]);
      const properties = await containerClient(containerName)
        .getBlobClient(names[0]!)
        .getProperties();
      assert.equal(properties.blobType, 'BlockBlob');
      assert.match(properties.contentType ?? '', /^application\/json/);
    });

    it('writes the audit as one append blob per day and reads across days', async function () {
      await openBlobStores({ containerName, connectionString: connectionString() });
      let now = new Date('2025-01-30T23:59:59Z');
      const log = new BlobAuditLog<AuditEntry>(containerClient(containerName), () => now);
      await log.append(auditEntry(1));
      await log.append(auditEntry(2));
      now = new Date('2025-01-31T00:00:01Z');
      await log.append(auditEntry(3));
      now = new Date('2025-02-02T08:00:00Z');
      await log.append(auditEntry(4));

      const blobs: { name: string; type?: string }[] = [];
      for await (const item of containerClient(containerName).listBlobsFlat()) {
        blobs.push({ name: item.name, type: item.properties.blobType });
      }
      assert.deepEqual(blobs, [
        { name: 'audit/2025-01-30.jsonl', type: 'AppendBlob' },
        { name: 'audit/2025-01-31.jsonl', type: 'AppendBlob' },
        { name: 'audit/2025-02-02.jsonl', type: 'AppendBlob' },
      ]);
      const details = (entries: AuditEntry[]) => entries.map((e) => e.detail);
      assert.deepEqual(details(await log.recent(3)), ['entry #4', 'entry #3', 'entry #2']);
      assert.deepEqual(details(await log.recent(1)), ['entry #4']);
      const all: AuditEntry[] = [];
      for await (const entry of log.all()) all.push(entry);
      assert.deepEqual(details(all), ['entry #1', 'entry #2', 'entry #3', 'entry #4']);
    });

    it('lets two instances start the same day without truncating it', async function () {
      await openBlobStores({ containerName, connectionString: connectionString() });
      const now = () => new Date('2025-05-05T10:00:00Z');
      const first = new BlobAuditLog<AuditEntry>(containerClient(containerName), now);
      const second = new BlobAuditLog<AuditEntry>(containerClient(containerName), now);
      await first.append(auditEntry(1));
      await second.append(auditEntry(2));
      await Promise.all([first.append(auditEntry(3)), second.append(auditEntry(4))]);
      const details = (await first.recent(10)).map((e) => e.detail).sort();
      assert.deepEqual(details, ['entry #1', 'entry #2', 'entry #3', 'entry #4']);
    });

    it('recreates a day blob removed behind its back', async function () {
      await openBlobStores({ containerName, connectionString: connectionString() });
      const now = () => new Date('2025-05-05T10:00:00Z');
      const log = new BlobAuditLog<AuditEntry>(containerClient(containerName), now);
      await log.append(auditEntry(1));
      await containerClient(containerName).getBlobClient('audit/2025-05-05.jsonl').delete();
      await log.append(auditEntry(2));
      assert.deepEqual(await log.recent(5), [auditEntry(2)]);
    });

    it('is what openStores opens for STORAGE=blob, and ping fails once the container is gone', async function () {
      let logged = '';
      const stores = await openStores(
        {
          STORAGE: 'blob',
          DATA_DIR: './unused',
          AZURE_STORAGE_CONNECTION_STRING: connectionString(),
          AZURE_STORAGE_ACCOUNT_URL: undefined,
          AZURE_STORAGE_CONTAINER: containerName,
          AZURE_USE_MANAGED_IDENTITY: false,
          AZURE_CLIENT_ID: undefined,
        },
        createLogger(
          'info',
          new Writable({
            write(chunk: Buffer, _encoding, callback) {
              logged += chunk.toString();
              callback();
            },
          }),
        ),
      );
      assert.match(logged, new RegExp(containerName));
      assert.doesNotMatch(logged, /AccountKey|Eby8vdM02/);
      await stores.documents.ping();
      await stores.audit.append(auditEntry(7));
      assert.deepEqual(await stores.audit.recent(1), [auditEntry(7)]);
      await containerClient(containerName).delete();
      await assert.rejects(stores.documents.ping());
      // A vanished container is an outage, never "not found" or a lost race.
      const missingContainer = (error: unknown) =>
        (error as { code?: string }).code === 'ContainerNotFound';
      await assert.rejects(stores.documents.get('c', 'k'), missingContainer);
      await assert.rejects(stores.documents.delete('c', 'k'), missingContainer);
      await assert.rejects(stores.documents.put('c', 'k', 1, { ifMatch: '"x"' }), missingContainer);
      await stores.documents.close();
    });
  });
});
