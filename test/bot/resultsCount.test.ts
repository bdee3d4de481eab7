import assert from 'node:assert/strict';
import { readTenantFile } from '../../src/emulator/tenant';
import { personalChat } from '../support/teamsActivities';
import { cardOf, cardText, executeActions, PEOPLE, TeamsHarness } from '../support/teamsHarness';

/** Results cards with more matches than fit: they say how many, and ask for a narrower query. */
describe('bot: more matches than a results card shows (real Desk, emulator, SQLite)', function () {
  this.timeout(30_000);
  let h: TeamsHarness;

  before(async () => {
    // The demo tenant plus 60 synthetic devices, all named SYN-…
    h = await TeamsHarness.start({ emulator: { syntheticDevices: 60 } });
  });
  after(async () => {
    await h?.close();
  });

  async function resultsCard(text: string, locale = 'en') {
    const place = personalChat(PEOPLE.megan);
    const replies = await h.say(h.activities.message(PEOPLE.megan, place, text, { locale }));
    assert.equal(replies.length, 1, 'one results card');
    return cardOf(replies[0]);
  }

  it('says how many match in all, from one Graph request, and shows only the first 10', async () => {
    const lumias = readTenantFile().managedDevices.filter((d) =>
      d.deviceName.toLowerCase().includes('lumia'),
    ).length;
    assert.ok(lumias > 10 && lumias <= 50, `the demo tenant has ${lumias} Lumias`);
    h.emulator.resetRequests();
    const card = await resultsCard('reset lumia');
    const text = cardText(card);
    assert.match(text, new RegExp(`Showing 10 of ${lumias} — narrow your search\\.`), text);
    // One compact row per device: name, then owner · OS/version · last check-in.
    assert.equal(text.split('\n').filter((line) => / · checked in /.test(line)).length, 10, text);
    assert.ok(executeActions(card).filter((a) => a.verb === 'pick').length <= 10);
    const searches = h.emulator.requests.filter((r) =>
      r.url.startsWith('/v1.0/deviceManagement/managedDevices?'),
    );
    assert.equal(searches.length, 1, JSON.stringify(searches));

    // "Next": the rest of the same search, on the same card.
    const next = executeActions(card).find((a) => a.verb === 'search');
    assert.equal(next?.title, `Next ${Math.min(10, lumias - 10)}`);
    const place = personalChat(PEOPLE.megan);
    const messageId = h.connector.lastMessageId(place.conversationId);
    assert.ok(messageId);
    const page = await h.invokeCard(
      h.activities.invoke(PEOPLE.megan, place, 'search', next!.data, messageId),
    );
    const pageText = cardText(page);
    assert.match(
      pageText,
      new RegExp(`Showing 11–${Math.min(20, lumias)} of ${lumias}\\.`),
      pageText,
    );
    assert.equal(
      pageText.split('\n').filter((line) => / · checked in /.test(line)).length,
      Math.min(10, lumias - 10),
    );
    const firstNames = text.split('\n');
    assert.ok(
      executeActions(page)
        .filter((a) => a.verb === 'pick')
        .every((a) => !JSON.stringify(card).includes(String(a.data?.pickId))),
      'new Pick ids on the next page',
    );
    assert.ok(firstNames.length > 0);
  });

  it('says "more than 50" when even the counted matches do not reach the end', async () => {
    const text = cardText(await resultsCard('reset SYN-'));
    assert.match(text, /Showing 10 of more than 50 — narrow your search\./, text);
    const zh = cardText(await resultsCard('重設密碼 SYN-', 'zh-TW'));
    assert.match(zh, /符合的裝置超過 50 台，目前顯示 10 台，請縮小搜尋範圍。/, zh);
  });
});
