import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'restify';
import { createAdapter } from '../../src/bot/adapter';
import { createBot } from '../../src/bot/createBot';
import { DocumentStoreBotStorage } from '../../src/bot/storageAdapter';
import type { AuditEntry } from '../../src/domain/ports/audit';
import type { Desk } from '../../src/domain/desk/desk';
import { createLogger } from '../../src/logger';
import { closeServer, createServer, listen } from '../../src/server';
import type { Stores } from '../../src/domain/ports/storage';
import { openSqliteStores } from '../../src/store/sqlite/openSqliteStores';
import { ConnectorStandIn } from '../support/connectorStandIn';
import { groupChat, personalChat, TeamsActivities, teamsUser } from '../support/teamsActivities';
import { cardOf, cardText } from '../support/teamsHarness';

/** A Desk whose every answer is an exception (a bug or an outage the domain did not expect). */
function explodingDesk(calls: string[]): Desk {
  return new Proxy({} as Desk, {
    get: (_target, name) =>
      // The tenant gate is a synchronous rule, not a call into the failing domain.
      name === 'acceptsTenant'
        ? () => true
        : async () => {
            calls.push(String(name));
            throw new Error('database exploded at /srv/secret-path');
          },
  });
}

describe('bot: failures inside a turn', function () {
  this.timeout(20_000);
  const calls: string[] = [];
  const logs: string[] = [];
  const user = teamsUser('0c3b2a91-4f5e-4d6c-8b7a-000000000002', 'Megan Bowen');
  let connector: ConnectorStandIn;
  let server: Server;
  let url: string;
  let stores: Stores<AuditEntry>;
  let dataDir: string;
  let activities: TeamsActivities;

  before(async () => {
    connector = await ConnectorStandIn.start();
    dataDir = await mkdtemp(join(tmpdir(), 'passcode-desk-bot-errors-'));
    stores = openSqliteStores<AuditEntry>(dataDir);
    const logger = createLogger('debug', { write: (line: string) => void logs.push(line) });
    const adapter = createAdapter(
      { MicrosoftAppType: 'MultiTenant' } as Parameters<typeof createAdapter>[0],
      logger,
    );
    const { bot } = createBot({
      desk: explodingDesk(calls),
      documents: stores.documents,
      storage: new DocumentStoreBotStorage(stores.documents),
      settings: { passcodeVisibleMinutes: 10, resetTimeoutMinutes: 4320 },
      logger,
    });
    server = createServer({
      processMessage: (req, res) => adapter.process(req, res, (context) => bot.run(context)),
      readiness: [],
      logger,
    });
    url = await listen(server, 0, '127.0.0.1');
    activities = new TeamsActivities(connector.url, '8f4e7a1c-2b3d-4e5f-9a6b-7c8d9e0f1a2b');
  });

  after(async () => {
    await closeServer(server);
    await connector.close();
    await stores.documents.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const post = async (activity: unknown) => {
    const response = await fetch(`${url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
    });
    return { status: response.status, body: await response.text() };
  };

  it('answers a message with a generic, localized error card and no internals, and logs what failed', async () => {
    const place = groupChat();
    const result = await post(activities.message(user, place, 'reset lumia'));
    assert.ok(result.status < 300, `HTTP ${result.status}`);
    assert.deepEqual(calls, ['search']);
    const sent = connector.sentTo(place.conversationId);
    assert.equal(sent.length, 1);
    const text = cardText(cardOf(sent[0]));
    assert.match(text, /Something went wrong on my side\. Try again in a moment/);
    assert.doesNotMatch(JSON.stringify(sent[0]), /exploded|secret-path|at .*\.js/);
    assert.ok(
      logs.some(
        (line) =>
          line.includes('Unhandled error in a bot turn') && line.includes('database exploded'),
      ),
    );
    assert.ok(!logs.some((line) => line.includes('reset lumia')), 'the message text is not logged');

    const zhPlace = personalChat(user);
    await post(activities.message(user, zhPlace, '狀態', { locale: 'zh-TW' }));
    assert.match(
      cardText(cardOf(connector.sentTo(zhPlace.conversationId)[0])),
      /系統發生錯誤，請稍後再試/,
    );
  });

  it('answers a card action with a generic error card instead of failing the invoke', async () => {
    const result = await post(
      activities.invoke(
        user,
        personalChat(user),
        'pick',
        { pickId: 'AAAAAAAAAAAAAAAAAAAAAA' },
        'm-1',
      ),
    );
    assert.equal(result.status, 200);
    const body = JSON.parse(result.body) as { statusCode: number; type: string; value: unknown };
    assert.equal(body.statusCode, 200);
    assert.equal(body.type, 'application/vnd.microsoft.card.adaptive');
    assert.match(cardText(body.value), /Something went wrong/);
    assert.doesNotMatch(result.body, /exploded|secret-path/);
  });

  it('keeps serving after failures', async () => {
    const place = personalChat(user);
    const before = connector.sentTo(place.conversationId).length;
    await post(activities.message(user, place, 'help'));
    const sent = connector.sentTo(place.conversationId).slice(before);
    assert.match(cardText(cardOf(sent[0])), /What I can do/);
  });
});
