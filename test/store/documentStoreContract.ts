import assert from 'node:assert/strict';
import type { AuditEntry } from '../../src/domain/ports/audit';
import {
  ConcurrencyError,
  PasscodeRefusedError,
  type Stores,
} from '../../src/domain/ports/storage';

export interface ContractSubject {
  stores: Stores<AuditEntry>;
  cleanup: () => Promise<void>;
  /** A second, independent instance on the same backing store (another bot instance). */
  peer?: Stores<AuditEntry>;
  /** Tries to change a stored audit entry by going around the port; must reject. */
  tamperWithAudit?: () => Promise<void>;
}

const C = 'contract';

export function auditEntry(n: number, overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    at: new Date(Date.UTC(2025, 0, 1, 0, 0, n)).toISOString(),
    action: 'search',
    actorId: `actor-${n}`,
    outcome: 'ok',
    detail: `entry #${n}`,
    ...overrides,
  };
}

async function collect<E>(iterable: AsyncIterable<E>): Promise<E[]> {
  const out: E[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

/** The behaviour every DocumentStore + AuditLog engine must share. */
export function describeDocumentStoreContract(
  name: string,
  open: () => Promise<ContractSubject>,
): void {
  describe(`${name}: storage contract`, function () {
    let subject: ContractSubject;
    let stores: Stores<AuditEntry>;

    beforeEach(async function () {
      subject = await open();
      stores = subject.stores;
    });

    afterEach(async function () {
      await subject.cleanup();
    });

    describe('documents', function () {
      it('returns undefined for a key never written', async function () {
        assert.equal(await stores.documents.get(C, 'missing'), undefined);
      });

      it('puts and gets a value with the ETag put returned', async function () {
        const etag = await stores.documents.put(C, 'a', { n: 1, nested: { list: [1, 'two'] } });
        assert.equal(typeof etag, 'string');
        assert.notEqual(etag, '');
        assert.deepEqual(await stores.documents.get(C, 'a'), {
          key: 'a',
          etag,
          value: { n: 1, nested: { list: [1, 'two'] } },
        });
      });

      it('overwrites without conditions and gives every write a new ETag', async function () {
        const first = await stores.documents.put(C, 'a', { n: 1 });
        const second = await stores.documents.put(C, 'a', { n: 2 });
        const third = await stores.documents.put(C, 'a', { n: 2 });
        assert.equal(new Set([first, second, third]).size, 3);
        const stored = await stores.documents.get<{ n: number }>(C, 'a');
        assert.equal(stored?.value.n, 2);
        assert.equal(stored?.etag, third);
      });

      it('deletes: true when something was deleted, false after', async function () {
        await stores.documents.put(C, 'a', { n: 1 });
        assert.equal(await stores.documents.delete(C, 'a'), true);
        assert.equal(await stores.documents.get(C, 'a'), undefined);
        assert.equal(await stores.documents.delete(C, 'a'), false);
      });

      it('keeps collections apart and lists one in key order', async function () {
        await stores.documents.put(C, 'b', 2);
        await stores.documents.put(C, 'a', 1);
        await stores.documents.put(`${C}-other`, 'a', 'other');
        await stores.documents.put('x', 'a', 'x');
        const listed = await stores.documents.list<number>(C);
        assert.deepEqual(
          listed.map((doc) => [doc.key, doc.value]),
          [
            ['a', 1],
            ['b', 2],
          ],
        );
        const direct = await stores.documents.get(C, 'a');
        assert.equal(listed[0]?.etag, direct?.etag);
        assert.deepEqual(await stores.documents.list('empty-collection'), []);
      });

      it('lists by prefix, including keys that continue with non-ASCII or emoji', async function () {
        const keys = ['job:1', 'job:2', 'job:é', 'job:😀', 'job;1', 'jo', 'pending:1', 'JOB:1'];
        for (const key of keys) await stores.documents.put(C, key, key);
        const listed = await stores.documents.list<string>(C, { prefix: 'job:' });
        assert.deepEqual(
          listed.map((doc) => doc.key),
          ['job:1', 'job:2', 'job:é', 'job:😀'],
        );
        assert.deepEqual(
          listed.map((doc) => doc.value),
          listed.map((doc) => doc.key),
        );
        assert.deepEqual(await stores.documents.list(C, { prefix: 'nothing' }), []);
        assert.equal((await stores.documents.list(C, { prefix: '' })).length, keys.length);
      });

      it('treats SQL LIKE wildcards in a prefix literally', async function () {
        for (const key of ['a%1', 'a_1', 'ab1', 'a\\1']) await stores.documents.put(C, key, key);
        assert.deepEqual(
          (await stores.documents.list(C, { prefix: 'a%' })).map((d) => d.key),
          ['a%1'],
        );
        assert.deepEqual(
          (await stores.documents.list(C, { prefix: 'a_' })).map((d) => d.key),
          ['a_1'],
        );
        assert.deepEqual(
          (await stores.documents.list(C, { prefix: 'a\\' })).map((d) => d.key),
          ['a\\1'],
        );
      });

      it('writes with ifMatch when the ETag is current', async function () {
        const first = await stores.documents.put(C, 'a', { n: 1 });
        const second = await stores.documents.put(C, 'a', { n: 2 }, { ifMatch: first });
        assert.notEqual(second, first);
        assert.deepEqual(await stores.documents.get(C, 'a'), {
          key: 'a',
          etag: second,
          value: { n: 2 },
        });
      });

      it('refuses ifMatch with a stale ETag and keeps the stored value', async function () {
        const first = await stores.documents.put(C, 'a', { n: 1 });
        const second = await stores.documents.put(C, 'a', { n: 2 });
        await assert.rejects(
          stores.documents.put(C, 'a', { n: 3 }, { ifMatch: first }),
          (error: unknown) =>
            error instanceof ConcurrencyError && error.collection === C && error.key === 'a',
        );
        assert.deepEqual(await stores.documents.get(C, 'a'), {
          key: 'a',
          etag: second,
          value: { n: 2 },
        });
      });

      it('refuses ifMatch on a key that does not exist', async function () {
        const etag = await stores.documents.put(C, 'a', 1);
        await stores.documents.delete(C, 'a');
        await assert.rejects(stores.documents.put(C, 'a', 2, { ifMatch: etag }), ConcurrencyError);
        assert.equal(await stores.documents.get(C, 'a'), undefined);
      });

      it("creates with ifNoneMatch:'*' only when nothing is stored", async function () {
        const created = await stores.documents.put(C, 'a', 'first', { ifNoneMatch: '*' });
        await assert.rejects(
          stores.documents.put(C, 'a', 'second', { ifNoneMatch: '*' }),
          ConcurrencyError,
        );
        assert.deepEqual(await stores.documents.get(C, 'a'), {
          key: 'a',
          etag: created,
          value: 'first',
        });
      });

      it('rejects ifMatch together with ifNoneMatch as a caller error', async function () {
        await assert.rejects(
          stores.documents.put(C, 'a', 1, { ifMatch: 'x', ifNoneMatch: '*' }),
          TypeError,
        );
        assert.equal(await stores.documents.get(C, 'a'), undefined);
      });

      it('rejects an empty ifMatch instead of writing unconditionally', async function () {
        await stores.documents.put(C, 'a', 1);
        await assert.rejects(stores.documents.put(C, 'a', 2, { ifMatch: '' }), TypeError);
        await assert.rejects(stores.documents.delete(C, 'a', { ifMatch: '' }), TypeError);
        assert.equal((await stores.documents.get(C, 'a'))?.value, 1);
      });

      it('lets exactly one of two concurrent conditional writers win', async function () {
        const other = subject.peer ?? stores;
        const base = await stores.documents.put(C, 'job', { owner: 'nobody' });
        const results = await Promise.allSettled([
          stores.documents.put(C, 'job', { owner: 'one' }, { ifMatch: base }),
          other.documents.put(C, 'job', { owner: 'two' }, { ifMatch: base }),
        ]);
        const won = results.filter((r) => r.status === 'fulfilled');
        const lost = results.filter((r) => r.status === 'rejected');
        assert.equal(won.length, 1);
        assert.equal(lost.length, 1);
        assert.ok(lost[0]?.status === 'rejected' && lost[0].reason instanceof ConcurrencyError);
        const winner = results[0]?.status === 'fulfilled' ? 'one' : 'two';
        const stored = await other.documents.get<{ owner: string }>(C, 'job');
        assert.equal(stored?.value.owner, winner);
        assert.equal(stored?.etag, won[0]?.status === 'fulfilled' ? won[0].value : undefined);
      });

      it('lets exactly one of two concurrent creators win', async function () {
        const other = subject.peer ?? stores;
        const results = await Promise.allSettled([
          stores.documents.put(C, 'lease', 'one', { ifNoneMatch: '*' }),
          other.documents.put(C, 'lease', 'two', { ifNoneMatch: '*' }),
        ]);
        assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
        const rejected = results.find((r) => r.status === 'rejected');
        assert.ok(rejected?.status === 'rejected' && rejected.reason instanceof ConcurrencyError);
        const winner = results[0]?.status === 'fulfilled' ? 'one' : 'two';
        assert.equal((await stores.documents.get(C, 'lease'))?.value, winner);
      });

      it('deletes with ifMatch only when the ETag is current', async function () {
        const first = await stores.documents.put(C, 'a', 1);
        const second = await stores.documents.put(C, 'a', 2);
        await assert.rejects(stores.documents.delete(C, 'a', { ifMatch: first }), ConcurrencyError);
        assert.equal((await stores.documents.get(C, 'a'))?.value, 2);
        assert.equal(await stores.documents.delete(C, 'a', { ifMatch: second }), true);
        assert.equal(await stores.documents.get(C, 'a'), undefined);
        // The caller's version is gone: that is a failed condition, not "nothing to do".
        await assert.rejects(
          stores.documents.delete(C, 'a', { ifMatch: second }),
          ConcurrencyError,
        );
      });

      it('round-trips unicode keys and values (CJK, emoji, quotes, slashes)', async function () {
        const keys = [
          '裝置/重設密碼',
          'emoji 😀👍🏽',
          `quotes "double" 'single'`,
          'slash/in/the/key',
          '../../escape',
          'back\\slash',
          'percent%20and+plus',
          'query?hash#amp&',
          ' leading and trailing ',
        ];
        for (const [i, key] of keys.entries()) {
          await stores.documents.put(C, key, { i, text: `值 ${key} — "引號" 🔐`, key });
        }
        for (const [i, key] of keys.entries()) {
          const stored = await stores.documents.get<{ i: number; text: string; key: string }>(
            C,
            key,
          );
          assert.deepEqual(stored?.value, { i, text: `值 ${key} — "引號" 🔐`, key });
          assert.equal(stored?.key, key);
        }
        const listed = (await stores.documents.list(C)).map((doc) => doc.key);
        assert.deepEqual([...listed].sort(), [...keys].sort());
        assert.deepEqual(
          (await stores.documents.list(C, { prefix: '裝置/' })).map((doc) => doc.key),
          ['裝置/重設密碼'],
        );
      });

      it('round-trips a large value (~200 KB)', async function () {
        const value = {
          rows: Array.from({ length: 2000 }, (_, i) => ({ i, text: `裝置 ${i} `.padEnd(90, 'x') })),
        };
        assert.ok(JSON.stringify(value).length > 200_000);
        const etag = await stores.documents.put(C, 'large', value);
        assert.deepEqual(await stores.documents.get(C, 'large'), { key: 'large', etag, value });
      });

      it('refuses to store a passcode, at any depth, and stores nothing', async function () {
        const secret = '837261';
        for (const value of [
          { passcode: secret },
          { job: { delivery: { passcode: secret } } },
          [{ Passcode: secret }],
        ]) {
          await assert.rejects(
            stores.documents.put(C, 'leak', value),
            (error: unknown) =>
              error instanceof PasscodeRefusedError && !String(error.message).includes(secret),
          );
        }
        assert.equal(await stores.documents.get(C, 'leak'), undefined);
        // Empty or absent passcodes and look-alike names are fine.
        await stores.documents.put(C, 'ok', { passcode: '', passcodeHidden: true, note: secret });
        assert.deepEqual((await stores.documents.get(C, 'ok'))?.value, {
          passcode: '',
          passcodeHidden: true,
          note: secret,
        });
      });

      it('answers ping', async function () {
        await stores.documents.ping();
      });
    });

    describe('audit', function () {
      it('is empty at first', async function () {
        assert.deepEqual(await stores.audit.recent(10), []);
        assert.deepEqual(await collect(stores.audit.all()), []);
      });

      it('returns recent entries newest first and all entries oldest first', async function () {
        const entries = [1, 2, 3, 4].map((n) => auditEntry(n));
        for (const entry of entries) await stores.audit.append(entry);
        assert.deepEqual(await stores.audit.recent(2), [entries[3], entries[2]]);
        assert.deepEqual(await stores.audit.recent(10), [...entries].reverse());
        assert.deepEqual(await stores.audit.recent(0), []);
        assert.deepEqual(await collect(stores.audit.all()), entries);
      });

      it('keeps append order, not the order of the entries own timestamps', async function () {
        const late = auditEntry(50);
        const early = auditEntry(1);
        await stores.audit.append(late);
        await stores.audit.append(early);
        assert.deepEqual(await collect(stores.audit.all()), [late, early]);
        assert.deepEqual(await stores.audit.recent(1), [early]);
      });

      it('sees entries appended by another instance', async function () {
        const other = subject.peer ?? stores;
        await stores.audit.append(auditEntry(1));
        await other.audit.append(auditEntry(2, { action: 'confirm' }));
        await stores.audit.append(auditEntry(3));
        assert.deepEqual(
          (await collect(stores.audit.all())).map((e) => e.detail),
          ['entry #1', 'entry #2', 'entry #3'],
        );
      });

      it('round-trips unicode and every optional field', async function () {
        const entry: AuditEntry = {
          at: '2025-03-04T05:06:07.000Z',
          action: 'refused',
          actorId: '9f1c',
          actorUpn: '王小明@contoso.com',
          tenantId: 't-1',
          deviceId: 'd-1',
          deviceName: 'Lumia "950" / 測試 📱',
          jobId: 'j-1',
          outcome: 'notEligible',
          ticketRef: 'INC-0001',
          graphRequestId: 'r-1',
          detail: 'line one\nline two, "quoted"',
        };
        await stores.audit.append(entry);
        assert.deepEqual(await stores.audit.recent(1), [entry]);
      });

      it('keeps entries immutable', async function () {
        await stores.audit.append(auditEntry(1));
        const [read] = await stores.audit.recent(1);
        assert.ok(read);
        read.outcome = 'changed by a reader';
        assert.deepEqual(await stores.audit.recent(1), [auditEntry(1)]);
        const port = stores.audit as unknown as Record<string, unknown>;
        for (const method of ['update', 'delete', 'remove', 'clear']) {
          assert.equal(port[method], undefined, `the audit port must not offer ${method}`);
        }
        if (subject.tamperWithAudit) {
          await assert.rejects(subject.tamperWithAudit());
          assert.deepEqual(await collect(stores.audit.all()), [auditEntry(1)]);
        }
      });

      it('refuses an entry holding a passcode', async function () {
        const entry = { ...auditEntry(1), passcode: '4711' } as AuditEntry;
        await assert.rejects(stores.audit.append(entry), PasscodeRefusedError);
        assert.deepEqual(await stores.audit.recent(5), []);
      });

      it('rejects a negative or fractional limit', async function () {
        await assert.rejects(stores.audit.recent(-1), RangeError);
        await assert.rejects(stores.audit.recent(1.5), RangeError);
      });
    });
  });
}
