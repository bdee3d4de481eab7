import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditEntry } from '../../../src/domain/ports/audit';
import { lostEveryRace, writeWithEtag } from '../../../src/domain/ports/storeWrites';
import type { Stores } from '../../../src/domain/ports/storage';
import { openSqliteStores } from '../../../src/store/sqlite/openSqliteStores';

interface Counter {
  n: number;
}

describe('domain/storeWrites writeWithEtag: the one read-modify-write loop (SQLite)', () => {
  let dir: string;
  let stores: Stores<AuditEntry>;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'passcode-desk-etag-'));
    stores = openSqliteStores<AuditEntry>(dir);
  });
  afterEach(async () => {
    await stores.documents.close();
    await rm(dir, { recursive: true, force: true });
  });
  const write = (decide: Parameters<typeof writeWithEtag<Counter>>[3], attempts?: number) =>
    writeWithEtag<Counter>(stores.documents, 'counters', 'c', decide, attempts);

  it('creates an absent document, then updates it from the version read', async () => {
    const created = await write((current) => ({ n: (current?.value.n ?? 0) + 1 }));
    assert.equal(created?.value.n, 1);
    const updated = await write((current) => ({ n: (current?.value.n ?? 0) + 1 }));
    assert.equal(updated?.value.n, 2);
    assert.equal((await stores.documents.get<Counter>('counters', 'c'))?.etag, updated?.etag);
  });

  it('writes nothing when decide answers undefined', async () => {
    assert.equal(await write(() => undefined), undefined);
    assert.equal(await stores.documents.get('counters', 'c'), undefined);
  });

  it('decides again on the latest version when another writer got in between, so no increment is lost', async () => {
    await write(() => ({ n: 0 }));
    let interfered = false;
    const written = await write(async (current) => {
      if (!interfered) {
        interfered = true;
        await stores.documents.put('counters', 'c', { n: 10 });
      }
      return { n: (current?.value.n ?? 0) + 1 };
    });
    assert.equal(written?.value.n, 11);
  });

  it('throws the conflict after the given number of lost races', async () => {
    await write(() => ({ n: 0 }));
    let decisions = 0;
    const racing = write(async (current) => {
      decisions++;
      await stores.documents.put('counters', 'c', { n: decisions * 100 });
      return { n: (current?.value.n ?? 0) + 1 };
    }, 3);
    await assert.rejects(racing, (error) => lostEveryRace(error));
    assert.equal(decisions, 3);
  });
});
