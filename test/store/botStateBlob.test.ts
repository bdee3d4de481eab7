import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { TurnContext, type Activity, type BotAdapter, type StoreItems } from 'botbuilder';
import { createBotStateStorage } from '../../src/bot/botStateStorage';
import { CardViewStore, type CardView } from '../../src/bot/cardViews';
import {
  CONVERSATIONS_COLLECTION,
  ConversationDirectory,
  userKey,
  USERS_COLLECTION,
  type StoredConversation,
  type StoredUser,
} from '../../src/bot/directory';
import { readTurn } from '../../src/bot/turn';
import { DocumentStoreBotStorage } from '../../src/bot/storageAdapter';
import { loadConfig } from '../../src/config';
import { openBlobStores } from '../../src/store/blob/openBlobStores';
import { PasscodeRefusedError, type DocumentStore } from '../../src/domain/ports/storage';
import { startAzurite, type Azurite } from '../support/azurite';
import { groupChat, personalChat, TeamsActivities } from '../support/teamsActivities';
import {
  cardOf,
  cardText,
  DEMO_TENANT,
  executeActions,
  PEOPLE,
  TeamsHarness,
} from '../support/teamsHarness';

const LEE_LUMIA = { id: DEMO_TENANT.devices.leeLumia650, serial: 'RM1152D2H7J3' };

describe('STORAGE=blob: bot state in BlobsStorage, everything else in the blob engine (Azurite)', function () {
  this.timeout(60_000);
  let azurite: Azurite | undefined;

  before(async () => {
    azurite = await startAzurite();
  });
  after(async () => {
    await azurite?.stop();
    azurite = undefined;
  });

  const newContainer = () => `state-${randomBytes(6).toString('hex')}`;
  const containerClient = (name: string): ContainerClient =>
    BlobServiceClient.fromConnectionString(azurite!.connectionString).getContainerClient(name);
  const blobEnv = (container: string) => ({
    STORAGE: 'blob',
    AZURE_STORAGE_CONNECTION_STRING: azurite!.connectionString,
    AZURE_STORAGE_CONTAINER: container,
  });

  async function blobs(container: string): Promise<Map<string, string>> {
    const client = containerClient(container);
    const found = new Map<string, string>();
    for await (const item of client.listBlobsFlat()) {
      found.set(item.name, (await client.getBlobClient(item.name).downloadToBuffer()).toString());
    }
    return found;
  }

  it('runs a whole reset: prompt → results → pick → confirm → passcode in the 1:1 chat, stored nowhere', async () => {
    const container = newContainer();
    const h = await TeamsHarness.start({ env: blobEnv(container) });
    try {
      const place = personalChat(PEOPLE.lee);
      const prompt = cardText(
        cardOf((await h.say(h.activities.message(PEOPLE.lee, place, 'reset')))[0]),
      );
      assert.match(prompt, /Whose device\?/);
      // The waiting prompt is dialog state: written by BlobsStorage, at the top of the container.
      const stateBlobs = [...(await blobs(container)).keys()].filter(
        (name) => !name.startsWith('docs/') && !name.startsWith('audit/'),
      );
      assert.ok(
        stateBlobs.some((name) => name.startsWith(encodeURIComponent('msteams/'))),
        `bot state blobs: ${stateBlobs.join(', ')}`,
      );

      const results = cardOf(
        (await h.say(h.activities.message(PEOPLE.lee, place, LEE_LUMIA.serial)))[0],
      );
      const messageId = h.connector.lastMessageId(place.conversationId);
      const pick = executeActions(results).find((a) => a.verb === 'pick');
      assert.ok(pick && messageId, cardText(results));
      const confirmCard = await h.invokeCard(
        h.activities.invoke(PEOPLE.lee, place, 'pick', pick.data, messageId),
      );
      const confirm = executeActions(confirmCard).find((a) => a.verb === 'confirm');
      assert.ok(confirm);
      await h.invokeCard(
        h.activities.invoke(PEOPLE.lee, place, 'confirm', confirm.data, messageId),
      );

      const passcode = await waitForPasscode(h);
      await h.connector.waitFor(
        () => h.connector.requests.some((r) => r.raw.includes(passcode)),
        20_000,
        'the passcode delivery',
      );
      const deliveries = h.connector.requests.filter((r) => r.raw.includes(passcode));
      assert.equal(deliveries.length, 1);
      assert.equal(deliveries[0]!.conversationId, place.conversationId, 'delivered 1:1');

      const stored = await blobs(container);
      const names = [...stored.keys()];
      for (const folder of ['docs/jobs/', 'docs/conversations/', 'docs/users/', 'audit/']) {
        assert.ok(
          names.some((n) => n.startsWith(folder)),
          `nothing under ${folder}: ${names.join(', ')}`,
        );
      }
      assert.ok(!names.some((n) => n.startsWith('docs/botstate/')), 'no bot state in the engine');
      for (const [name, text] of stored) {
        assert.equal(text.includes(passcode), false, `the passcode is in ${name}`);
      }
      assert.equal(h.logs.join('\n').includes(passcode), false, 'the passcode is logged');
    } finally {
      await h.close();
      await containerClient(container).deleteIfExists();
    }
  });

  it('writes bot state with If-Match: a stale eTag is refused, a current one accepted', async () => {
    const container = newContainer();
    await containerClient(container).create();
    try {
      const config = loadConfig({ ...blobEnv(container), GRAPH_BASE_URL: 'http://127.0.0.1:9' });
      const storage = await createBotStateStorage(config, unusedDocuments);
      assert.equal(storage instanceof DocumentStoreBotStorage, false);
      const key = 'msteams/conversations/a:1/users/29:1/';
      await storage.write({ [key]: { step: 1, text: '重設 lumia', eTag: '*' } });
      const first = (await storage.read([key]))[key] as StoreItems[string];
      assert.deepEqual(
        { ...first, eTag: undefined },
        { step: 1, text: '重設 lumia', eTag: undefined },
      );
      await storage.write({ [key]: { ...first, step: 2 } });
      await assert.rejects(storage.write({ [key]: { ...first, step: 3 } }), /eTag conflict/);
      assert.equal(((await storage.read([key]))[key] as { step: number }).step, 2);
      await assert.rejects(
        storage.write({ [key]: { draft: { passcode: '12345678' } } }),
        PasscodeRefusedError,
      );
      await storage.delete([key]);
      assert.deepEqual(await storage.read([key]), {});
    } finally {
      await containerClient(container).deleteIfExists();
    }
  });

  it('two instances recording both views of one card, or welcoming one conversation, lose nothing and welcome once', async () => {
    const container = newContainer();
    const settings = { containerName: container, connectionString: azurite!.connectionString };
    const [one, two] = [await openBlobStores(settings), await openBlobStores(settings)];
    try {
      const requester = DEMO_TENANT.users.leeGu;
      const spec = (title: string): CardView => ({ kind: 'card', spec: { title } as never });
      for (let round = 0; round < 5; round++) {
        const messageId = `m-${round}`;
        await Promise.all([
          new CardViewStore(one.documents).rememberBase(
            'group:1',
            messageId,
            requester,
            spec('base'),
          ),
          new CardViewStore(two.documents).rememberRequesterView(
            'group:1',
            messageId,
            requester,
            spec('mine'),
          ),
        ]);
        const views = await new CardViewStore(one.documents).recall('group:1', messageId);
        assert.deepEqual([views?.base, views?.requester], [spec('base'), spec('mine')]);
      }

      await one.documents.put('conversations', 'group:2', {
        reference: {},
        kind: 'groupChat',
        tenantId: DEMO_TENANT.tenantId,
        locale: 'en-US',
        updatedAt: new Date().toISOString(),
      });
      const welcomed = await Promise.all([
        new ConversationDirectory(one.documents).markWelcomed('group:2'),
        new ConversationDirectory(two.documents).markWelcomed('group:2'),
        new ConversationDirectory(two.documents).markWelcomed('group:2'),
      ]);
      assert.deepEqual(welcomed.filter(Boolean), [true], 'welcomed exactly once');
    } finally {
      await containerClient(container).deleteIfExists();
    }
  });

  it('an instance remembering a conversation never drops what another wrote meanwhile (welcome mark, 1:1 chat)', async () => {
    const container = newContainer();
    const settings = { containerName: container, connectionString: azurite!.connectionString };
    const [one, two] = [await openBlobStores(settings), await openBlobStores(settings)];
    try {
      const activities = new TeamsActivities('https://smba.example/teams/', DEMO_TENANT.tenantId);
      const place = groupChat();
      const turnIn = (activity: Record<string, unknown>) => {
        const context = new TurnContext({} as BotAdapter, activity as Partial<Activity>);
        return { context, turn: readTurn(context) };
      };
      const first = turnIn(activities.message(PEOPLE.lee, place, 'help'));
      await new ConversationDirectory(one.documents).remember(first.context, first.turn);

      // Instance two reads both records, then its writes wait while instance one welcomes
      // the conversation and opens Lee's 1:1 chat (Teams announcing one install twice,
      // to two instances behind the load balancer).
      const held = holdWrites(two.documents);
      const second = turnIn(activities.message(PEOPLE.lee, place, 'status', { locale: 'zh-TW' }));
      const remembering = new ConversationDirectory(two.documents).remember(
        second.context,
        second.turn,
      );
      await held.waiting;
      const directoryOne = new ConversationDirectory(one.documents);
      assert.equal(await directoryOne.markWelcomed(first.turn.where.key), true);
      const lee = await directoryOne.getUser(DEMO_TENANT.tenantId, PEOPLE.lee.aadObjectId);
      assert.ok(lee);
      await directoryOne.rememberPersonalConversation(lee, 'c-personal-lee', {});
      held.release();
      await remembering;

      const conversation = await one.documents.get<StoredConversation>(
        CONVERSATIONS_COLLECTION,
        first.turn.where.key,
      );
      assert.ok(conversation?.value.welcomedAt, 'the welcome mark survived');
      assert.equal(conversation.value.locale, 'zh-TW', "instance two's change landed too");
      assert.equal(await directoryOne.markWelcomed(first.turn.where.key), false, 'welcomed once');
      const user = await one.documents.get<StoredUser>(
        USERS_COLLECTION,
        userKey(DEMO_TENANT.tenantId, PEOPLE.lee.aadObjectId),
      );
      assert.equal(user?.value.personalConversationKey, 'c-personal-lee', 'the 1:1 chat survived');
      assert.equal(user.value.locale, 'zh-TW');
    } finally {
      await containerClient(container).deleteIfExists();
    }
  });

  it('keeps bot state in the document store with STORAGE=sqlite', async () => {
    const config = loadConfig({ GRAPH_BASE_URL: 'http://127.0.0.1:9' });
    assert.ok(
      (await createBotStateStorage(config, unusedDocuments)) instanceof DocumentStoreBotStorage,
    );
  });
});

/** The passcode Graph holds for the device once its reset is done (read like a client would). */
async function waitForPasscode(h: TeamsHarness): Promise<string> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const response = await fetch(
      `${h.emulator.url}/v1.0/deviceManagement/managedDevices/${LEE_LUMIA.id}`,
      { headers: { Authorization: 'Bearer test' } },
    );
    const device = (await response.json()) as {
      deviceActionResults?: Array<{ actionName: string; actionState: string; passcode?: string }>;
    };
    const done = device.deviceActionResults?.find(
      (r) => r.actionName === 'resetPasscode' && r.actionState === 'done' && r.passcode,
    );
    if (done?.passcode && h.emulator.resetCalls(LEE_LUMIA.id) === 1) return done.passcode;
    if (Date.now() > deadline) throw new Error('The reset never finished in the emulator');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Holds `documents`' first put until release(): `waiting` resolves once a write is held, so
 * a test can change the store between another instance's read and its write.
 */
function holdWrites(documents: DocumentStore): { waiting: Promise<void>; release: () => void } {
  const put = documents.put.bind(documents);
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  let held = false;
  const waiting = new Promise<void>((resolve) => {
    documents.put = async (...args: Parameters<DocumentStore['put']>) => {
      if (!held) {
        held = true;
        resolve();
        await released;
      }
      return put(...args);
    };
  });
  return { waiting, release };
}

/** The blob engine's bot state never touches the document store. */
const unusedDocuments = new Proxy({} as never, {
  get: () => {
    throw new Error('the document store was used');
  },
});
