import assert from 'node:assert/strict';
import { groupChat, personalChat, type Place, type TeamsUser } from '../support/teamsActivities';
import {
  cardOf,
  cardText,
  DEMO_TENANT,
  executeActions,
  PEOPLE,
  TeamsHarness,
} from '../support/teamsHarness';

describe('bot: card actions (Action.Execute invokes)', function () {
  this.timeout(30_000);
  let h: TeamsHarness;

  before(async () => {
    h = await TeamsHarness.start();
  });
  after(async () => {
    await h?.close();
  });

  /** Types `reset <query>` and returns the results card and its message id. */
  async function search(user: TeamsUser, place: Place, query: string) {
    const replies = await h.say(h.activities.message(user, place, `reset ${query}`));
    const messageId = h.connector.lastMessageId(place.conversationId);
    assert.ok(messageId);
    return { card: cardOf(replies[0]), messageId };
  }

  async function pickOnly(user: TeamsUser, place: Place, query: string) {
    const { card, messageId } = await search(user, place, query);
    const pick = executeActions(card).find((a) => a.verb === 'pick');
    assert.ok(pick, cardText(card));
    const confirmCard = await h.invokeCard(
      h.activities.invoke(user, place, 'pick', pick.data, messageId),
    );
    const [confirm, cancel] = executeActions(confirmCard);
    assert.equal(confirm?.verb, 'confirm');
    assert.equal(cancel?.verb, 'cancel');
    return { pick, confirmCard, confirm: confirm!, cancel: cancel!, messageId, resultsCard: card };
  }

  it('searches from the search box card', async () => {
    const place = personalChat(PEOPLE.megan);
    const results = await h.invokeCard(
      h.activities.invoke(PEOPLE.megan, place, 'search', { query: 'RM1116C9P4W6' }, 'm-x'),
    );
    assert.match(
      cardText(results),
      /One device matches “RM1116C9P4W6”:[\s\S]*Adele's Lumia 950 XL/,
    );
    const empty = await h.invokeCard(
      h.activities.invoke(PEOPLE.megan, place, 'search', { query: '  ' }, 'm-x'),
    );
    assert.match(cardText(empty), /Whose device\?/);
    const tooLong = await h.invokeCard(
      h.activities.invoke(PEOPLE.megan, place, 'search', { query: 'x'.repeat(129) }, 'm-x'),
    );
    assert.match(cardText(tooLong), /I can't use that/);
  });

  it('answers Pick with the confirm card, and Cancel with "nothing changed"; the used card then refuses', async () => {
    const place = personalChat(PEOPLE.megan);
    const { confirmCard, confirm, cancel, messageId } = await pickOnly(
      PEOPLE.megan,
      place,
      'RM1104B3M8T1',
    );
    assert.match(cardText(confirmCard), /Reset the passcode of Lumia 950\?[\s\S]*Lynne Robbins/);
    assert.equal(confirmCard.refresh, undefined, 'no refresh in a personal chat');
    const cancelled = await h.invokeCard(
      h.activities.invoke(PEOPLE.megan, place, 'cancel', cancel.data, messageId),
    );
    assert.match(cardText(cancelled), /Canceled\. Nothing was changed on the device\./);
    const again = await h.invokeCard(
      h.activities.invoke(PEOPLE.megan, place, 'confirm', confirm.data, messageId),
    );
    assert.match(cardText(again), /Can't do that/);
    assert.equal(h.emulator.resetCalls(DEMO_TENANT.devices.lynneLumia950), 0);
  });

  it('refuses another technician pressing my buttons in a group, and shows each their own view on refresh', async () => {
    const place = groupChat();
    const { pick, confirm, confirmCard, messageId } = await pickOnly(
      PEOPLE.megan,
      place,
      'RM1116G1X3B7',
    );
    assert.deepEqual((confirmCard.refresh as { userIds: string[] }).userIds, [PEOPLE.megan.id]);
    assert.match(cardText(confirmCard), /Only Megan Bowen can use the buttons on this card\./);

    const stolenPick = await h.invokeCard(
      h.activities.invoke(PEOPLE.lee, place, 'pick', pick.data, messageId),
    );
    assert.match(cardText(stolenPick), /Only the technician who started this can use this card\./);
    const stolenConfirm = await h.invokeCard(
      h.activities.invoke(PEOPLE.lee, place, 'confirm', confirm.data, messageId),
    );
    assert.match(
      cardText(stolenConfirm),
      /Only the technician who started this can use this card\./,
    );
    assert.equal(h.emulator.resetCalls(DEMO_TENANT.devices.failingReset), 0);

    const mine = await h.invokeCard(
      h.activities.invoke(PEOPLE.megan, place, 'refresh', { view: 'results' }, messageId, {
        trigger: 'automatic',
      }),
    );
    assert.match(
      cardText(mine),
      /Reset the passcode of Isaiah Lumia 950 XL\?/,
      'the requester sees their confirm card',
    );
    const theirs = await h.invokeCard(
      h.activities.invoke(PEOPLE.lee, place, 'refresh', { view: 'results' }, messageId, {
        trigger: 'automatic',
      }),
    );
    assert.match(
      cardText(theirs),
      /One device matches “RM1116G1X3B7”/,
      'others see the card as sent',
    );
    const gone = await h.invokeCard(
      h.activities.invoke(PEOPLE.megan, place, 'refresh', {}, 'm-unknown'),
    );
    assert.match(cardText(gone), /This card is no longer available/);
  });

  it('answers Confirm at once with "waiting" while the device has not checked in, and a second press changes nothing', async () => {
    const place = groupChat();
    const { confirm, messageId } = await pickOnly(PEOPLE.nestor, place, 'RM1152H4C9D1');
    const waiting = await h.invokeCard(
      h.activities.invoke(
        PEOPLE.nestor,
        place,
        'confirm',
        { ...confirm.data, ticketRef: ' INC-7 ' },
        messageId,
      ),
    );
    assert.match(
      cardText(waiting),
      /Reset requested, waiting for the device…[\s\S]*Warehouse Lumia 650[\s\S]*INC-7/,
    );
    assert.deepEqual((waiting.refresh as { userIds: string[] }).userIds, [PEOPLE.nestor.id]);
    const again = await h.invokeCard(
      h.activities.invoke(PEOPLE.nestor, place, 'confirm', confirm.data, messageId),
    );
    assert.match(cardText(again), /Warehouse Lumia 650/);
    await h.connector.waitFor(
      () => h.emulator.resetCalls(DEMO_TENANT.devices.neverChecksIn) >= 1,
      10_000,
      'the submission',
    );
    assert.equal(h.emulator.resetCalls(DEMO_TENANT.devices.neverChecksIn), 1);
    // The requester's refresh shows the job's live state.
    await h.connector.waitFor(
      () => h.connector.updatesIn(place.conversationId).length > 0,
      10_000,
      'an origin update',
    );
    const live = await h.invokeCard(
      h.activities.invoke(PEOPLE.nestor, place, 'refresh', {}, messageId, { trigger: 'automatic' }),
    );
    assert.match(cardText(live), /State\n(Sent to Intune|Waiting for the device)/);
  });

  it('refuses a ticket reference that is too long or not plain text, before reaching the domain', async () => {
    const place = personalChat(PEOPLE.lee);
    const { confirm, messageId } = await pickOnly(PEOPLE.lee, place, 'RM1116E5R1Y8');
    const long = await h.invokeCard(
      h.activities.invoke(
        PEOPLE.lee,
        place,
        'confirm',
        { ...confirm.data, ticketRef: 'T'.repeat(65) },
        messageId,
      ),
    );
    assert.match(cardText(long), /at most 64 characters/);
    const control = await h.invokeCard(
      h.activities.invoke(
        PEOPLE.lee,
        place,
        'confirm',
        { ...confirm.data, ticketRef: 'INC\u0000' },
        messageId,
      ),
    );
    assert.match(cardText(control), /plain text/);
    assert.equal(h.emulator.resetCalls(DEMO_TENANT.devices.obrienLumia), 0);
  });

  it('answers unknown verbs and malformed invokes with a localized error card', async () => {
    const place = personalChat(PEOPLE.megan);
    const cases: unknown[] = [
      { action: { type: 'Action.Execute', verb: 'launchMissiles', data: {} } },
      { action: { type: 'Action.Execute', verb: 'pick', data: {} } },
      { action: { type: 'Action.Execute', verb: 'pick', data: { pickId: 42 } } },
      { action: { type: 'Action.Execute', verb: 'confirm', data: ['pendingActionId'] } },
      { action: { type: 'Action.Execute', verb: 'constructor', data: {} } },
      { action: { type: 'Action.Execute', verb: 12 } },
      { action: { type: 'Action.Submit', verb: 'pick', data: { pickId: 'x' } } },
      { action: null },
      {},
      'pick',
      null,
    ];
    for (const value of cases) {
      const card = await h.invokeCard(h.activities.rawInvoke(PEOPLE.megan, place, value));
      assert.match(cardText(card), /This button doesn't work any more\./, JSON.stringify(value));
    }
    const zh = await h.invokeCard({
      ...h.activities.rawInvoke(PEOPLE.megan, place, { action: { verb: 'nope' } }),
      locale: 'zh-TW',
    });
    assert.match(cardText(zh), /這個按鈕已經失效/);
  });

  it('refuses a pick id the domain never issued', async () => {
    const card = await h.invokeCard(
      h.activities.invoke(
        PEOPLE.megan,
        personalChat(PEOPLE.megan),
        'pick',
        { pickId: 'AAAAAAAAAAAAAAAAAAAAAA' },
        'm-x',
      ),
    );
    assert.match(cardText(card), /Can't do that/);
  });

  it('answers "show" for an unknown job with a refusal', async () => {
    const card = await h.invokeCard(
      h.activities.invoke(
        PEOPLE.megan,
        personalChat(PEOPLE.megan),
        'showPasscode',
        { jobId: 'no-such-job' },
        'm-x',
      ),
    );
    assert.match(cardText(card), /You have no recent reset of that device\./);
  });
});
