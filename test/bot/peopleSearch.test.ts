import assert from 'node:assert/strict';
import { readTenantFile } from '../../src/emulator/tenant';
import { personalChat } from '../support/teamsActivities';
import { cardOf, cardText, executeActions, PEOPLE, TeamsHarness } from '../support/teamsHarness';

const tenant = readTenantFile();
const devicesOf = (upn: string) =>
  tenant.managedDevices.filter((d) => d.userPrincipalName === upn).map((d) => d.deviceName);

/** `reset <a person>`: technicians know callers by name, not by sign-in name. */
describe('bot: search by a person (Graph users over the emulator)', function () {
  this.timeout(30_000);
  let h: TeamsHarness;
  const place = personalChat(PEOPLE.megan);

  before(async () => {
    h = await TeamsHarness.start();
  });
  after(async () => {
    await h?.close();
  });

  async function results(text: string, locale = 'en') {
    const replies = await h.say(h.activities.message(PEOPLE.megan, place, text, { locale }));
    const cards = replies.filter((r) => r.type === 'message');
    assert.equal(cards.length, 1, 'one results card');
    return cardOf(cards[0]);
  }

  for (const query of ['Alex Wilber', 'alex.wilber', 'wilber']) {
    it(`reset ${query}: Alex Wilber's devices, said to be his`, async () => {
      h.emulator.resetRequests();
      const text = cardText(await results(`reset ${query}`));
      assert.match(
        text,
        /Devices of Alex Wilber \(alex\.wilber@contoso\.onmicrosoft\.com\) first\./,
        text,
      );
      for (const name of devicesOf('alex.wilber@contoso.onmicrosoft.com'))
        assert.ok(text.includes(name), `${name} missing:\n${text}`);
      // One $batch (device names + people), then one GET of his devices.
      const topLevel = h.emulator.requests.filter(
        (r) => !r.inBatch && /\$batch|managedDevices/.test(r.url),
      );
      assert.deepEqual(
        topLevel.map((r) => r.method),
        ['POST', 'GET'],
        JSON.stringify(topLevel.map((r) => r.url)),
      );
    });
  }

  it('several people match: which one? Each button shows that person’s devices', async () => {
    const card = await results('reset jo');
    const text = cardText(card);
    assert.match(text, /^Several people match “jo”: which one\?/, text);
    const buttons = executeActions(card).filter((a) => a.verb === 'search');
    assert.deepEqual(buttons.map((b) => b.data?.query).sort(), [
      'johanna.lorenz@contoso.onmicrosoft.com',
      'joni.sherman@contoso.onmicrosoft.com',
    ]);
    const messageId = h.connector.lastMessageId(place.conversationId);
    assert.ok(messageId);
    const joni = buttons.find((b) => b.data?.query === 'joni.sherman@contoso.onmicrosoft.com')!;
    const devices = cardText(
      await h.invokeCard(h.activities.invoke(PEOPLE.megan, place, 'search', joni.data, messageId)),
    );
    for (const name of devicesOf('joni.sherman@contoso.onmicrosoft.com'))
      assert.ok(devices.includes(name), devices);
    const zh = cardText(await results('重設 jo', 'zh-TW'));
    assert.match(zh, /^有多位人員符合「jo」：是哪一位？/, zh);
  });
});
