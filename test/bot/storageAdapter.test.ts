import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConversationState, TestAdapter, UserState } from 'botbuilder';
import { BOT_STATE_COLLECTION, DocumentStoreBotStorage } from '../../src/bot/storageAdapter';
import type { AuditEntry } from '../../src/domain/ports/audit';
import { PasscodeRefusedError, type Stores } from '../../src/domain/ports/storage';
import { openSqliteStores } from '../../src/store/sqlite/openSqliteStores';

describe('DocumentStoreBotStorage (botbuilder Storage over SQLite)', function () {
  let dir: string;
  let stores: Stores<AuditEntry>;
  let storage: DocumentStoreBotStorage;

  beforeEach(async function () {
    dir = await mkdtemp(join(tmpdir(), 'passcode-desk-botstate-'));
    stores = openSqliteStores<AuditEntry>(dir);
    storage = new DocumentStoreBotStorage(stores.documents);
  });

  afterEach(async function () {
    await stores.documents.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('reads nothing for unknown keys', async function () {
    assert.deepEqual(await storage.read(['nope', 'neither']), {});
    assert.deepEqual(await storage.read([]), {});
  });

  it('writes items and reads them back with their eTag, keeping the eTag out of the state', async function () {
    const key = 'msteams/conversations/19:abc@thread.v2/';
    await storage.write({ [key]: { count: 1, 名前: '小明 😀' }, other: { flag: true } });
    const items = await storage.read([key, 'other', 'missing']);
    assert.deepEqual(Object.keys(items).sort(), [key, 'other'].sort());
    const stored = await stores.documents.get(BOT_STATE_COLLECTION, key);
    assert.deepEqual(stored?.value, { count: 1, 名前: '小明 😀' });
    assert.deepEqual(items[key], { count: 1, 名前: '小明 😀', eTag: stored?.etag });
  });

  it("lets '*' or a missing eTag win over whatever is stored", async function () {
    await storage.write({ k: { v: 1 } });
    await storage.write({ k: { v: 2, eTag: '*' } });
    assert.equal((await storage.read(['k'])).k.v, 2);
    await storage.write({ k: { v: 3 } });
    assert.equal((await storage.read(['k'])).k.v, 3);
  });

  it('writes conditionally with a real eTag and rejects a stale one', async function () {
    await storage.write({ k: { v: 1 } });
    const first = (await storage.read(['k'])).k;
    const second = { ...first, v: 2 };
    await storage.write({ k: second });
    const current = (await storage.read(['k'])).k;
    assert.equal(current.v, 2);
    assert.notEqual(current.eTag, first.eTag);

    await assert.rejects(
      storage.write({ k: { ...first, v: 99 } }),
      (error: unknown) => error instanceof Error && /eTag conflict/.test(error.message),
    );
    assert.deepEqual((await storage.read(['k'])).k, current);
  });

  it('rejects a conditional write to an item deleted meanwhile', async function () {
    await storage.write({ k: { v: 1 } });
    const read = (await storage.read(['k'])).k;
    await storage.delete(['k']);
    await assert.rejects(storage.write({ k: { ...read, v: 2 } }), /eTag conflict/);
    assert.deepEqual(await storage.read(['k']), {});
  });

  it('deletes keys, ignoring ones that do not exist', async function () {
    await storage.write({ a: { v: 1 }, b: { v: 2 } });
    await storage.delete(['a', 'never-there']);
    assert.deepEqual(Object.keys(await storage.read(['a', 'b'])), ['b']);
  });

  it('keeps a passcode out of bot state too', async function () {
    await assert.rejects(storage.write({ k: { passcode: '123456' } }), PasscodeRefusedError);
    assert.deepEqual(await storage.read(['k']), {});
  });

  it('carries ConversationState and UserState across turns', async function () {
    const conversationState = new ConversationState(storage);
    const userState = new UserState(storage);
    const turns = conversationState.createProperty<number>('turns');
    const lastText = userState.createProperty<string>('lastText');

    const adapter = new TestAdapter(async (context) => {
      const count = (await turns.get(context, 0)) + 1;
      const previous = await lastText.get(context, 'none');
      await turns.set(context, count);
      await lastText.set(context, context.activity.text ?? '');
      await context.sendActivity(`turn ${count}, before: ${previous}`);
      await conversationState.saveChanges(context);
      await userState.saveChanges(context);
    });

    await adapter
      .send('重設 lumia')
      .assertReply('turn 1, before: none')
      .send('second')
      .assertReply('turn 2, before: 重設 lumia')
      .startTest();

    // Through a fresh read, as the next bot instance would see it.
    const stored = await stores.documents.list<Record<string, unknown>>(BOT_STATE_COLLECTION);
    const byKind = Object.fromEntries(
      stored.map((doc) => [doc.key.includes('/users/') ? 'user' : 'conversation', doc.value]),
    );
    assert.equal(stored.length, 2);
    assert.deepEqual(byKind, { conversation: { turns: 2 }, user: { lastText: 'second' } });
  });
});
