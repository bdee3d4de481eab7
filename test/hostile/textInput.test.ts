import assert from 'node:assert/strict';
import type { ActivityLike } from '../support/connectorStandIn';
import { groupChat, personalChat, teamsUser, type Place } from '../support/teamsActivities';
import {
  cardOf,
  cardText,
  DEMO_TENANT,
  executeActions,
  PEOPLE,
  type TeamsHarness,
} from '../support/teamsHarness';
import { assertLogsWellFormed, guarded, repliesText, startHostile } from './support/hostileHarness';
import { DISGUISED_DEVICE, HOSTILE_DEVICES } from './support/hostileTenant';
import { assertNoLiveMarkup } from './support/markdown';

/**
 * Hostile text typed into a chat (and into the search box card), through the real
 * server and handlers: OData injection, card template and markdown injection, log
 * injection, oversized and unusual Unicode. Each reply is checked for what the person
 * reads, and the Graph requests for what Intune was asked.
 */
interface TextCase {
  name: string;
  text: string;
  locale?: string;
  /** What the reply must say. */
  answer: RegExp;
  /** Further checks on the Graph URLs this message caused (decoded) and the replies. */
  check?(graphUrls: string[], replies: ActivityLike[], rawUrls: string[]): void;
}

const NO_MATCH = /No device matches “/;
const CONTROL = /That message contains control characters I can't accept/;
const CONTROL_ZH = /訊息中有無法接受的控制字元/;
const TOO_LONG = /That message is too long: 1000 characters at most/;

const noPickButton = (_urls: string[], replies: ActivityLike[]) =>
  assert.deepEqual(
    replies.flatMap((r) => executeActions(cardOf(r)).filter((a) => a.verb === 'pick')),
    [],
    'no device offered',
  );

const filterSent = (expected: string) => (urls: string[], replies: ActivityLike[]) => {
  assert.ok(
    urls.some((url) => url.includes(expected)),
    `Graph got ${expected}; it got:\n${urls.join('\n')}`,
  );
  noPickButton(urls, replies);
};

const askedNothing = (urls: string[]) =>
  assert.deepEqual(
    urls.filter((url) => /managedDevices/.test(url)),
    [],
    'Intune was not asked',
  );

const CASES: TextCase[] = [
  // OData injection: user text is always one quoted literal, quotes doubled.
  {
    name: "OData: ') or true or (' stays a literal",
    text: "reset ') or true or ('",
    answer: NO_MATCH,
    check: filterSent("$filter=contains(deviceName,''') or true or (''')"),
  },
  {
    name: "OData: ' or deviceName ne ' stays a literal",
    text: "reset ' or deviceName ne '",
    answer: NO_MATCH,
    check: filterSent("contains(deviceName,''' or deviceName ne ''')"),
  },
  {
    name: 'OData: a pre-encoded quote %27 is sent as the text %27, not as a quote',
    text: 'reset %27) or (1 eq 1',
    answer: NO_MATCH,
    check: (_urls, replies, raw) => {
      assert.ok(
        raw.some((url) => url.includes('%2527')),
        raw.join('\n'),
      );
      noPickButton([], replies);
    },
  },
  {
    name: 'OData: &$filter=…&$top=999 cannot add query options',
    text: 'reset lumia&$filter=true&$top=999',
    answer: NO_MATCH,
    check: (_urls, replies, raw) => {
      const search = raw.filter((url) => /managedDevices\?/.test(url));
      assert.ok(search.length > 0);
      for (const url of search) {
        assert.equal(url.split('$filter=').length, 2, url);
        assert.ok(!url.includes('$top=999'), url);
      }
      noPickButton([], replies);
    },
  },
  {
    name: 'OData: quotes in a UPN-shaped query stay inside the eq literal',
    text: "reset x'or'1'eq'1@contoso.com",
    answer: NO_MATCH,
    check: filterSent("userPrincipalName eq 'x''or''1''eq''1@contoso.com'"),
  },
  {
    // Only the hostile tenant's markdown device has a * in its name.
    name: 'OData: a * wildcard is a literal character, not "every device"',
    text: 'reset *',
    answer: /^One device matches “\\\*”:\n\\\[Verify your identity/,
    check: (urls) => assert.ok(urls.some((u) => u.includes("contains(deviceName,'*')"))),
  },
  {
    name: "OData: show passcode ') or true or (' only searches the technician's own resets",
    text: "show passcode ') or true or ('",
    answer: /You have no recent reset of that device\./,
    check: askedNothing,
  },
  {
    name: 'show passcode ../../jobs/* is a device name, not a path',
    text: 'show passcode ../../jobs/*',
    answer: /You have no recent reset of that device\./,
    check: askedNothing,
  },
  // Card template and markdown injection: data is shown, never evaluated or rendered.
  {
    // Only the hostile tenant's template device has that text in its name.
    name: 'template: ${$root.pickTitle} in a query is echoed literally',
    text: 'reset ${$root.pickTitle}',
    answer: /^One device matches “\$\{\$root\.pickTitle\}”:\n\$\{\$root\.pickTitle\} \$\{if/,
  },
  {
    name: 'markdown: [click](https://evil.example) in a query is no link in the answer',
    text: 'reset [click](https://evil.example)',
    answer: /No device matches “\\\[click\\\]\(https:\/\/evil\.example\)”/,
  },
  {
    name: 'markdown: bold, emphasis and an autolink in a query stay plain text',
    text: 'reset **URGENT** call _helpdesk_ <https://evil.example>',
    answer: /\\\*\\\*URGENT\\\*\\\* call \\_helpdesk\\_ \\<https:\/\/evil\.example\\>/,
  },
  {
    name: 'markdown: a device renamed to a phishing link is listed as plain text',
    text: `reset ${HOSTILE_DEVICES.markdown.serial}`,
    answer: /One device matches[\s\S]*\\\[Verify your identity\\\]/,
  },
  {
    name: 'template: a device renamed to ${…} expressions is listed literally',
    text: `reset ${HOSTILE_DEVICES.template.serial}`,
    answer: /\$\{\$root\.pickTitle\} \$\{if\(true,"owned","x"\)\} Lumia/,
  },
  // Log injection: one message is at most one JSON log line, escapes and all.
  {
    name: 'log injection: a line break followed by a forged JSON log line',
    text: 'reset lumia\n{"level":30,"msg":"passcode delivered","passcode":"123456"}',
    answer: NO_MATCH,
  },
  {
    name: 'log injection: ANSI terminal escapes are refused',
    text: 'help \u001b[2J\u001b[31mALL RESETS APPROVED',
    answer: CONTROL,
  },
  // Oversized.
  { name: 'oversized: 1,001 characters', text: 'x'.repeat(1001), answer: TOO_LONG },
  {
    name: 'oversized: a 100 KB message',
    text: `reset ${'A'.repeat(100 * 1024)}`,
    answer: TOO_LONG,
  },
  {
    name: 'oversized: 1,001 characters, answered in zh-TW',
    text: '重'.repeat(1001),
    locale: 'zh-TW',
    answer: /訊息太長了，最多 1000 個字元/,
  },
  {
    name: 'oversized: a 129-character query in a short message',
    text: `reset ${'Q'.repeat(129)}`,
    answer: /I can't use that: it must be plain text of at most 128 characters\./,
    check: askedNothing,
  },
  // Unicode edge cases.
  { name: 'unicode: RTL override U+202E', text: 'reset \u202eevil.exe', answer: CONTROL },
  {
    name: 'unicode: RTL override U+202E, answered in zh-TW',
    text: '重設 \u202eevil',
    locale: 'zh-TW',
    answer: CONTROL_ZH,
  },
  { name: 'unicode: right-to-left mark U+200F', text: 'reset \u200flumia', answer: CONTROL },
  { name: 'unicode: bidi isolate U+2066', text: 'reset lu\u2066mia\u2069', answer: CONTROL },
  {
    name: 'unicode: a zero-width space inside a serial number is ignored',
    text: 'reset RM1104\u200bA7K2Q9',
    answer: /One device matches “RM1104A7K2Q9”[\s\S]*Alex Wilber/,
  },
  {
    name: 'unicode: a BOM and a word joiner around help',
    text: '\ufeffhelp\u2060',
    answer: /What I can do/,
  },
  {
    name: 'unicode: only zero-width characters after reset asks for the device',
    text: 'reset \u200b\u200b\ufeff',
    answer: /Whose device\?/,
  },
  {
    name: 'unicode: emoji with zero-width joiners',
    text: 'reset 👩\u200d💻📱',
    answer: /No device matches “👩\u200d💻📱”/,
  },
  {
    name: 'unicode: CJK finds the device',
    text: 'reset 王小明',
    answer: /One device matches “王小明”[\s\S]*王小明的 Lumia/,
  },
  {
    name: 'unicode: 60 stacked combining marks',
    text: `reset L${'\u0301'.repeat(60)}umia`,
    answer: NO_MATCH,
  },
  { name: 'unicode: a lone high surrogate', text: 'reset \ud800lumia', answer: CONTROL },
  { name: 'unicode: a lone low surrogate', text: 'reset lumia\udc00', answer: CONTROL },
  {
    name: 'unicode: a lone surrogate, answered in zh-TW',
    text: '重設 \udbffA',
    locale: 'zh-TW',
    answer: CONTROL_ZH,
  },
  { name: 'control: NUL', text: 'reset lu\u0000mia', answer: CONTROL },
  { name: 'control: C1 controls NEL and CSI', text: 'reset lu\u0085m\u009bia', answer: CONTROL },
  { name: 'control: the line separator U+2028', text: 'reset lumia\u2028x', answer: CONTROL },
];

describe('hostile: typed text (real server, handlers, emulator)', function () {
  this.timeout(30_000);
  let h: TeamsHarness;

  before(async () => {
    h = await startHostile();
  });
  after(async () => {
    await h?.close();
  });

  async function say(text: string, place: Place, locale?: string, user = PEOPLE.megan) {
    const graphBefore = h.emulator.requests.length;
    const replies = await h.say(h.activities.message(user, place, text, locale ? { locale } : {}));
    const raw = h.emulator.requests.slice(graphBefore).map((r) => r.url);
    return { replies, raw, urls: raw.map((url) => decodeURIComponent(url)) };
  }

  for (const c of CASES) {
    it(c.name, async () => {
      await guarded(h, async () => {
        const { replies, urls, raw } = await say(c.text, personalChat(PEOPLE.megan), c.locale);
        assert.equal(replies.length, 1, 'one answer');
        const text = repliesText(replies);
        assert.match(text, c.answer);
        assertNoLiveMarkup(text);
        c.check?.(urls, replies, raw);
        assertLogsWellFormed(h);
        const forged = h.logs.filter((line) => JSON.parse(line).msg === 'passcode delivered');
        assert.deepEqual(forged, []);
      });
    });
  }

  it('search box card: OData injection in the card input stays a literal', async () => {
    await guarded(h, async () => {
      const graphBefore = h.emulator.requests.length;
      const card = await h.invokeCard(
        h.activities.invoke(
          PEOPLE.megan,
          personalChat(PEOPLE.megan),
          'search',
          { query: "') or true or ('" },
          'm-search',
        ),
      );
      assert.match(cardText(card), NO_MATCH);
      const urls = h.emulator.requests.slice(graphBefore).map((r) => decodeURIComponent(r.url));
      assert.ok(urls.some((u) => u.includes("contains(deviceName,''') or true or (''')")));
    });
  });

  it('search box card: a lone surrogate in the card input is refused, Intune not asked', async () => {
    await guarded(h, async () => {
      const graphBefore = h.emulator.requests.length;
      const card = await h.invokeCard(
        h.activities.invoke(
          PEOPLE.megan,
          personalChat(PEOPLE.megan),
          'search',
          { query: 'lumia\udfff' },
          'm-search',
        ),
      );
      assert.match(cardText(card), /I can't use that/);
      const asked = h.emulator.requests
        .slice(graphBefore)
        .filter((r) => /managedDevices/.test(r.url));
      assert.deepEqual(asked, []);
    });
  });

  it('markdown: a display name with a link is no link in the "only … can use" note of a group chat', async () => {
    await guarded(h, async () => {
      const phisher = teamsUser(
        DEMO_TENANT.users.meganBowen,
        '[IT Security](https://evil.example)',
      );
      const { replies } = await say('reset RM1104A7K2Q9', groupChat(), undefined, phisher);
      const text = repliesText(replies);
      assert.match(text, /Only \\\[IT Security\\\]\(https:\/\/evil\.example\) can use the buttons/);
      assertNoLiveMarkup(text);
    });
  });

  it('markdown: a device name with backticks cannot break out of the `show passcode` hint on the passcode card', async () => {
    const place = personalChat(PEOPLE.nestor);
    const { replies } = await say(
      `reset ${HOSTILE_DEVICES.markdown.serial}`,
      place,
      undefined,
      PEOPLE.nestor,
    );
    const pick = executeActions(cardOf(replies[0])).find((a) => a.verb === 'pick');
    assert.ok(pick, repliesText(replies));
    const confirmCard = await h.invokeCard(
      h.activities.invoke(PEOPLE.nestor, place, 'pick', pick.data, 'm-results'),
    );
    const confirm = executeActions(confirmCard).find((a) => a.verb === 'confirm');
    assert.ok(confirm);
    // A real reset (one write) of the device whose user named it with markdown.
    await guarded(
      h,
      async () => {
        await h.invokeCard(
          h.activities.invoke(PEOPLE.nestor, place, 'confirm', confirm.data, 'm-results'),
        );
        const passcodeCard = () =>
          h.connector
            .sentTo(place.conversationId)
            .map((a) => cardText(cardOf(a)))
            .find((text) => text.startsWith('New passcode for'));
        await h.connector.waitFor(() => !!passcodeCard(), 15_000, 'the passcode card');
        const text = passcodeCard() as string;
        assert.match(
          text,
          /Type `show passcode \[Verify your identity\]\(https:\/\/evil\.example\/login\) '\[Open\]/,
        );
        assertNoLiveMarkup(text);
      },
      { writes: 1 },
    );
  });

  it('disguise: bidi overrides, isolates and invisible characters in a device name, owner and model are neutralised on the results and confirm cards', async () => {
    // Bidirectional controls, zero-width and other format characters (Unicode Cf), soft hyphen.
    const INVISIBLE = /[\u00ad\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2069\ufeff]|\u{e0041}/u;
    await guarded(h, async () => {
      const place = personalChat(PEOPLE.lee);
      const { replies } = await say(
        `reset ${DISGUISED_DEVICE.serial}`,
        place,
        undefined,
        PEOPLE.lee,
      );
      const results = JSON.stringify(replies.map((r) => cardOf(r)));
      assert.doesNotMatch(results, INVISIBLE, 'the results card');
      assert.ok(results.includes(DISGUISED_DEVICE.shown.name), results);
      const pick = executeActions(cardOf(replies[0])).find((a) => a.verb === 'pick');
      assert.ok(pick, repliesText(replies));
      const confirm = await h.invokeCard(
        h.activities.invoke(PEOPLE.lee, place, 'pick', pick.data, 'm-results'),
      );
      const shown = JSON.stringify(confirm);
      assert.doesNotMatch(shown, INVISIBLE, 'the confirm card');
      const text = cardText(confirm);
      for (const value of Object.values(DISGUISED_DEVICE.shown)) {
        assert.ok(text.includes(value), `${value} in:\n${text}`);
      }
    });
  });

  it('markdown: the phishing device name stays plain on the confirm card, its facts and its Pick', async () => {
    await guarded(h, async () => {
      const place = personalChat(PEOPLE.lee);
      const { replies } = await say(
        `reset ${HOSTILE_DEVICES.markdown.serial}`,
        place,
        undefined,
        PEOPLE.lee,
      );
      const pick = executeActions(cardOf(replies[0])).find((a) => a.verb === 'pick');
      assert.ok(pick, repliesText(replies));
      const confirm = await h.invokeCard(
        h.activities.invoke(PEOPLE.lee, place, 'pick', pick.data, 'm-results'),
      );
      const text = cardText(confirm);
      assert.match(text, /Reset the passcode of \\\[Verify your identity\\\]/);
      assertNoLiveMarkup(text);
    });
  });
});
