import assert from 'node:assert/strict';
import { ADMIN_CENTER_DEVICE_URL } from '../../src/bot/views/facts';
import { createIntune } from '../../src/intune/createIntune';
import type { Intune } from '../../src/domain/ports/intune';
import { silentLogger } from '../../src/logger';
import type { ActivityLike } from '../support/connectorStandIn';
import { groupChat, personalChat } from '../support/teamsActivities';
import { cardOf, cardText, DEMO_TENANT, PEOPLE, TeamsHarness } from '../support/teamsHarness';
import { waitUntil } from '../support/waitUntil';

/** Polls a condition the connector stand-in cannot announce (it is not a connector request). */
const until = (condition: () => boolean, what: string, timeoutMs = 10_000) =>
  waitUntil(condition, what, timeoutMs);

describe('server: Confirm over HTTP (restify + CloudAdapter + emulator + SQLite)', function () {
  this.timeout(30_000);

  describe('while Graph has not yet answered resetPasscode', () => {
    let h: TeamsHarness;
    let real: Intune | undefined;
    let entered = 0;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    /** The real Graph Intune, except that resetPasscode waits for the test to open the gate. */
    const gated = new Proxy({} as Intune, {
      get(_target, key: keyof Intune) {
        if (!real) throw new Error(`Intune.${String(key)} used before the test built it`);
        if (key === 'resetPasscode') {
          return async (id: string) => {
            entered += 1;
            await gate;
            return real!.resetPasscode(id);
          };
        }
        const value = real[key];
        return typeof value === 'function' ? value.bind(real) : value;
      },
    });

    before(async () => {
      h = await TeamsHarness.start({ app: { intune: gated } });
      real = createIntune(h.config, silentLogger, undefined, { maxRetries: 0 });
    });
    after(async () => {
      release();
      await h?.close();
    });

    it('answers the Confirm invoke with "waiting" at once, then sends resetPasscode exactly once', async () => {
      const device = DEMO_TENANT.devices.alexLumia950;
      const place = personalChat(PEOPLE.megan);
      const { waiting } = await h.confirmReset(PEOPLE.megan, place, 'RM1104A7K2Q9');
      // The invoke came back although the POST cannot have been answered yet.
      assert.match(cardText(waiting), /Reset requested, waiting for the device…/);
      assert.equal(h.emulator.resetCalls(device), 0);
      await until(() => entered === 1, 'the submission to start');
      assert.equal(h.emulator.resetCalls(device), 0);
      release();
      await h.connector.waitFor(
        () =>
          h.connector
            .shown(place.conversationId)
            .some((a) => JSON.stringify(a).includes('"fontType":"Monospace"')),
        15_000,
        'the passcode',
      );
      assert.equal(entered, 1);
      assert.equal(h.emulator.resetCalls(device), 1);
    });
  });

  describe('when Intune reports failed, notSupported or canceled', () => {
    let h: TeamsHarness;
    before(async () => {
      h = await TeamsHarness.start();
    });
    after(async () => {
      await h?.close();
    });

    const cases = [
      ['failed', DEMO_TENANT.devices.failingReset, 'RM1116G1X3B7', /could not apply the reset/],
      ['notSupported', DEMO_TENANT.devices.leeLumia650, 'RM1152D2H7J3', /can't reset its passcode/],
      ['canceled', DEMO_TENANT.devices.alexLumia950, 'RM1104A7K2Q9', /was canceled in Intune/],
    ] as const;
    for (const [state, device, serial, reason] of cases) {
      it(`${state}: the requester is told privately, with the reason, error code, request time and admin-center link`, async () => {
        if (state !== 'failed') h.emulator.setResetOutcome(device, { state, errorCode: 42 });
        const place = groupChat();
        const user = PEOPLE.nestor;
        const privateChat = `a:personal-${user.id}`;
        const before = h.connector.sentTo(privateChat).length;
        const { messageId } = await h.confirmReset(user, place, serial);

        await h.connector.waitFor(
          () => h.connector.sentTo(privateChat).length > before,
          20_000,
          'the private notice',
        );
        const notice: ActivityLike = h.connector.sentTo(privateChat)[before]!;
        const card = cardOf(notice);
        const text = cardText(card);
        assert.match(text, reason);
        const code =
          state === 'failed'
            ? `${DEMO_TENANT.failingResetErrorCode} \\(0x87D1041C\\): the device ran the action`
            : '42 \\(0x0000002A\\)\\n';
        assert.match(text, new RegExp(`Error code\\n${code}`));
        assert.match(text, /Requested\n\w{3} \d{1,2}, \d{4}/);
        assert.ok(JSON.stringify(card).includes(`"url":"${ADMIN_CENTER_DEVICE_URL}${device}"`));
        assert.equal(h.emulator.resetCalls(device), 1);

        // The card in the group says the same, and no passcode went anywhere.
        await h.connector.waitFor(
          () =>
            h.connector
              .updatesIn(place.conversationId)
              .some((u) => u.activityId === messageId && reason.test(u.raw)),
          10_000,
          'the group card update',
        );
        assert.ok(
          !h.connector.requests.some((r) => r.raw.includes('"fontType":"Monospace"')),
          'no passcode card was sent',
        );
      });
    }
  });
});
