import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { listenHost } from '../../src/app';
import { ConfigError } from '../../src/config';
import { silentLogger } from '../../src/logger';
import { closeServer, createServer, listen } from '../../src/server';
import type { ActivityLike } from '../support/connectorStandIn';
import {
  channelThread,
  groupChat,
  personalChat,
  type Place,
  type TeamsUser,
} from '../support/teamsActivities';
import {
  cardOf,
  cardText,
  DEMO_TENANT,
  executeActions,
  PEOPLE,
  TeamsHarness,
} from '../support/teamsHarness';

const SERIALS = {
  alexLumia950: 'RM1104A7K2Q9',
  leeLumia650: 'RM1152D2H7J3',
  christieLumia950XL: 'RM1116N6P3Q9',
};

/** The passcode TextBlock of a passcode card. */
function passcodeIn(activity: ActivityLike): string | undefined {
  const json = JSON.stringify(cardOf(activity));
  return json.match(/"text":"([^"]+)","fontType":"Monospace","size":"ExtraLarge"/)?.[1];
}

/** Every file under the data folder, as text: the SQLite database and its WAL. */
async function storedBytes(dir: string): Promise<string> {
  const names = await readdir(dir);
  const contents = await Promise.all(
    names.map((name) => readFile(join(dir, name)).then((b) => b.toString('latin1'))),
  );
  return contents.join('\n');
}

/**
 * reset <serial> → results → Pick → Confirm. Returns the confirm invoke's card, the
 * results message id (the card the Messenger updates) and the time Confirm took.
 */
async function resetThroughCards(h: TeamsHarness, user: TeamsUser, place: Place, text: string) {
  const replies = await h.say(h.activities.message(user, place, text));
  assert.equal(replies.length, 1, 'one results card');
  const results = cardOf(replies[0]);
  const picks = executeActions(results).filter((a) => a.verb === 'pick');
  assert.equal(picks.length, 1, cardText(results));
  const resultsMessageId = h.connector.lastMessageId(place.conversationId);
  assert.ok(resultsMessageId, 'the results went to the conversation');
  const confirmCard = await h.invokeCard(
    h.activities.invoke(user, place, 'pick', picks[0]!.data, resultsMessageId),
  );
  const confirm = executeActions(confirmCard).find((a) => a.verb === 'confirm');
  assert.ok(confirm, cardText(confirmCard));
  const waiting = await h.invokeCard(
    h.activities.invoke(
      user,
      place,
      'confirm',
      { ...confirm.data, ticketRef: 'INC0042' },
      resultsMessageId,
    ),
  );
  return { waiting, resultsMessageId };
}

describe('server: HTTP (restify + CloudAdapter + emulator + SQLite + connector stand-in)', function () {
  this.timeout(30_000);
  let h: TeamsHarness;

  before(async () => {
    h = await TeamsHarness.start();
  });
  after(async () => {
    await h?.close();
  });

  it('answers /healthz 200 and /readyz 200 when Intune and the store answer', async () => {
    const health = await fetch(`${h.app.url}/healthz`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { status: 'ok' });
    const ready = await fetch(`${h.app.url}/readyz`);
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), { status: 'ready' });
  });

  it('answers /readyz 503 naming Intune when Graph fails, with no secrets', async () => {
    h.emulator.fault(1, 503, /managedDevices/);
    const ready = await fetch(`${h.app.url}/readyz`);
    assert.equal(ready.status, 503);
    const body = await ready.text();
    assert.deepEqual(JSON.parse(body), { status: 'unavailable', failed: ['intune'] });
  });

  it('answers 413 to a body over 256 KB, declared or streamed', async () => {
    const big = JSON.stringify({ type: 'message', text: 'x'.repeat(300 * 1024) });
    assert.equal((await h.post(JSON.parse(big))).status, 413);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        h.messagesUrl,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      for (let i = 0; i < 30; i++) req.write(`${'y'.repeat(10 * 1024)}`);
      req.end();
    });
    assert.equal(status, 413);
  });

  it('answers 400 to malformed JSON and to a body that is no activity', async () => {
    const malformed = await fetch(h.messagesUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"type": "message",',
    });
    assert.equal(malformed.status, 400);
    const notAnObject = await fetch(h.messagesUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '"hello"',
    });
    assert.equal(notAnObject.status, 400);
  });

  it('resets from a personal chat: the card waits, then says the passcode is below, and the passcode arrives there', async () => {
    const place = personalChat(PEOPLE.megan);
    const { waiting, resultsMessageId } = await resetThroughCards(
      h,
      PEOPLE.megan,
      place,
      `reset ${SERIALS.alexLumia950}`,
    );
    assert.match(
      cardText(waiting),
      /Reset requested, waiting for the device…[\s\S]*Lumia 950[\s\S]*INC0042/,
    );
    await h.connector.waitFor(
      () => h.connector.sentTo(place.conversationId).some((a) => passcodeIn(a)),
      15_000,
      'the passcode',
    );
    assert.equal(
      h.connector.requests.filter((r) => r.kind === 'createConversation').length,
      0,
      'the 1:1 chat existed',
    );
    await h.connector.waitFor(
      () =>
        h.connector
          .updatesIn(place.conversationId)
          .some(
            (u) =>
              u.activityId === resultsMessageId &&
              u.raw.includes('The new passcode is in the message below.'),
          ),
      10_000,
      'the origin card update',
    );
    const passcode = passcodeIn(
      h.connector.sentTo(place.conversationId).find((a) => passcodeIn(a))!,
    )!;
    const result = await h.app.intune.getResetResult(DEMO_TENANT.devices.alexLumia950);
    assert.equal(passcode, result?.passcode?.reveal());

    // `show passcode` here: one message, the passcode card itself saying it is sent again,
    // a re-read of that reset; no "sent" notice after it.
    const before = h.connector.sentTo(place.conversationId).length;
    await h.say(h.activities.message(PEOPLE.megan, place, 'show passcode Lumia 950'));
    await h.connector.waitFor(
      () => h.connector.sentTo(place.conversationId).length > before,
      10_000,
      'the passcode again',
    );
    const after = h.connector.sentTo(place.conversationId).slice(before);
    assert.equal(after.length, 1, after.map((a) => cardText(cardOf(a))).join('\n---\n'));
    assert.equal(passcodeIn(after[0]!), passcode);
    const again = cardText(cardOf(after[0]));
    assert.match(again, /^Sent again: passcode for Lumia 950$/m);
    assert.match(
      again,
      /Read again from Intune: this is the passcode of your reset of .+, not a new reset\./,
    );
  });

  for (const [kind, makePlace, user, serial, deviceName] of [
    ['channel thread', () => channelThread(), PEOPLE.lee, SERIALS.leeLumia650, 'LEE-LUMIA650'],
    [
      'group chat (@mention)',
      () => groupChat(),
      PEOPLE.nestor,
      SERIALS.christieLumia950XL,
      'Lumia 950 XL',
    ],
  ] as const) {
    it(`resets from a ${kind}: the passcode reaches only a new 1:1 chat, the card says "sent privately"`, async () => {
      const place = makePlace();
      const started = h.connector.requests.length;
      const { waiting, resultsMessageId } = await resetThroughCards(
        h,
        user,
        place,
        `reset the passcode for ${serial}`,
      );
      assert.match(cardText(waiting), /Reset requested, waiting for the device…/);
      assert.deepEqual(
        (waiting.refresh as { userIds: string[] }).userIds,
        [user.id],
        'the requester gets their own view',
      );

      await h.connector.waitFor(
        () =>
          h.connector
            .updatesIn(place.conversationId)
            .some((u) => u.activityId === resultsMessageId && u.raw.includes('in a private chat')),
        20_000,
        'the origin card saying "sent privately"',
      );
      const created = h.connector.requests
        .slice(started)
        .filter((r) => r.kind === 'createConversation');
      assert.ok(created.length >= 1, 'a 1:1 chat was created');
      const createBody = created[0]!.body as {
        isGroup: boolean;
        members: Array<{ id: string }>;
        tenantId: string;
        channelData: unknown;
      };
      assert.equal(createBody.isGroup, false);
      assert.deepEqual(createBody.members, [{ id: user.id }]);
      assert.equal(createBody.tenantId, DEMO_TENANT.tenantId);
      assert.deepEqual(createBody.channelData, { tenant: { id: DEMO_TENANT.tenantId } });

      const personalId = `a:personal-${user.id}`;
      const delivered = h.connector.sentTo(personalId).filter((a) => passcodeIn(a));
      assert.ok(delivered.length >= 1, 'the passcode went to the 1:1 chat');
      const passcode = passcodeIn(delivered.at(-1)!)!;
      assert.match(
        cardText(cardOf(delivered.at(-1))),
        new RegExp(`New passcode for ${deviceName}`),
      );

      const finalUpdate = h.connector
        .updatesIn(place.conversationId)
        .filter((u) => u.activityId === resultsMessageId)
        .at(-1)!;
      assert.match(
        cardText((finalUpdate.body as ActivityLike).attachments?.[0]?.content),
        new RegExp(`The new passcode was sent to ${user.name} in a private chat\\.`),
      );

      // The passcode is in the 1:1 message and nowhere else: no group/channel request, no log, no stored byte.
      const elsewhere = h.connector.requests.filter(
        (r) => r.raw.includes(passcode) && r.conversationId !== personalId,
      );
      assert.deepEqual(
        elsewhere.map((r) => `${r.method} ${r.path}`),
        [],
      );
      assert.ok(
        !h.connector.requests.some(
          (r) => r.conversationId === place.conversationId && r.raw.includes(passcode),
        ),
      );
      assert.ok(!h.logs.some((line) => line.includes(passcode)), 'no log line holds the passcode');
      assert.ok(
        !(await storedBytes(h.config.DATA_DIR)).includes(passcode),
        'no stored byte holds the passcode',
      );
    });
  }
});

describe('server: authentication', function () {
  this.timeout(30_000);
  let h: TeamsHarness;

  before(async () => {
    h = await TeamsHarness.start({
      env: {
        MicrosoftAppId: '22222222-2222-2222-2222-222222222222',
        MicrosoftAppPassword: 'not-a-real-secret',
        MicrosoftAppType: 'SingleTenant',
        MicrosoftAppTenantId: DEMO_TENANT.tenantId,
      },
    });
  });
  after(async () => {
    await h?.close();
  });

  it('answers 401 to an activity without a Bot Framework token, and runs nothing', async () => {
    const place = personalChat(PEOPLE.megan);
    const result = await h.post(h.activities.message(PEOPLE.megan, place, 'help'));
    assert.equal(result.status, 401);
    assert.equal(h.connector.requests.length, 0);
  });

  it('answers 401 to a forged token', async () => {
    const place = personalChat(PEOPLE.megan);
    const result = await h.post(h.activities.message(PEOPLE.megan, place, 'help'), {
      authorization: 'Bearer not.a.jwt',
    });
    assert.equal(result.status, 401);
    assert.equal(h.connector.requests.length, 0);
  });

  it('still answers /healthz', async () => {
    assert.equal((await fetch(`${h.app.url}/healthz`)).status, 200);
  });
});

describe('server: listening address', () => {
  it('listens on loopback by default without an app id, and on every interface with one', () => {
    assert.equal(listenHost({ HOST: undefined, MicrosoftAppId: undefined }), '127.0.0.1');
    assert.equal(
      listenHost({ HOST: undefined, MicrosoftAppId: '22222222-2222-2222-2222-222222222222' }),
      '0.0.0.0',
    );
    assert.equal(listenHost({ HOST: '::1', MicrosoftAppId: undefined }), '::1');
  });

  it('refuses to run unauthenticated on a non-loopback address', () => {
    assert.throws(
      () => listenHost({ HOST: '0.0.0.0', MicrosoftAppId: undefined }),
      (e: unknown) => e instanceof ConfigError && e.variable === 'HOST',
    );
  });

  it('names a failing store in /readyz without its error text', async () => {
    const server = createServer({
      processMessage: async () => undefined,
      readiness: [
        { name: 'intune', ping: async () => undefined },
        {
          name: 'store',
          ping: async () => Promise.reject(new Error('password=hunter2 in a connection string')),
        },
      ],
      logger: silentLogger,
    });
    const url = await listen(server, 0, '127.0.0.1');
    try {
      const response = await fetch(`${url}/readyz`);
      assert.equal(response.status, 503);
      const body = await response.text();
      assert.deepEqual(JSON.parse(body), { status: 'unavailable', failed: ['store'] });
      assert.ok(!body.includes('hunter2'));
    } finally {
      await closeServer(server);
    }
  });
});
