import assert from 'node:assert/strict';
import { TeamsHarness, PEOPLE, cardOf, cardText, executeActions } from '../support/teamsHarness';
import { personalChat, channelThread } from '../support/teamsActivities';

describe('scratch', () => {
  let h: TeamsHarness;
  before(async () => { h = await TeamsHarness.start(); });
  after(async () => { await h?.close(); });
  it('flows', async () => {
    const place = channelThread();
    const replies = await h.say(h.activities.message(PEOPLE.megan, place, 'reset lumia 950'));
    console.log(JSON.stringify(replies, null, 1).slice(0, 3000));
    const card = cardOf(replies[0]);
    console.log(cardText(card));
    const actions = executeActions(card);
    console.log(actions);
    const msgId = 'm-1';
    const confirmCard = await h.invokeCard(h.activities.invoke(PEOPLE.megan, place, 'pick', actions[0]!.data, msgId));
    console.log(cardText(confirmCard));
    const acts = executeActions(confirmCard);
    const waiting = await h.invokeCard(h.activities.invoke(PEOPLE.megan, place, 'confirm', { ...acts[0]!.data, ticketRef: 'INC1' }, msgId));
    console.log(cardText(waiting));
    await h.connector.waitFor(() => h.connector.requests.some((r) => r.kind === 'update'), 15000);
    await new Promise((r) => setTimeout(r, 2000));
    for (const r of h.connector.requests) console.log(r.method, r.path, r.kind, r.raw.slice(0, 300));
    assert.ok(true);
  });
});
