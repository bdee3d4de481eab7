import assert from 'node:assert/strict';
import { REAL_TENANT_BEHAVIOUR, type EmulatorOptions } from '../../src/emulator/api';
import { requiredPermissions } from '../../src/intune/permissions';
import { unsignedJwt } from '../readiness/support';
import { personalChat } from '../support/teamsActivities';
import {
  cardOf,
  cardText,
  DEMO_TENANT,
  executeActions,
  PEOPLE,
  TeamsHarness,
} from '../support/teamsHarness';

const ALL_AT_ONCE: EmulatorOptions = { ...REAL_TENANT_BEHAVIOUR };

/** Exactly what README.md lists for GRAPH_AUTH=app. */
const README_PERMISSIONS = requiredPermissions('app').map((p) => p.name);
const SERIAL = 'RM1104A7K2Q9';
const DEVICE_NAME = 'Lumia 950';
const DEVICE_ID = DEMO_TENANT.devices.alexLumia950;

/**
 * The emulator switches that make it behave like a real tenant, one at a time and all at
 * once: every run enforces exactly the README's permissions, read from the app's token.
 */
const SWITCHES: Record<string, EmulatorOptions> = {
  'permissions only': {},
  'list rows differ from the single GET': { listRowsDiffer: true },
  'passcode only on beta': { passcodeOnlyOnBeta: true },
  'PIN recovery by Settings Catalog': { pinRecovery: 'settingsCatalog' },
  'PIN recovery by Identity Protection': { pinRecovery: 'identityProtection' },
  'masked OMA values': { maskOmaValues: true },
  'all at once': { ...ALL_AT_ONCE },
};

async function start(emulator: EmulatorOptions, roles = README_PERMISSIONS): Promise<TeamsHarness> {
  return TeamsHarness.start({
    emulator: { ...emulator, permissions: 'token' },
    graphToken: unsignedJwt({ roles, tid: DEMO_TENANT.tenantId }),
  });
}

describe('bot on a tenant that behaves like real Graph (emulator switches, README permissions)', function () {
  this.timeout(60_000);

  for (const [name, options] of Object.entries(SWITCHES)) {
    describe(name, () => {
      let h: TeamsHarness;
      before(async () => {
        h = await start(options);
      });
      after(async () => {
        await h?.close();
      });
      const place = personalChat(PEOPLE.megan);
      const say = async (text: string) => {
        const replies = await h.say(h.activities.message(PEOPLE.megan, place, text));
        return replies.map((r) => cardText(cardOf(r))).join('\n');
      };

      it('search, pick, confirm, passcode privately, status, show passcode, check setup all work', async () => {
        const replies = await h.say(h.activities.message(PEOPLE.megan, place, `reset ${SERIAL}`));
        const results = cardOf(replies[0]);
        const messageId = h.connector.lastMessageId(place.conversationId);
        assert.ok(messageId);
        const pick = executeActions(results).find((a) => a.verb === 'pick');
        assert.ok(pick, cardText(results));
        const confirmCard = await h.invokeCard(
          h.activities.invoke(PEOPLE.megan, place, 'pick', pick.data, messageId),
        );
        const confirm = executeActions(confirmCard).find((a) => a.verb === 'confirm');
        assert.ok(confirm, cardText(confirmCard));
        const before = h.connector.sentTo(place.conversationId).length;
        await h.invokeCard(
          h.activities.invoke(PEOPLE.megan, place, 'confirm', confirm.data, messageId),
        );
        const passcodeSent = () =>
          h.connector
            .sentTo(place.conversationId)
            .slice(before)
            .some((a) => /New passcode for/.test(cardText(cardOf(a))));
        await h.connector.waitFor(passcodeSent, 30_000, 'the passcode in the 1:1 chat');
        assert.equal(h.emulator.resetCalls(DEVICE_ID), 1);

        assert.match(await say('status'), new RegExp(DEVICE_NAME));
        const shown = h.connector.sentTo(place.conversationId).length;
        await say(`show passcode ${DEVICE_NAME}`);
        await h.connector.waitFor(
          () =>
            h.connector
              .sentTo(place.conversationId)
              .slice(shown)
              .some((a) => /Sent again: passcode for/.test(cardText(cardOf(a)))),
          10_000,
          'the passcode shown again',
        );

        const setup = await say('check setup');
        assert.match(setup, /Everything is in place\./, setup);
        // Every platform is on by default: Windows 10 Mobile's four and the Android
        // Enterprise and AOSP passcode policies (read with the same README permissions).
        assert.equal((setup.match(/✅ Passed/g) ?? []).length, 6, setup);
        assert.doesNotMatch(setup, /Needs fixing/, setup);
        for (const permission of README_PERMISSIONS) assert.ok(setup.includes(permission), setup);
      });
    });
  }

  it('a device its list row cannot decide is pickable, and refused at Pick with the reason', async () => {
    const h = await start(ALL_AT_ONCE);
    try {
      const place = personalChat(PEOPLE.megan);
      const replies = await h.say(h.activities.message(PEOPLE.megan, place, 'reset RM984J7F2G5'));
      const results = cardOf(replies[0]);
      assert.match(cardText(results), /Johanna Lumia 830[\s\S]*Checked when you pick it/);
      const pick = executeActions(results).find((a) => a.verb === 'pick');
      assert.ok(pick, cardText(results));
      const messageId = h.connector.lastMessageId(place.conversationId);
      assert.ok(messageId);
      const refused = cardText(
        await h.invokeCard(h.activities.invoke(PEOPLE.megan, place, 'pick', pick.data, messageId)),
      );
      assert.match(
        refused,
        /can't have its passcode reset\. No: the device needs Creators Update \(10\.0\.15063\) or later\./,
      );
    } finally {
      await h.close();
    }
  });

  it('done without a passcode on either version: the requester is told it is done and where to see it, never "sent"', async () => {
    const h = await start(ALL_AT_ONCE);
    try {
      // Beta answers nothing: v1.0 has no passcode (passcodeOnlyOnBeta), so none can be had.
      h.emulator.fault(
        1000,
        503,
        /^\/beta\/deviceManagement\/managedDevices\/[^/?]+\?\$select=deviceActionResults/,
      );
      const place = personalChat(PEOPLE.megan);
      const replies = await h.say(h.activities.message(PEOPLE.megan, place, `reset ${SERIAL}`));
      const messageId = h.connector.lastMessageId(place.conversationId);
      assert.ok(messageId);
      const pick = executeActions(cardOf(replies[0])).find((a) => a.verb === 'pick');
      assert.ok(pick);
      const confirmCard = await h.invokeCard(
        h.activities.invoke(PEOPLE.megan, place, 'pick', pick.data, messageId),
      );
      const confirm = executeActions(confirmCard).find((a) => a.verb === 'confirm');
      assert.ok(confirm);
      await h.invokeCard(
        h.activities.invoke(PEOPLE.megan, place, 'confirm', confirm.data, messageId),
      );
      const told = () =>
        h.connector
          .sentTo(place.conversationId)
          .map((a) => JSON.stringify(cardOf(a)))
          .find((c) => /Intune gave me no passcode/.test(c));
      await h.connector.waitFor(() => told() !== undefined, 60_000, 'the requester told');
      const card = told()!;
      assert.match(card, /Intune admin center/);
      assert.match(card, new RegExp(`mdmDeviceId/${DEVICE_ID}`));
      assert.ok(
        !h.connector
          .sentTo(place.conversationId)
          .some((a) => /New passcode for/.test(cardText(cardOf(a)))),
        'never a passcode card',
      );
      assert.ok(h.logs.some((l) => l.includes('gives no passcode (v1.0 nor beta)')));
      const audit = await h.app.stores.audit.recent(20);
      assert.ok(
        audit.some((e) => e.action === 'deliver' && e.outcome === 'passcodeUnavailable'),
        JSON.stringify(audit),
      );
      assert.ok(!audit.some((e) => e.action === 'deliver' && e.outcome === 'sent'));
      const again = await h.say(
        h.activities.message(PEOPLE.megan, place, `show passcode ${DEVICE_NAME}`),
      );
      assert.match(cardText(cardOf(again[0])), /gives me no passcode to show[\s\S]*admin center/);
    } finally {
      await h.close();
    }
  });

  describe('one README permission removed', () => {
    const without = (name: string) => README_PERMISSIONS.filter((p) => p !== name);

    it('User.Read.All: technicians get a plain message, check setup names it, nothing is searched', async () => {
      const h = await start(ALL_AT_ONCE, without('User.Read.All'));
      try {
        const place = personalChat(PEOPLE.megan);
        const text = cardText(
          cardOf((await h.say(h.activities.message(PEOPLE.megan, place, `reset ${SERIAL}`)))[0]),
        );
        assert.match(text, /I lack a Microsoft Graph permission/);
        assert.doesNotMatch(text, /User\.Read\.All|403|Authorization_RequestDenied/);
        assert.ok(
          !h.emulator.requests.some((r) => r.url.includes('managedDevices')),
          'no device was read',
        );
        const log = h.logs.find((l) => l.includes('Graph refused (403)'));
        assert.ok(log, 'the refusal is logged');
        assert.match(log, /"permission":"User.Read.All \+ GroupMember.Read.All"/);
        assert.match(log, /"requestId":"[0-9a-f-]{36}"/);
      } finally {
        await h.close();
      }
    });

    it('PrivilegedOperations.All: check setup names it; the confirmed reset fails plainly and none is sent', async () => {
      const permission = 'DeviceManagementManagedDevices.PrivilegedOperations.All';
      const h = await start(ALL_AT_ONCE, without(permission));
      try {
        const place = personalChat(PEOPLE.megan);
        const setup = cardText(
          cardOf((await h.say(h.activities.message(PEOPLE.megan, place, 'check setup')))[0]),
        );
        assert.match(setup, new RegExp(`Needs fixing · ${permission.replace(/\./g, '\\.')}`));
        const replies = await h.say(h.activities.message(PEOPLE.megan, place, `reset ${SERIAL}`));
        const messageId = h.connector.lastMessageId(place.conversationId);
        assert.ok(messageId);
        const pick = executeActions(cardOf(replies[0])).find((a) => a.verb === 'pick');
        assert.ok(pick);
        const confirmCard = await h.invokeCard(
          h.activities.invoke(PEOPLE.megan, place, 'pick', pick.data, messageId),
        );
        const confirm = executeActions(confirmCard).find((a) => a.verb === 'confirm');
        assert.ok(confirm);
        await h.invokeCard(
          h.activities.invoke(PEOPLE.megan, place, 'confirm', confirm.data, messageId),
        );
        await h.connector.waitFor(
          () =>
            h.connector
              .updatesIn(place.conversationId)
              .some((u) => /I lack a Microsoft Graph permission/.test(JSON.stringify(u))),
          30_000,
          'the failure on the card',
        );
        assert.equal(h.emulator.resetCalls(DEVICE_ID), 0, 'no reset was sent');
      } finally {
        await h.close();
      }
    });
  });
});
