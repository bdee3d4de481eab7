import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { personalChat, type TeamsUser } from '../support/teamsActivities';
import {
  cardOf,
  cardText,
  DEMO_TENANT,
  executeActions,
  PEOPLE,
  TeamsHarness,
} from '../support/teamsHarness';

/**
 * One slow Graph call holds only its own job. The emulator answers one technician's
 * resetPasscode POST 25 s late (the Graph client waits up to 30 s, as in production);
 * meanwhile another technician's confirmed reset is submitted, read and delivered.
 */
const SLOW = { id: DEMO_TENANT.devices.alexLumia950, serial: 'RM1104A7K2Q9' };
const OTHER = { id: DEMO_TENANT.devices.kioskLumia, serial: 'RM1104X8Y1Z5' };
const SLOW_POST_MS = 25_000;

async function until(predicate: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await sleep(25);
  }
}

describe('server: one slow resetPasscode POST holds only its own job', function () {
  this.timeout(90_000);
  let h: TeamsHarness;

  before(async () => {
    h = await TeamsHarness.start({ graphTimeoutMs: 30_000 });
  });
  after(async () => {
    await h?.close();
  });

  async function confirmReset(user: TeamsUser, serial: string): Promise<void> {
    const place = personalChat(user);
    const replies = await h.say(h.activities.message(user, place, `reset ${serial}`));
    const pick = executeActions(cardOf(replies[0])).find((a) => a.verb === 'pick');
    assert.ok(pick, cardText(cardOf(replies[0])));
    const messageId = h.connector.lastMessageId(place.conversationId)!;
    const confirmCard = await h.invokeCard(
      h.activities.invoke(user, place, 'pick', pick.data, messageId),
    );
    const confirm = executeActions(confirmCard).find((a) => a.verb === 'confirm');
    assert.ok(confirm, cardText(confirmCard));
    await h.invokeCard(h.activities.invoke(user, place, 'confirm', confirm.data, messageId));
  }

  const postsFor = (deviceId: string) =>
    h.emulator.requests.filter(
      (r) => r.method === 'POST' && r.url.includes(`${deviceId}/resetPasscode`),
    ).length;

  it('another technician is submitted, read and delivered while the slow POST still waits', async () => {
    h.emulator.slow(1, SLOW_POST_MS, new RegExp(`${SLOW.id}/resetPasscode`));
    await confirmReset(PEOPLE.megan, SLOW.serial);
    await until(() => postsFor(SLOW.id) === 1, 'the slow POST to start', 15_000);
    const slowStarted = Date.now();

    await confirmReset(PEOPLE.lee, OTHER.serial);
    const lee = personalChat(PEOPLE.lee).conversationId;
    // Bounds, not measurements: everything here happens while the slow POST is unanswered.
    await until(
      () => postsFor(OTHER.id) === 1,
      "the other technician's POST",
      SLOW_POST_MS - 5_000,
    );
    await until(
      () =>
        h.connector.shown(lee).some((a) => JSON.stringify(a).includes('"fontType":"Monospace"')),
      "the other technician's passcode",
      Math.max(1_000, SLOW_POST_MS - 3_000 - (Date.now() - slowStarted)),
    );
    assert.ok(Date.now() - slowStarted < SLOW_POST_MS, 'before the slow POST was answered');
    assert.equal(postsFor(SLOW.id), 1, 'the slow reset was not sent twice');

    // The slow job goes on by itself once Graph answers: submitted once, then delivered.
    const megan = personalChat(PEOPLE.megan).conversationId;
    await until(
      () =>
        h.connector.shown(megan).some((a) => JSON.stringify(a).includes('"fontType":"Monospace"')),
      'the slow reset delivered after all',
      SLOW_POST_MS + 20_000,
    );
    assert.equal(postsFor(SLOW.id), 1);
  });
});
