import assert from 'node:assert/strict';
import {
  groupChat,
  personalChat,
  TeamsActivities,
  type Place,
  type TeamsUser,
} from '../support/teamsActivities';
import {
  cardOf,
  cardText,
  DEMO_TENANT,
  executeActions,
  PEOPLE,
  type TeamsHarness,
} from '../support/teamsHarness';
import {
  guarded,
  MovableClock,
  recentAudit,
  resetPosts,
  startHostile,
  waitUntil,
} from './support/hostileHarness';

/**
 * Forged, malformed, foreign and replayed Action.Execute presses, through the real
 * server and handlers. A card carries only an opaque id; everything it stands for is
 * checked on the server on every press.
 */
const SECOND_TENANT = '9a9a9a9a-1b1b-4c4c-8d8d-0e0e0e0e0e0e';
const FOREIGN_TENANT = 'f0f0f0f0-0000-4000-8000-000000000bad';
const NEVER_ISSUED = 'AAAAAAAAAAAAAAAAAAAAAA';

const BAD_ACTION = /This button doesn't work any more\./;
const INVALID = /I can't use that/;
const UNKNOWN = /This button is no longer valid\./;
const NOT_YOURS = /Only the technician who started this can use this card\./;
const ALREADY_USED = /This card was already used\./;
const EXPIRED = /This card expired\./;
const TICKET_INVALID = /The ticket reference must be plain text of at most 64 characters\./;

/** Eligible devices only pressed Pick on (never reset here). */
const PICK_ONLY = { serial: 'RM1104B3M8T1', name: 'Lumia 950' };

interface DataCase {
  name: string;
  verb: string;
  data: unknown;
  answer: RegExp;
}

const DATA_CASES: DataCase[] = [
  { name: 'pickId is a number', verb: 'pick', data: { pickId: 42 }, answer: BAD_ACTION },
  {
    name: 'pickId is a query object {"$ne": null}',
    verb: 'pick',
    data: { pickId: { $ne: null } },
    answer: BAD_ACTION,
  },
  {
    name: 'pickId is an array',
    verb: 'pick',
    data: { pickId: [NEVER_ISSUED] },
    answer: BAD_ACTION,
  },
  { name: 'pickId is null', verb: 'pick', data: { pickId: null }, answer: BAD_ACTION },
  { name: 'pickId is empty', verb: 'pick', data: { pickId: '' }, answer: BAD_ACTION },
  {
    name: 'pickId is 10,000 characters',
    verb: 'pick',
    data: { pickId: 'A'.repeat(10_000) },
    answer: BAD_ACTION,
  },
  {
    name: 'pickId walks the store: ../../pendingActions/x',
    verb: 'pick',
    data: { pickId: '../../pendingActions/x' },
    answer: INVALID,
  },
  { name: 'pickId is __proto__', verb: 'pick', data: { pickId: '__proto__' }, answer: INVALID },
  { name: 'pickId is constructor', verb: 'pick', data: { pickId: 'constructor' }, answer: INVALID },
  {
    name: "pickId is SQL: ' OR '1'='1",
    verb: 'pick',
    data: { pickId: "' OR '1'='1" },
    answer: INVALID,
  },
  {
    name: 'pickId is well-formed but never issued',
    verb: 'pick',
    data: { pickId: NEVER_ISSUED },
    answer: UNKNOWN,
  },
  {
    name: 'pendingActionId walks the store: ../jobs/x',
    verb: 'confirm',
    data: { pendingActionId: '../jobs/x' },
    answer: INVALID,
  },
  {
    name: 'pendingActionId is well-formed but never issued (Confirm)',
    verb: 'confirm',
    data: { pendingActionId: NEVER_ISSUED },
    answer: UNKNOWN,
  },
  {
    name: 'pendingActionId is an object (Confirm)',
    verb: 'confirm',
    data: { pendingActionId: { toString: 'x' } },
    answer: BAD_ACTION,
  },
  {
    name: 'pendingActionId is well-formed but never issued (Cancel)',
    verb: 'cancel',
    data: { pendingActionId: NEVER_ISSUED },
    answer: UNKNOWN,
  },
  {
    name: 'jobId is __proto__ (show passcode)',
    verb: 'showPasscode',
    data: { jobId: '__proto__' },
    answer: /You have no recent reset of that device\./,
  },
  {
    name: 'jobId walks the store: ../pendingActions/x (show passcode)',
    verb: 'showPasscode',
    data: { jobId: '../pendingActions/x' },
    answer: /You have no recent reset of that device\./,
  },
  { name: 'jobId is a number', verb: 'showPasscode', data: { jobId: 7 }, answer: BAD_ACTION },
];

interface EnvelopeCase {
  name: string;
  value: unknown;
}

const ENVELOPE_CASES: EnvelopeCase[] = [
  { name: 'no action in the invoke value', value: { trigger: 'manual' } },
  { name: 'the invoke value is a string', value: 'pick' },
  { name: 'the invoke value is an array', value: [{ action: { verb: 'pick' } }] },
  {
    name: 'action.data is an array',
    value: { action: { type: 'Action.Execute', verb: 'confirm', data: [NEVER_ISSUED] } },
  },
  {
    name: 'an unknown verb',
    value: { action: { type: 'Action.Execute', verb: 'resetEverything', data: {} } },
  },
  {
    name: 'the verb __proto__',
    value: { action: { type: 'Action.Execute', verb: '__proto__', data: {} } },
  },
  {
    name: 'the verb toString (an inherited method name)',
    value: { action: { type: 'Action.Execute', verb: 'toString', data: {} } },
  },
  {
    name: 'an Action.Submit dressed as a pick',
    value: { action: { type: 'Action.Submit', verb: 'pick', data: { pickId: NEVER_ISSUED } } },
  },
];

describe('hostile: card presses (real server, handlers, emulator)', function () {
  this.timeout(30_000);
  const clock = new MovableClock();
  let h: TeamsHarness;
  let secondTenant: TeamsActivities;
  let foreignTenant: TeamsActivities;

  before(async () => {
    h = await startHostile({
      env: { ALLOWED_TENANT_IDS: `${DEMO_TENANT.tenantId},${SECOND_TENANT}` },
      app: { clock },
    });
    secondTenant = new TeamsActivities(h.activities.serviceUrl, SECOND_TENANT);
    foreignTenant = new TeamsActivities(h.activities.serviceUrl, FOREIGN_TENANT);
  });
  after(async () => {
    await h?.close();
  });

  /** `reset <serial>` → Pick: the confirm card's Confirm and Cancel, and the results message id. */
  async function pickOnly(user: TeamsUser, place: Place, serial: string) {
    const replies = await h.say(h.activities.message(user, place, `reset ${serial}`));
    const pick = executeActions(cardOf(replies[0])).find((a) => a.verb === 'pick');
    assert.ok(pick, cardText(cardOf(replies[0])));
    const messageId = h.connector.lastMessageId(place.conversationId) ?? 'm-unknown';
    const confirmCard = await h.invokeCard(
      h.activities.invoke(user, place, 'pick', pick.data, messageId),
    );
    const confirm = executeActions(confirmCard).find((a) => a.verb === 'confirm');
    const cancel = executeActions(confirmCard).find((a) => a.verb === 'cancel');
    assert.ok(confirm && cancel, cardText(confirmCard));
    return { pick, confirm, cancel, messageId, confirmCard };
  }

  const press = async (
    user: TeamsUser,
    place: Place,
    verb: string,
    data: Record<string, unknown>,
    messageId: string,
    activities = h.activities,
    locale?: string,
  ) =>
    cardText(
      await h.invokeCard(
        activities.invoke(user, place, verb, data, messageId, locale ? { locale } : {}),
      ),
    );

  describe('forged and malformed card data', () => {
    for (const c of DATA_CASES) {
      it(`${c.verb}: ${c.name}`, async () => {
        await guarded(h, async () => {
          const card = await h.invokeCard(
            h.activities.rawInvoke(PEOPLE.megan, personalChat(PEOPLE.megan), {
              action: { type: 'Action.Execute', verb: c.verb, data: c.data },
              trigger: 'manual',
            }),
          );
          assert.match(cardText(card), c.answer);
        });
      });
    }

    for (const c of ENVELOPE_CASES) {
      it(`invoke: ${c.name}`, async () => {
        await guarded(h, async () => {
          const card = await h.invokeCard(
            h.activities.rawInvoke(PEOPLE.megan, personalChat(PEOPLE.megan), c.value),
          );
          assert.match(cardText(card), BAD_ACTION);
        });
      });
    }

    it('invoke: an unknown verb is answered in zh-TW for a zh-TW client', async () => {
      await guarded(h, async () => {
        const card = await h.invokeCard({
          ...h.activities.rawInvoke(PEOPLE.megan, personalChat(PEOPLE.megan), {
            action: { type: 'Action.Execute', verb: 'deleteAudit', data: {} },
          }),
          locale: 'zh-TW',
        });
        assert.match(cardText(card), /這個按鈕已經失效/);
      });
    });

    it('confirm: a ticket reference that is an object is refused, nothing reset', async () => {
      const place = personalChat(PEOPLE.megan);
      const { confirm, messageId } = await pickOnly(PEOPLE.megan, place, PICK_ONLY.serial);
      await guarded(h, async () => {
        const text = await press(
          PEOPLE.megan,
          place,
          'confirm',
          { ...confirm.data, ticketRef: { $gt: '' } },
          messageId,
        );
        assert.match(text, TICKET_INVALID);
      });
    });

    it('confirm: a ticket reference with CR LF (log and CSV row injection) is refused', async () => {
      const place = personalChat(PEOPLE.megan);
      const { confirm, messageId } = await pickOnly(PEOPLE.megan, place, PICK_ONLY.serial);
      await guarded(h, async () => {
        const text = await press(
          PEOPLE.megan,
          place,
          'confirm',
          { ...confirm.data, ticketRef: 'INC1\r\n2026-01-01,confirm,admin,accepted' },
          messageId,
        );
        assert.match(text, TICKET_INVALID);
      });
    });

    it('confirm: a 10 KB ticket reference is refused', async () => {
      const place = personalChat(PEOPLE.megan);
      const { confirm, messageId } = await pickOnly(PEOPLE.megan, place, PICK_ONLY.serial);
      await guarded(h, async () => {
        const text = await press(
          PEOPLE.megan,
          place,
          'confirm',
          { ...confirm.data, ticketRef: 'T'.repeat(10 * 1024) },
          messageId,
        );
        assert.match(text, TICKET_INVALID);
      });
    });

    it('confirm: a SQL-shaped ticket reference is stored as text; only the chosen device is reset', async () => {
      const place = personalChat(PEOPLE.megan);
      const ticket = "'); DROP TABLE documents;--";
      const { confirm, messageId } = await pickOnly(PEOPLE.megan, place, 'RM1116N6P3Q9');
      await guarded(
        h,
        async () => {
          const text = await press(
            PEOPLE.megan,
            place,
            'confirm',
            { ...confirm.data, ticketRef: ticket },
            messageId,
          );
          assert.match(text, /Reset requested, waiting for the device…/);
          assert.ok(text.includes("'); DROP TABLE documents;--"), text);
          const device = DEMO_TENANT.devices.christieLumia950XL;
          await waitUntil(() => h.emulator.resetCalls(device) === 1, 'the submission');
          const confirmed = (await recentAudit(h, 50)).find((e) => e.action === 'confirm');
          assert.equal(confirmed?.ticketRef, ticket);
          const stored = await h.app.desk.status(
            { tenantId: DEMO_TENANT.tenantId, aadObjectId: PEOPLE.megan.aadObjectId, locale: 'en' },
            50,
          );
          assert.ok(stored.kind === 'status' && stored.jobs.some((j) => j.ticketRef === ticket));
        },
        { writes: 1 },
      );
    });
  });

  describe('another person, conversation or tenant pressing the buttons', () => {
    it("a second technician presses the requester's Pick in a group chat", async () => {
      const place = groupChat();
      const { pick, messageId } = await pickOnly(PEOPLE.megan, place, PICK_ONLY.serial);
      await guarded(h, async () => {
        assert.match(await press(PEOPLE.lee, place, 'pick', pick.data, messageId), NOT_YOURS);
      });
    });

    it("a second technician presses the requester's Confirm in a group chat", async () => {
      const place = groupChat();
      const { confirm, messageId } = await pickOnly(PEOPLE.megan, place, PICK_ONLY.serial);
      await guarded(h, async () => {
        assert.match(await press(PEOPLE.lee, place, 'confirm', confirm.data, messageId), NOT_YOURS);
      });
      const audit = (await recentAudit(h)).find((e) => e.outcome === 'notYours');
      assert.equal(audit?.actorId, PEOPLE.lee.aadObjectId, 'the refusal is audited');
    });

    it("a second technician presses the requester's Cancel: refused, the requester's card still works", async () => {
      const place = groupChat();
      const { cancel, messageId } = await pickOnly(PEOPLE.megan, place, PICK_ONLY.serial);
      await guarded(h, async () => {
        assert.match(await press(PEOPLE.lee, place, 'cancel', cancel.data, messageId), NOT_YOURS);
        assert.match(
          await press(PEOPLE.megan, place, 'cancel', cancel.data, messageId),
          /Canceled\. Nothing was changed on the device\./,
        );
      });
    });

    it("someone outside the helpdesk group presses the requester's Confirm", async () => {
      const place = groupChat();
      const { confirm, messageId } = await pickOnly(PEOPLE.megan, place, PICK_ONLY.serial);
      await guarded(h, async () => {
        assert.match(
          await press(PEOPLE.diego, place, 'confirm', confirm.data, messageId),
          /Only helpdesk technicians can do this\./,
        );
      });
    });

    it("a press with no Entra identity on the requester's Pick", async () => {
      const place = groupChat();
      const { pick, messageId } = await pickOnly(PEOPLE.megan, place, PICK_ONLY.serial);
      const nobody = { id: '29:1anonymous', name: 'Anonymous' } as TeamsUser;
      await guarded(h, async () => {
        assert.match(
          await press(nobody, place, 'pick', pick.data, messageId),
          /Only helpdesk technicians can do this\./,
        );
      });
    });

    it('the requester replays their own Pick in another conversation', async () => {
      const { pick, messageId } = await pickOnly(PEOPLE.megan, groupChat(), PICK_ONLY.serial);
      await guarded(h, async () => {
        assert.match(
          await press(PEOPLE.megan, personalChat(PEOPLE.megan), 'pick', pick.data, messageId),
          NOT_YOURS,
        );
      });
    });

    it('the requester replays their own Confirm in another group chat', async () => {
      const { confirm, messageId } = await pickOnly(PEOPLE.megan, groupChat(), PICK_ONLY.serial);
      await guarded(h, async () => {
        assert.match(
          await press(PEOPLE.megan, groupChat(), 'confirm', confirm.data, messageId),
          NOT_YOURS,
        );
      });
    });

    it("the requester's identity from another allowed tenant presses their Confirm", async () => {
      const place = groupChat();
      const { confirm, messageId } = await pickOnly(PEOPLE.megan, place, PICK_ONLY.serial);
      await guarded(h, async () => {
        assert.match(
          await press(PEOPLE.megan, place, 'confirm', confirm.data, messageId, secondTenant),
          NOT_YOURS,
        );
      });
    });

    it('a Pick id issued in another tenant is pressed in this one', async () => {
      const place = groupChat();
      const replies = await h.say(
        secondTenant.message(PEOPLE.lee, place, `reset ${PICK_ONLY.serial}`),
      );
      const pick = executeActions(cardOf(replies[0])).find((a) => a.verb === 'pick');
      assert.ok(pick, cardText(cardOf(replies[0])));
      const messageId = h.connector.lastMessageId(place.conversationId) ?? 'm-unknown';
      await guarded(h, async () => {
        assert.match(await press(PEOPLE.lee, place, 'pick', pick.data, messageId), NOT_YOURS);
      });
    });

    it("a tenant outside ALLOWED_TENANT_IDS presses the requester's Confirm: refused and audited", async () => {
      const place = groupChat();
      const { confirm, messageId } = await pickOnly(PEOPLE.megan, place, PICK_ONLY.serial);
      await guarded(h, async () => {
        assert.match(
          await press(PEOPLE.megan, place, 'confirm', confirm.data, messageId, foreignTenant),
          /Passcode Desk isn't enabled for your organization\./,
        );
      });
      const audit = (await recentAudit(h)).find((e) => e.outcome === 'tenantNotAllowed');
      assert.equal(audit?.tenantId, FOREIGN_TENANT);
      assert.equal(audit?.action, 'refused');
    });

    it('a tenant outside ALLOWED_TENANT_IDS is refused in zh-TW for a zh-TW client', async () => {
      const place = groupChat();
      const { pick, messageId } = await pickOnly(PEOPLE.megan, place, PICK_ONLY.serial);
      await guarded(h, async () => {
        assert.match(
          await press(PEOPLE.megan, place, 'pick', pick.data, messageId, foreignTenant, 'zh-TW'),
          /您的組織尚未啟用 Passcode Desk/,
        );
      });
    });

    it("a second technician's refresh of the requester's card shows no usable pending action", async () => {
      const place = groupChat();
      const { messageId } = await pickOnly(PEOPLE.megan, place, PICK_ONLY.serial);
      await guarded(h, async () => {
        const card = await h.invokeCard(
          h.activities.invoke(PEOPLE.lee, place, 'refresh', { view: 'confirm' }, messageId, {
            trigger: 'automatic',
          }),
        );
        assert.deepEqual(
          executeActions(card).filter((a) => a.verb === 'confirm' || a.verb === 'cancel'),
          [],
          cardText(card),
        );
      });
    });

    it("a second technician asks for the passcode of the requester's job by its id", async () => {
      const place = personalChat(PEOPLE.megan);
      const { confirm, messageId } = await pickOnly(PEOPLE.megan, place, 'RM1104X8Y1Z5');
      const waiting = await h.invokeCard(
        h.activities.invoke(PEOPLE.megan, place, 'confirm', confirm.data, messageId),
      );
      assert.match(cardText(waiting), /Reset requested/);
      const device = DEMO_TENANT.devices.kioskLumia;
      await waitUntil(() => h.emulator.resetCalls(device) === 1, 'the submission');
      const status = await h.app.desk.status(
        { tenantId: DEMO_TENANT.tenantId, aadObjectId: PEOPLE.megan.aadObjectId, locale: 'en' },
        50,
      );
      const job =
        status.kind === 'status' ? status.jobs.find((j) => j.device.id === device) : undefined;
      assert.ok(job);
      await guarded(h, async () => {
        assert.match(
          await press(
            PEOPLE.lee,
            personalChat(PEOPLE.lee),
            'showPasscode',
            { jobId: job.id },
            'm-x',
          ),
          NOT_YOURS,
        );
      });
    });
  });

  describe('replayed presses', () => {
    it('Confirm pressed twice: one reset, the second press answers with the same job', async () => {
      const place = groupChat();
      const { confirm, messageId } = await pickOnly(PEOPLE.megan, place, 'RM1152A1B2C3');
      const device = DEMO_TENANT.devices.alexLumia650;
      await guarded(
        h,
        async () => {
          const first = await press(PEOPLE.megan, place, 'confirm', confirm.data, messageId);
          const second = await press(PEOPLE.megan, place, 'confirm', confirm.data, messageId);
          assert.match(first, /Reset requested[\s\S]*LUMIA-ALEX-2/);
          assert.match(second, /LUMIA-ALEX-2/);
          await waitUntil(() => h.emulator.resetCalls(device) >= 1, 'the submission');
          assert.equal(h.emulator.resetCalls(device), 1);
        },
        { writes: 1 },
      );
    });

    it('Confirm pressed five times at once: exactly one resetPasscode', async () => {
      const place = personalChat(PEOPLE.megan);
      const { confirm, messageId } = await pickOnly(PEOPLE.megan, place, 'RM1116E5R1Y8');
      const device = DEMO_TENANT.devices.obrienLumia;
      await guarded(
        h,
        async () => {
          const answers = await Promise.all(
            Array.from({ length: 5 }, () =>
              press(PEOPLE.megan, place, 'confirm', confirm.data, messageId),
            ),
          );
          for (const answer of answers) assert.match(answer, /O'Brien's Lumia/);
          await waitUntil(() => h.emulator.resetCalls(device) >= 1, 'the submission');
          assert.equal(h.emulator.resetCalls(device), 1);
        },
        { writes: 1 },
      );
    });

    it('Confirm after Cancel is refused', async () => {
      const place = personalChat(PEOPLE.megan);
      const { confirm, cancel, messageId } = await pickOnly(PEOPLE.megan, place, PICK_ONLY.serial);
      await guarded(h, async () => {
        assert.match(
          await press(PEOPLE.megan, place, 'cancel', cancel.data, messageId),
          /Canceled\./,
        );
        assert.match(
          await press(PEOPLE.megan, place, 'confirm', confirm.data, messageId),
          ALREADY_USED,
        );
      });
    });

    it('Cancel after Confirm is refused and the reset goes on (one write)', async () => {
      const place = personalChat(PEOPLE.megan);
      const { confirm, cancel, messageId } = await pickOnly(PEOPLE.megan, place, 'RM1152F8V6Z2');
      const device = DEMO_TENANT.devices.wangLumia;
      await guarded(
        h,
        async () => {
          assert.match(
            await press(PEOPLE.megan, place, 'confirm', confirm.data, messageId),
            /Reset requested/,
          );
          assert.match(
            await press(PEOPLE.megan, place, 'cancel', cancel.data, messageId),
            ALREADY_USED,
          );
          await waitUntil(() => h.emulator.resetCalls(device) >= 1, 'the submission');
        },
        { writes: 1 },
      );
    });

    it('Confirm after the card expired is refused (en and zh-TW), and Pick after expiry too', async () => {
      const place = personalChat(PEOPLE.lee);
      const { pick, confirm, messageId } = await pickOnly(PEOPLE.lee, place, PICK_ONLY.serial);
      const before = resetPosts(h);
      clock.advanceMinutes(16);
      await guarded(h, async () => {
        assert.match(await press(PEOPLE.lee, place, 'confirm', confirm.data, messageId), EXPIRED);
        assert.match(
          await press(PEOPLE.lee, place, 'confirm', confirm.data, messageId, h.activities, 'zh-TW'),
          /這張卡片已過期/,
        );
        assert.match(await press(PEOPLE.lee, place, 'pick', pick.data, messageId), EXPIRED);
      });
      assert.equal(resetPosts(h), before);
    });
  });
});
