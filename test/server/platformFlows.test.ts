import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ActivityLike } from '../support/connectorStandIn';
import { groupChat, type Place, type TeamsUser } from '../support/teamsActivities';
import {
  cardOf,
  cardText,
  DEMO_TENANT,
  executeActions,
  PEOPLE,
  TeamsHarness,
} from '../support/teamsHarness';

const D = DEMO_TENANT.devices;

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

/** reset <serial> → results → Pick; returns the confirm card and the results message id. */
async function pickOne(h: TeamsHarness, user: TeamsUser, place: Place, serial: string) {
  const replies = await h.say(h.activities.message(user, place, `reset ${serial}`));
  const results = cardOf(replies[0]);
  const picks = executeActions(results).filter((a) => a.verb === 'pick');
  assert.equal(picks.length, 1, cardText(results));
  const messageId = h.connector.lastMessageId(place.conversationId)!;
  const confirmCard = await h.invokeCard(
    h.activities.invoke(user, place, 'pick', picks[0]!.data, messageId),
  );
  const confirm = executeActions(confirmCard).find((a) => a.verb === 'confirm');
  assert.ok(confirm, cardText(confirmCard));
  return { confirmCard, confirm, messageId };
}

describe('server: platform rows over HTTP (Android work profile, iOS remove, refusals)', function () {
  this.timeout(60_000);
  let h: TeamsHarness;
  before(async () => {
    h = await TeamsHarness.start();
  });
  after(async () => {
    await h?.close();
  });

  it('Android personally-owned work profile: the card names the work profile, the passcode reaches only the 1:1 chat', async () => {
    const user = PEOPLE.nestor;
    const place = groupChat();
    const personalId = `a:personal-${user.id}`;
    const { confirmCard, confirm, messageId } = await pickOne(h, user, place, '28281FDH2004QK');
    const wording = cardText(confirmCard);
    assert.match(wording, /Reset the work-profile passcode of Pixel 7 Henrietta\?/);
    assert.match(
      wording,
      /new passcode for the work profile; the device's own screen lock is not changed/,
    );
    assert.match(wording, /Only you will see the new passcode, in a private chat/);
    assert.ok(!JSON.stringify(confirmCard).includes('"Input.Toggle"'), 'no extra confirmation');

    const waiting = await h.invokeCard(
      h.activities.invoke(user, place, 'confirm', confirm.data, messageId),
    );
    assert.match(cardText(waiting), /Reset requested, waiting for the device…/);
    await h.connector.waitFor(
      () => h.connector.sentTo(personalId).some((a) => passcodeIn(a)),
      20_000,
      'the passcode in the 1:1 chat',
    );
    const passcode = passcodeIn(h.connector.sentTo(personalId).find((a) => passcodeIn(a))!)!;
    assert.match(passcode, /^\d{6,8}$/);
    await h.connector.waitFor(
      () =>
        h.connector
          .updatesIn(place.conversationId)
          .some((u) => u.activityId === messageId && u.raw.includes('in a private chat')),
      20_000,
      'the group card saying "sent privately"',
    );
    const elsewhere = h.connector.requests.filter(
      (r) => r.raw.includes(passcode) && r.conversationId !== personalId,
    );
    assert.deepEqual(
      elsewhere.map((r) => `${r.method} ${r.path}`),
      [],
    );
    assert.ok(!h.logs.some((line) => line.includes(passcode)), 'no log line holds the passcode');
    assert.ok(!(await storedBytes(h.config.DATA_DIR)).includes(passcode), 'nothing stored');
    assert.equal(h.emulator.resetCalls(D.henriettaAndroidWorkProfile), 1);
  });

  it('iOS corporate: Remove passcode asks for the extra confirmation, then sends a notice with no secret', async () => {
    const user = PEOPLE.megan;
    const place = groupChat();
    const personalId = `a:personal-${user.id}`;
    const started = h.connector.requests.length;
    const { confirmCard, confirm, messageId } = await pickOne(h, user, place, 'F2LXK3Q7N72J');
    const wording = cardText(confirmCard);
    assert.match(wording, /Remove the passcode of Megan iPhone\?/);
    assert.match(wording, /the device will have no passcode until the user sets one/);
    assert.match(wording, /There is no new passcode to send/);
    const toggle = JSON.stringify(confirmCard).match(/"type":"Input.Toggle","id":"acknowledge"/);
    assert.ok(toggle, 'the card carries the extra confirmation line');
    assert.match(wording, /stays unprotected until its user sets a new passcode/);

    // Confirm without ticking the line changes nothing.
    const refused = await h.invokeCard(
      h.activities.invoke(
        user,
        place,
        'confirm',
        { ...confirm.data, acknowledge: 'false' },
        messageId,
      ),
    );
    assert.match(cardText(refused), /tick the confirmation line/);
    assert.equal(h.emulator.resetCalls(D.meganIPhone), 0);

    const waiting = await h.invokeCard(
      h.activities.invoke(
        user,
        place,
        'confirm',
        { ...confirm.data, acknowledge: 'true' },
        messageId,
      ),
    );
    assert.match(cardText(waiting), /Reset requested, waiting for the device…/);
    await h.connector.waitFor(
      () =>
        h.connector
          .sentTo(personalId)
          .some((a) => /The passcode of Megan iPhone was removed/.test(cardText(cardOf(a)))),
      20_000,
      'the "passcode removed" notice in the 1:1 chat',
    );
    await h.connector.waitFor(
      () =>
        h.connector
          .updatesIn(place.conversationId)
          .some((u) => u.activityId === messageId && u.raw.includes('was removed')),
      20_000,
      'the group card saying the passcode was removed',
    );
    // No passcode card anywhere, and Graph indeed left none.
    const sent = h.connector.requests.slice(started);
    assert.ok(!sent.some((r) => r.raw.includes('"fontType":"Monospace"')), 'no passcode card');
    const notice = h.connector
      .sentTo(personalId)
      .find((a) => /was removed/.test(cardText(cardOf(a))))!;
    assert.match(cardText(cardOf(notice)), /has no passcode now/);
    assert.equal(h.emulator.resetCalls(D.meganIPhone), 1);

    // "show passcode" has nothing to show, and says why.
    const shown = await h.say(
      h.activities.message(user, groupChat(), 'show passcode Megan iPhone'),
    );
    assert.match(cardText(cardOf(shown[0])), /removed the passcode/);
  });

  it('refuses a device-administrator phone on Android 10 and a User Enrollment iPhone, each with its reason', async () => {
    const place = groupChat();
    const replies = await h.say(h.activities.message(PEOPLE.lee, place, 'reset ZY22DAADMIN'));
    const results = cardOf(replies[0]);
    // Device administrator shows only in beta's deviceType, which list rows lack (v1.0) or
    // garble: the row says "checked when you pick it", and Pick refuses it with the reason.
    assert.match(cardText(results), /Checked when you pick it/);
    const pick = executeActions(results).find((a) => a.verb === 'pick');
    assert.ok(pick, cardText(results));
    const refused = await h.invokeCard(
      h.activities.invoke(
        PEOPLE.lee,
        place,
        'pick',
        pick.data,
        h.connector.lastMessageId(place.conversationId)!,
      ),
    );
    assert.match(cardText(refused), /device administrator device on Android 7\.0 or later/);
    assert.equal(h.emulator.resetCalls(D.deviceAdminAndroid10), 0);

    const lidia = await h.say(
      h.activities.message(PEOPLE.lee, place, "reset Lidia's personal iPhone"),
    );
    assert.match(cardText(cardOf(lidia[0])), /Apple User Enrollment/);
  });

  it('an AOSP device without a passcode policy fails with the plain reason', async () => {
    const user = PEOPLE.lee;
    const place = groupChat();
    const personalId = `a:personal-${user.id}`;
    const before = h.connector.sentTo(personalId).length;
    const { confirmCard, confirm, messageId } = await pickOne(h, user, place, 'RW520AOSP02');
    assert.match(cardText(confirmCard), /new passcode for the device's screen lock/);
    await h.invokeCard(h.activities.invoke(user, place, 'confirm', confirm.data, messageId));
    await h.connector.waitFor(
      () => h.connector.sentTo(personalId).length > before,
      20_000,
      'the failure notice',
    );
    const text = cardText(cardOf(h.connector.sentTo(personalId)[before]));
    assert.match(text, /no passcode policy applies to this device/);
  });
});

describe('server: RESET_PLATFORMS leaves platforms out', function () {
  this.timeout(30_000);
  let h: TeamsHarness;
  before(async () => {
    h = await TeamsHarness.start({ env: { RESET_PLATFORMS: 'windows10Mobile' } });
  });
  after(async () => {
    await h?.close();
  });

  it('shows an iPhone as "not enabled here" with no Pick button, and Windows 10 Mobile as before', async () => {
    const place = groupChat();
    const iphone = cardOf(
      (await h.say(h.activities.message(PEOPLE.megan, place, 'reset F2LXK3Q7N72J')))[0],
    );
    assert.match(cardText(iphone), /iOS\/iPadOS is not enabled here/);
    assert.equal(executeActions(iphone).filter((a) => a.verb === 'pick').length, 0);
    const lumia = cardOf(
      (await h.say(h.activities.message(PEOPLE.megan, place, 'reset RM1104A7K2Q9')))[0],
    );
    assert.equal(executeActions(lumia).filter((a) => a.verb === 'pick').length, 1);
  });
});
