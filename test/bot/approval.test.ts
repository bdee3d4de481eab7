import assert from 'node:assert/strict';
import {
  channelThread,
  personalChat,
  type Place,
  type TeamsUser,
} from '../support/teamsActivities';
import type { ActivityLike } from '../support/connectorStandIn';
import {
  cardOf,
  cardText,
  DEMO_TENANT,
  executeActions,
  PEOPLE,
  TeamsHarness,
} from '../support/teamsHarness';

const PATTERN = '^(INC|RITM)\\d{7}$';
const LINK = (ticket: string) => `[${ticket}](https://itsm.contoso.com/i/${ticket})`;

/** Every FactSet value of a card, as sent (markdown kept). */
function factValues(card: unknown): string[] {
  const values: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      if (record.type === 'FactSet' && Array.isArray(record.facts)) {
        for (const fact of record.facts as Array<{ value: string }>) values.push(fact.value);
      }
      Object.values(record).forEach(walk);
    }
  };
  walk(card);
  return values;
}

describe('bot: second-person approval in a Teams channel, and the ticket policy', function () {
  this.timeout(60_000);
  let h: TeamsHarness;
  let channel: Place;

  before(async () => {
    h = await TeamsHarness.start({
      env: {
        APPROVAL: 'all',
        TICKET_REQUIRED: 'true',
        TICKET_PATTERN: PATTERN,
        TICKET_URL_TEMPLATE: 'https://itsm.contoso.com/i/{ticket}',
      },
    });
    channel = channelThread();
    const answer = await h.say(h.activities.message(PEOPLE.adele, channel, 'notify here'));
    assert.equal(answer.length, 1);
  });
  after(async () => {
    await h?.close();
  });

  /** reset → Pick → the confirm card and the message it lives in. */
  async function confirmCardFor(user: TeamsUser, place: Place, serial: string, locale?: string) {
    const options = locale ? { locale } : {};
    const replies = await h.say(h.activities.message(user, place, `reset ${serial}`, options));
    const messageId = h.connector.lastMessageId(place.conversationId)!;
    const pick = executeActions(cardOf(replies[0])).find((a) => a.verb === 'pick');
    assert.ok(pick, cardText(cardOf(replies[0])));
    const card = await h.invokeCard(
      h.activities.invoke(user, place, 'pick', pick.data, messageId, options),
    );
    const confirm = executeActions(card).find((a) => a.verb === 'confirm')!;
    return { card, confirm, messageId, options };
  }

  const approvalCards = (): ActivityLike[] =>
    h.connector
      .sentTo(channel.conversationId)
      .filter((a) => executeActions(cardOf(a)).some((x) => x.verb === 'approve'));

  async function requestApproval(serial: string, ticketRef: string) {
    const place = personalChat(PEOPLE.megan);
    const before = approvalCards().length;
    const { confirm, messageId } = await confirmCardFor(PEOPLE.megan, place, serial);
    const waiting = await h.invokeCard(
      h.activities.invoke(
        PEOPLE.megan,
        place,
        'confirm',
        { ...confirm.data, ticketRef },
        messageId,
      ),
    );
    assert.match(cardText(waiting), /Waiting for approval[\s\S]*A second person must approve/);
    assert.ok(factValues(waiting).includes(LINK(ticketRef)), JSON.stringify(waiting));
    await h.connector.waitFor(() => approvalCards().length > before, 15_000, 'the approval card');
    const sent = approvalCards().at(-1)!;
    const messageIdInChannel = h.connector.lastMessageId(channel.conversationId)!;
    return { place, card: cardOf(sent), cardMessageId: messageIdInChannel };
  }

  it('a second technician approves in the channel; the other copy updates; the passcode goes to the requester only', async () => {
    const device = DEMO_TENANT.devices.leeLumia650;
    const { place, card, cardMessageId } = await requestApproval('RM1152D2H7J3', 'INC0001234');
    const text = cardText(card);
    assert.match(text, /Megan Bowen asks to reset the passcode of LEE-LUMIA650/);
    assert.match(text, /If you approve:[\s\S]*Only Megan Bowen will see the new passcode/);
    assert.ok(factValues(card).includes(LINK('INC0001234')));
    const [approve, deny] = executeActions(card);
    assert.equal(approve?.verb, 'approve');
    assert.equal(deny?.verb, 'deny');
    // A whole tracker cycle has run since the request (what it started has ended): had it
    // submitted the reset without approval, the POST would be here.
    await h.app.tracker.runOnce();
    assert.equal(h.emulator.resetCalls(device), 0, 'nothing sent before approval');

    const press = (user: TeamsUser) =>
      h.invokeCard(h.activities.invoke(user, channel, 'approve', approve!.data, cardMessageId));
    assert.match(cardText(await press(PEOPLE.megan)), /can't approve or deny your own reset/);
    assert.match(cardText(await press(PEOPLE.lee)), /Only approvers can approve or deny/);
    assert.match(cardText(await press(PEOPLE.diego)), /Only approvers can approve or deny/);
    await h.app.tracker.runOnce();
    assert.equal(h.emulator.resetCalls(device), 0);

    const approved = await press(PEOPLE.adele);
    assert.match(cardText(approved), /Approved by Adele Vance/);
    assert.deepEqual(executeActions(approved), [], 'no buttons once decided');
    await h.connector.waitFor(
      () =>
        h.connector
          .updatesIn(channel.conversationId)
          .some((u) => /Approved by Adele Vance/.test(cardText(cardOf(u.body as ActivityLike)))),
      15_000,
      'the channel copy to show the decision',
    );
    await h.connector.waitFor(
      () =>
        h.connector
          .shown(place.conversationId)
          .some((a) => /New passcode for LEE-LUMIA650[\s\S]*Passcode/.test(cardText(cardOf(a)))),
      20_000,
      'the passcode in the requester 1:1 chat',
    );
    const passcodeCard = h.connector
      .shown(place.conversationId)
      .map(cardOf)
      .find((c) => /New passcode[\s\S]*Passcode/.test(cardText(c)))!;
    assert.ok(factValues(passcodeCard).includes(LINK('INC0001234')));
    assert.equal(h.emulator.resetCalls(device), 1);
    assert.ok(
      !h.connector
        .sentTo(channel.conversationId)
        .some((a) => /New passcode/.test(cardText(cardOf(a)))),
      'no passcode in the channel',
    );
    // A late press answers with the decision and changes nothing.
    assert.match(cardText(await press(PEOPLE.adele)), /Approved by Adele Vance/);
    assert.equal(h.emulator.resetCalls(device), 1);
  });

  it('Deny sends the reason to the requester privately', async () => {
    const { place, card, cardMessageId } = await requestApproval('RM1104B3M8T1', 'RITM7654321');
    const deny = executeActions(card).find((a) => a.verb === 'deny')!;
    const denied = await h.invokeCard(
      h.activities.invoke(
        PEOPLE.adele,
        channel,
        'deny',
        { ...deny.data, reason: 'Ticket is for another user' },
        cardMessageId,
      ),
    );
    assert.match(
      cardText(denied),
      /Denied by Adele Vance[\s\S]*Reason: Ticket is for another user/,
    );
    await h.connector.waitFor(
      () =>
        h.connector
          .sentTo(place.conversationId)
          .some((a) => /was denied/.test(cardText(cardOf(a)))),
      15_000,
      'the denial notice',
    );
    const notice = h.connector
      .sentTo(place.conversationId)
      .map((a) => cardText(cardOf(a)))
      .find((text) => /was denied/.test(text))!;
    assert.match(notice, /Adele Vance denied it[\s\S]*Reason: Ticket is for another user/);
    assert.match(notice, /RITM7654321/);
    await h.app.tracker.runOnce();
    assert.equal(h.emulator.resetCalls(DEMO_TENANT.devices.lynneLumia950), 0);
  });

  for (const [locale, serial, device, required, mismatch, label] of [
    [
      'en-US',
      'RM1116C9P4W6',
      DEMO_TENANT.devices.adeleLumia950XL,
      /A ticket reference is required/,
      /doesn't have the format your helpdesk uses \(`\^\(INC\|RITM\)\\d\{7\}\$`\)/,
      'Ticket reference (required)',
    ],
    [
      'zh-TW',
      'RM1152R5S2T6',
      DEMO_TENANT.devices.enricoLumia650,
      /必須填寫工單編號/,
      /不符合服務台使用的格式（`\^\(INC\|RITM\)\\d\{7\}\$`）/,
      '工單編號（必填）',
    ],
  ] as const) {
    it(`ticket policy (${locale}): the card asks for it, and a missing or malformed ticket changes nothing`, async () => {
      const place = personalChat(PEOPLE.nestor);
      const { card, confirm, messageId, options } = await confirmCardFor(
        PEOPLE.nestor,
        place,
        serial,
        locale,
      );
      const input = JSON.stringify(card);
      assert.ok(input.includes(`"label":"${label}"`), input);
      assert.ok(input.includes('"isRequired":true'), input);
      assert.ok(input.includes(`"regex":${JSON.stringify(PATTERN)}`), input);
      const press = (ticketRef: string) =>
        h.invokeCard(
          h.activities.invoke(
            PEOPLE.nestor,
            place,
            'confirm',
            { ...confirm.data, ticketRef },
            messageId,
            options,
          ),
        );
      assert.match(cardText(await press('')), required);
      assert.match(cardText(await press('INC12')), mismatch);
      assert.equal(h.emulator.resetCalls(device), 0);
      // The same card still works with a ticket in the right form.
      assert.match(cardText(await press('INC7654321')), /Waiting for approval|等待核准/);
    });
  }
});
