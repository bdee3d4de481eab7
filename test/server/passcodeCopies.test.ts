import assert from 'node:assert/strict';
import type { ResetJob } from '../../src/domain/shared/job';
import { t } from '../../src/i18n';
import { MovableClock } from '../hostile/support/hostileHarness';
import { personalChat } from '../support/teamsActivities';
import { cardOf, cardText, DEMO_TENANT, PEOPLE, TeamsHarness } from '../support/teamsHarness';
import { waitUntil } from '../support/waitUntil';

/**
 * Every message that carries a passcode is hidden on time, under the faults a real
 * connector shows: a 504 after it has posted (the client posts again), a hide that fails
 * while `show passcode` wants to send another copy. The connector stand-in keeps what each
 * message of the chat shows now (posts, then the updates Teams applied), so "visible
 * copies" is what the technician would see, not what the bot thinks it sent.
 */
const ALEX_LUMIA = { id: DEMO_TENANT.devices.alexLumia950, serial: 'RM1104A7K2Q9' };
const KIOSK = {
  id: DEMO_TENANT.devices.kioskLumia,
  serial: 'RM1104X8Y1Z5',
  name: 'Lobby kiosk Lumia',
};

const until = (condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000) =>
  waitUntil(condition, what, timeoutMs);

describe('server: every copy of a passcode is hidden on time (connector faults)', function () {
  this.timeout(60_000);
  const clock = new MovableClock();
  const megan = PEOPLE.megan;
  const chat = personalChat(megan);
  let h: TeamsHarness;

  before(async () => {
    h = await TeamsHarness.start({ env: { PASSCODE_VISIBLE_MINUTES: '1' }, app: { clock } });
  });
  after(async () => {
    await h?.close();
  });

  /** The passcode Intune holds for the device once its reset is done. */
  async function passcodeOf(deviceId: string): Promise<string> {
    let passcode: string | undefined;
    await until(async () => {
      const response = await fetch(
        `${h.emulator.url}/v1.0/deviceManagement/managedDevices/${deviceId}`,
        { headers: { Authorization: 'Bearer copies-test' } },
      );
      const device = (await response.json()) as {
        deviceActionResults?: Array<{ actionName: string; actionState: string; passcode?: string }>;
      };
      const result = device.deviceActionResults?.find((r) => r.actionName === 'resetPasscode');
      passcode = result?.actionState === 'done' ? (result.passcode ?? undefined) : undefined;
      return !!passcode;
    }, 'the reset to be done in Intune');
    return passcode!;
  }

  /** The delivery state of the device's job, as stored. */
  async function deliveryOf(deviceId: string): Promise<string | undefined> {
    const jobs = await h.app.stores.documents.list<ResetJob>('jobs');
    return jobs.find((doc) => doc.value.device.id === deviceId)?.value.delivery?.state;
  }

  async function hideAttemptsOf(deviceId: string): Promise<number> {
    const jobs = await h.app.stores.documents.list<ResetJob>('jobs');
    return jobs.find((doc) => doc.value.device.id === deviceId)?.value.delivery?.hideAttempts ?? 0;
  }

  /** Messages of the chat that show `passcode` right now. */
  const visibleCopies = (passcode: string): string[] =>
    [...h.connector.shownIn(chat.conversationId)]
      .filter(([, raw]) => raw.includes(passcode))
      .map(([id]) => id);

  it('the connector answers 504 after posting (the client posts again): one visible copy, hidden on time', async () => {
    await h.confirmReset(megan, chat, ALEX_LUMIA.serial);
    // The next post into the chat reaches Teams, but the answer is lost: the client retries it.
    h.connector.fail(504, 1, 'send', { afterApplying: true });
    const passcode = await passcodeOf(ALEX_LUMIA.id);
    await until(() => visibleCopies(passcode).length > 0, 'the passcode in the chat');
    await until(async () => (await deliveryOf(ALEX_LUMIA.id)) === 'sent', 'the delivery recorded');
    assert.equal(visibleCopies(passcode).length, 1, 'exactly one visible copy');
    assert.ok(
      !h.connector.requests.some(
        (r) => (r.kind === 'send' || r.kind === 'reply') && r.raw.includes(passcode),
      ),
      'the passcode never travels in a post (a post may be repeated)',
    );

    clock.advanceMinutes(1.2);
    await until(() => visibleCopies(passcode).length === 0, 'every copy hidden');
  });

  it('show passcode while hiding the earlier copy fails: no second copy; asked again, one new copy; a failed hide at hideAt is retried', async () => {
    await h.confirmReset(megan, chat, KIOSK.serial);
    const passcode = await passcodeOf(KIOSK.id);
    await until(() => visibleCopies(passcode).length === 1, 'the delivered passcode');
    const first = visibleCopies(passcode)[0]!;

    // The hide of the delivered copy fails (Teams refuses the update once).
    h.connector.fail(403, 1, 'update', { where: (r) => r.activityId === first });
    const replies = await h.say(h.activities.message(megan, chat, `show passcode ${KIOSK.name}`));
    assert.match(
      replies.map((r) => cardText(cardOf(r)) + (r.text ?? '')).join('\n'),
      new RegExp(
        t('en', 'refusal.previousCopyVisible')
          .slice(0, 40)
          .replace(/[.?*+()[\]\\]/g, '\\$&'),
      ),
    );
    assert.deepEqual(visibleCopies(passcode), [first], 'no second copy; the first is still held');

    // Asked again, the earlier copy is hidden first and exactly one new copy is shown.
    await h.say(h.activities.message(megan, chat, `show passcode ${KIOSK.name}`));
    await until(
      () => visibleCopies(passcode).length === 1 && visibleCopies(passcode)[0] !== first,
      'the new copy',
    );
    const second = visibleCopies(passcode)[0]!;

    // At its hideAt the hide fails once; the tracker tries again after its backoff.
    h.connector.fail(403, 1, 'update', { where: (r) => r.activityId === second });
    clock.advanceMinutes(1.2);
    await until(async () => (await hideAttemptsOf(KIOSK.id)) > 0, 'the first hide attempt');
    assert.deepEqual(visibleCopies(passcode), [second], 'still held after the failed hide');
    clock.advanceMinutes(0.6);
    await until(() => visibleCopies(passcode).length === 0, 'the new copy hidden by the retry');
  });
});
