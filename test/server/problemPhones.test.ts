import assert from 'node:assert/strict';
import { ADMIN_CENTER_DEVICE_URL } from '../../src/bot/views/facts';
import { DEMO_TIMINGS } from '../../src/demo/demoSettings';
import { t } from '../../src/i18n';
import { MovableClock } from '../hostile/support/hostileHarness';
import type { ActivityLike } from '../support/connectorStandIn';
import { channelThread, personalChat, type Place } from '../support/teamsActivities';
import {
  cardOf,
  cardText,
  DEMO_TENANT,
  executeActions,
  PEOPLE,
  TeamsHarness,
} from '../support/teamsHarness';

/** A reminder may come before or after the first Graph read of the reset. */
const STILL_WAITING = ['submitted', 'pending'];

const en = (key: string, params?: Record<string, string | number>) => t('en', key, params);

const FAILING = {
  id: DEMO_TENANT.devices.failingReset,
  name: 'Isaiah Lumia 950 XL',
  owner: 'Isaiah Langer',
};
const SILENT = {
  id: DEMO_TENANT.devices.neverChecksIn,
  name: 'Warehouse Lumia 650',
  owner: 'Grady Archie',
};

/**
 * What the offline demo promises for its two problem phones, over HTTP with the demo's
 * own timings: the phone whose reset fails, and the one that never checks in, each
 * reach the requester's 1:1 chat and the helpdesk channel chosen with `notify here`
 * with the right proactive notices (device, owner, state, error code, request-id,
 * time, admin-center link). The clock is moved instead of waiting minutes.
 */
describe('server: the demo phones that fail and that never check in (proactive notices)', function () {
  this.timeout(60_000);
  const clock = new MovableClock();
  const megan = PEOPLE.megan;
  const chat = personalChat(megan);
  const channel: Place = channelThread();
  let h: TeamsHarness;

  before(async () => {
    h = await TeamsHarness.start({
      env: {
        REMINDER_AFTER_MINUTES: String(DEMO_TIMINGS.reminderAfterMinutes),
        RESET_TIMEOUT_MINUTES: String(DEMO_TIMINGS.resetTimeoutMinutes),
        PASSCODE_VISIBLE_MINUTES: String(DEMO_TIMINGS.passcodeVisibleMinutes),
      },
      emulator: { resetDelayMs: DEMO_TIMINGS.resetDelaySeconds * 100 },
      app: { clock },
    });
    const answered = await h.say(h.activities.message(PEOPLE.adele, channel, 'notify here'));
    assert.match(cardText(cardOf(answered[0])), new RegExp(escape(en('notifyHere.done'))));
  });
  after(async () => {
    await h?.close();
  });

  /** `reset <name>` → Pick → Confirm in Megan's 1:1 chat. */
  async function reset(deviceName: string): Promise<void> {
    const replies = await h.say(h.activities.message(megan, chat, `reset ${deviceName}`));
    const pick = executeActions(cardOf(replies[0])).find((a) => a.verb === 'pick');
    assert.ok(pick, cardText(cardOf(replies[0])));
    const messageId = h.connector.lastMessageId(chat.conversationId);
    assert.ok(messageId, 'the results card went to the chat');
    const confirmCard = await h.invokeCard(
      h.activities.invoke(megan, chat, 'pick', pick.data, messageId),
    );
    const confirm = executeActions(confirmCard).find((a) => a.verb === 'confirm');
    assert.ok(confirm, cardText(confirmCard));
    await h.invokeCard(h.activities.invoke(megan, chat, 'confirm', confirm.data, messageId));
  }

  /** The text of the newest card sent (not updated) to `conversationId` whose title is `title`. */
  async function noticeIn(conversationId: string, title: string): Promise<string> {
    const find = () =>
      h.connector
        .sentTo(conversationId)
        .map((a: ActivityLike) => JSON.stringify(cardOf(a)))
        .filter((json) => json.includes(JSON.stringify(title).slice(1, -1)))
        .at(-1);
    await h.connector.waitFor(() => !!find(), 20_000, `"${title}" in ${conversationId}`);
    return find()!;
  }

  /** The newest update of a card in `conversationId` to one whose title is `title`. */
  async function updatedIn(conversationId: string, title: string): Promise<string> {
    const find = () =>
      h.connector
        .updatesIn(conversationId)
        .map((r) => JSON.stringify(cardOf(r.body as ActivityLike)))
        .filter((json) => json.includes(JSON.stringify(title).slice(1, -1)))
        .at(-1);
    await h.connector.waitFor(() => !!find(), 20_000, `"${title}" updated in ${conversationId}`);
    return find()!;
  }

  /** One message per event: the 1:1 chat's origin card shows the outcome; no second card there. */
  function assertNoNewMessage(conversationId: string, title: string): void {
    const repeats = h.connector
      .sentTo(conversationId)
      .filter((a) => JSON.stringify(cardOf(a)).includes(JSON.stringify(title).slice(1, -1)));
    assert.equal(repeats.length, 0, `no second "${title}" message in the requester's chat`);
  }

  function assertNotice(
    json: string,
    device: typeof FAILING,
    states: string[],
    options: { channel: boolean; errorCode?: string },
  ): void {
    const text = cardText(JSON.parse(json));
    assert.ok(
      states.some((state) => text.includes(en(`jobState.${state}`))),
      `the notice shows the state (${states.join(' or ')}):\n${text}`,
    );
    for (const expected of [
      device.name,
      device.owner,
      en('common.requestId'),
      en('common.time'),
      ...(options.errorCode ? [en('common.errorCode'), options.errorCode] : []),
    ]) {
      assert.ok(text.includes(expected), `the notice shows ${expected}:\n${text}`);
    }
    if (!options.errorCode) {
      assert.ok(
        !text.includes(en('common.errorCode')),
        `no error code when there is none:\n${text}`,
      );
    }
    assert.ok(json.includes(`${ADMIN_CENTER_DEVICE_URL}${device.id}`), 'the admin-center link');
    if (options.channel) {
      assert.ok(text.includes(en('notification.channelIntro', { requester: megan.name })));
    }
  }

  it("a phone whose reset fails: 'failed' on the 1:1 chat's card (once) and in the helpdesk channel, with the error code", async () => {
    await reset(FAILING.name);
    const title = en('notification.failed.title', { device: FAILING.name });
    const mine = await updatedIn(chat.conversationId, title);
    assertNotice(mine, FAILING, ['failed'], { channel: false, errorCode: '-2016345060' });
    const posted = await noticeIn(channel.conversationId, title);
    assertNotice(posted, FAILING, ['failed'], { channel: true, errorCode: '-2016345060' });
    assertNoNewMessage(chat.conversationId, title);
  });

  it('a phone that never checks in: a reminder after REMINDER_AFTER_MINUTES, then a timeout, in both places', async () => {
    await reset(SILENT.name);
    await h.connector.waitFor(
      () => h.emulator.resetCalls(SILENT.id) === 1,
      10_000,
      'the reset of the silent phone',
    );
    const reminder = en('notification.stillPending.title', { device: SILENT.name });
    clock.advanceMinutes(DEMO_TIMINGS.reminderAfterMinutes + 0.1);
    assertNotice(await noticeIn(chat.conversationId, reminder), SILENT, STILL_WAITING, {
      channel: false,
    });
    assertNotice(await noticeIn(channel.conversationId, reminder), SILENT, STILL_WAITING, {
      channel: true,
    });

    const timeout = en('notification.timedOut.title', { device: SILENT.name });
    clock.advanceMinutes(DEMO_TIMINGS.resetTimeoutMinutes);
    assertNotice(await updatedIn(chat.conversationId, timeout), SILENT, ['timedOut'], {
      channel: false,
    });
    assertNotice(await noticeIn(channel.conversationId, timeout), SILENT, ['timedOut'], {
      channel: true,
    });
    assertNoNewMessage(chat.conversationId, timeout);
    assert.equal(h.emulator.resetCalls(SILENT.id), 1, 'one reset, however long it hangs');
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
