import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { startEchoBot } from '../../bench/echoBot';
import { jsonClient } from '../../bench/load';
import { startSearchFloorBot } from '../../bench/searchFloorBot';
import type { ReferenceBot } from '../../bench/botServer';
import { freePort } from '../../bench/support/ports';
import { startConnectorStandIn, type ConnectorStandIn } from '../../bench/support/connectorStandIn';
import { makeTechnician, messageActivity } from '../../bench/support/teamsActivity';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/server';

const DEMO_TENANT = '8f4e7a1c-2b3d-4e5f-9a6b-7c8d9e0f1a2b';

/** The bench's reference bots answer over real HTTP the way the tables assume. */
describe('bench: reference bots (echo, search floor)', () => {
  let standIn: ConnectorStandIn;
  let emulator: EmulatorHandle;
  let bot: ReferenceBot | undefined;

  before(async () => {
    standIn = await startConnectorStandIn();
    emulator = await startEmulator({ port: 0 });
  });
  afterEach(async () => {
    await bot?.close();
    bot = undefined;
  });
  after(async () => {
    await standIn.close();
    await emulator.close();
  });

  async function say(target: ReferenceBot, tag: string, text: string) {
    const tech = makeTechnician(0, DEMO_TENANT, tag);
    const client = jsonClient(target.url, 2);
    try {
      const answer = await client.post('/api/messages', messageActivity(tech, standIn.url, text));
      return { status: answer.status, replies: standIn.recent(tech.conversationId) };
    } finally {
      client.close();
    }
  }

  it('the echo bot answers a message with one reply through the connector', async () => {
    bot = await startEchoBot();
    const { status, replies } = await say(bot, 'ref-echo', 'reset lumia');
    assert.equal(status, 200);
    assert.equal(replies.length, 1);
    assert.equal(replies[0]?.text, 'echo: reset lumia');
  });

  it('the search floor makes one Graph request and sends the results card', async () => {
    bot = await startSearchFloorBot({
      PORT: String(await freePort()),
      GRAPH_BASE_URL: emulator.url,
      DATA_DIR: tmpdir(),
    });
    emulator.resetRequests();
    const { status, replies } = await say(bot, 'ref-floor', 'reset lumia');
    assert.equal(status, 200);
    const graphCalls = emulator.requests.filter((r) => r.url.includes('managedDevices'));
    assert.equal(graphCalls.length, 1, 'one round trip to Graph');
    const card = JSON.stringify(replies.at(-1)?.attachments ?? []);
    assert.match(card, /AdaptiveCard/);
    assert.match(card, /Lumia/i);
  });
});
