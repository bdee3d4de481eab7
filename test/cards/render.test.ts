import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CARD_NAMES, CardTemplateError, renderCard, type CardName } from '../../cards/render';
import { render, type CardSpec, type ViewContext } from '../../src/bot/views/cardSpec';
import { approvalRequestSpec } from '../../src/bot/views/approvalViews';
import { confirmSpec } from '../../src/bot/views/confirmView';
import { ADMIN_CENTER_DEVICE_URL, ticketFact } from '../../src/bot/views/facts';
import {
  auditSpec,
  chooseJobSpec,
  helpSpec,
  PIN_RESET_CLIENT_CONSENT_URL,
  PIN_RESET_SERVICE_CONSENT_URL,
  setupSpec,
  statusSpec,
  welcomeSpec,
} from '../../src/bot/views/infoViews';
import {
  jobOriginSpec,
  notificationSpec,
  passcodeHiddenSpec,
  passcodeSpec,
} from '../../src/bot/views/jobViews';
import { noticeSpec, refusalSpec } from '../../src/bot/views/messageViews';
import { queryKind, resultsSpec, searchPromptSpec } from '../../src/bot/views/searchViews';
import { formatTime, LOCALES, plainMarkdown, t } from '../../src/i18n';
import { projectRoot } from '../../src/paths';
import { cardText, executeActions } from '../support/teamsHarness';
import * as fx from '../support/teamsFixtures';

const OPTIONS = { resetTimeoutMinutes: 4320 };

function specsFor(ctx: ViewContext): Record<CardName, CardSpec> {
  return {
    welcome: welcomeSpec(ctx),
    help: helpSpec(ctx, { unknown: true }),
    searchPrompt: searchPromptSpec(ctx, { typeHint: true }),
    results: resultsSpec(ctx, fx.searchAnswer([fx.eligibleRow(), fx.ineligibleRow()])),
    noMatch: resultsSpec(ctx, fx.searchAnswer([], { query: 'nobody' })),
    confirm: confirmSpec(ctx, fx.pickAnswer(), {
      passcodeVisibleMinutes: 10,
      onlyRequester: 'Megan Bowen',
    }),
    approval: approvalRequestSpec(
      ctx,
      fx.job({
        state: 'awaitingApproval',
        ticketRef: 'INC0012345',
        approval: { requestedAt: '2026-11-24T10:00:00Z', expiresAt: '2026-11-24T11:00:00Z' },
      }),
      { ...OPTIONS, passcodeVisibleMinutes: 10 },
    ),
    waiting: jobOriginSpec(ctx, fx.job(), OPTIONS),
    sentPrivately: jobOriginSpec(
      ctx,
      fx.job({ state: 'done', delivery: { state: 'sent', attempts: 1 } }),
      OPTIONS,
    ),
    passcode: passcodeSpec(ctx, fx.job({ state: 'done' }), '48213907', {
      hideAt: '2026-11-24T10:20:00Z',
      visibleMinutes: 10,
    }),
    passcodeHidden: passcodeHiddenSpec(ctx, fx.job({ state: 'done' }), 10),
    failure: notificationSpec(
      ctx,
      'failed',
      fx.job({ state: 'failed', errorCode: -2016345060 }),
      OPTIONS,
    ),
    reminder: notificationSpec(ctx, 'stillPending', fx.job(), OPTIONS),
    timeout: notificationSpec(ctx, 'timedOut', fx.job({ state: 'timedOut' }), {
      ...OPTIONS,
      forChannel: true,
    }),
    setup: setupSpec(ctx, fx.setupReport(false)),
    status: statusSpec(ctx, [fx.job(), fx.job({ id: 'job-2', state: 'failed', errorCode: 7 })]),
    audit: auditSpec(ctx, [
      fx.auditEntry(),
      fx.auditEntry({ action: 'refused', outcome: 'notYours' }),
    ]),
    error: refusalSpec(ctx, {
      kind: 'refused',
      reason: 'graphUnavailable',
      graphRequestId: 'req-9',
    }),
    notice: noticeSpec(ctx, 'Done.'),
    chooseJob: chooseJobSpec(ctx, [
      fx.job({ state: 'done' }),
      fx.job({ id: 'job-2', state: 'done' }),
    ]),
  };
}

const USER_FACING = [
  'text',
  'title',
  'label',
  'placeholder',
  'errorMessage',
  'altText',
  'fallbackText',
];

function literalTexts(node: unknown, found: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => literalTexts(n, found));
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (USER_FACING.includes(key) && typeof value === 'string') {
        const rest = value.replace(/\$\{[^}]*\}/g, '');
        if (/\p{L}/u.test(rest)) found.push(`${key}: ${value}`);
      } else literalTexts(value, found);
    }
  }
  return found;
}

describe('cards', () => {
  for (const locale of LOCALES) {
    it(`expands every template with ${locale} data, leaving no \${ behind`, () => {
      const specs = specsFor({ locale, timeZone: 'Asia/Taipei' });
      assert.deepEqual(Object.keys(specs).sort(), [...CARD_NAMES].sort());
      for (const name of CARD_NAMES) {
        const spec = specs[name];
        assert.equal(spec.name, name);
        const card = render(spec);
        const json = JSON.stringify(card);
        assert.equal(card.type, 'AdaptiveCard');
        assert.equal(card.version, '1.5', name);
        assert.ok(!json.includes('${'), `${name} (${locale}) left an expression: ${json}`);
        assert.ok(cardText(card).length > 0, name);
      }
    });
  }

  it('keeps every user-facing string out of the templates', () => {
    for (const name of CARD_NAMES) {
      const template = JSON.parse(
        readFileSync(join(projectRoot(), 'cards', `${name}.json`), 'utf8'),
      );
      assert.deepEqual(literalTexts(template), [], `${name}.json holds literal text`);
    }
  });

  it('refuses to render a card whose data lacks a field', () => {
    assert.throws(
      () => renderCard('notice', { title: 'x' }),
      (e: unknown) => e instanceof CardTemplateError && e.missing.includes('message'),
    );
  });

  it('titles the confirm buttons exactly Confirm/Cancel and 確認/取消, bound to the pending action', () => {
    const titles = { en: ['Confirm', 'Cancel'], 'zh-TW': ['確認', '取消'] } as const;
    for (const locale of LOCALES) {
      const card = render(confirmSpec({ locale }, fx.pickAnswer(), { passcodeVisibleMinutes: 15 }));
      const actions = executeActions(card);
      assert.deepEqual(
        actions.map((a) => a.title),
        titles[locale],
      );
      assert.deepEqual(
        actions.map((a) => a.verb),
        ['confirm', 'cancel'],
      );
      assert.deepEqual(
        actions.map((a) => a.data),
        [{ pendingActionId: 'pending-1' }, { pendingActionId: 'pending-1' }],
      );
      const json = JSON.stringify(card);
      assert.match(json, /"id":"ticketRef"[^}]*"maxLength":64/);
    }
    const text = cardText(
      render(confirmSpec({ locale: 'en' }, fx.pickAnswer(), { passcodeVisibleMinutes: 15 })),
    );
    for (const expected of [
      'Reset the passcode of Lumia 950?',
      'Alex Wilber (alex.wilber@contoso.onmicrosoft.com)',
      'Microsoft Lumia 950',
      'RM1104A7K2Q9',
      'Last check-in',
      'stops working',
      'only for 15 minutes',
    ]) {
      assert.ok(text.includes(expected), `confirm card lacks "${expected}":\n${text}`);
    }
  });

  it('gives eligible rows a Pick button and ineligible rows their reason instead', () => {
    const answer = fx.searchAnswer(
      [
        fx.eligibleRow('pick-a'),
        fx.ineligibleRow(),
        fx.eligibleRow('pick-b', fx.device({ id: 'x', deviceName: 'Lumia 650' })),
      ],
      {
        truncated: true,
        totalKnown: 37,
      },
    );
    for (const locale of LOCALES) {
      const card = render(resultsSpec({ locale }, answer));
      const actions = executeActions(card);
      assert.deepEqual(
        actions.map((a) => a.data),
        [{ pickId: 'pick-a' }, { pickId: 'pick-b' }],
      );
      assert.deepEqual(
        actions.map((a) => a.title),
        locale === 'en' ? ['Pick', 'Pick'] : ['選擇', '選擇'],
      );
    }
    const text = cardText(render(resultsSpec({ locale: 'en' }, answer)));
    assert.ok(text.includes('Several devices match “lumia”: which one?'), text);
    assert.ok(text.includes('Showing 3 of 37 — narrow your search.'), text);
    assert.ok(text.includes('No: the device needs Creators Update (10.0.15063) or later.'), text);
    const zh = cardText(render(resultsSpec({ locale: 'zh-TW' }, answer)));
    assert.ok(zh.includes('目前顯示 37 台中的 3 台'), zh);
  });

  it('gives each device one compact row: name; owner · OS/version · check-in; resettable or why not; Pick', () => {
    const odd = fx.device({
      deviceName: 'Lumia ${title} *x*',
      userDisplayName: '[Alex](https://evil)',
    });
    const answer = fx.searchAnswer([fx.eligibleRow('p', odd), fx.ineligibleRow()]);
    for (const locale of LOCALES) {
      const card = render(resultsSpec({ locale, timeZone: 'Asia/Taipei' }, answer));
      const text = cardText(card);
      const time = (iso: string) => formatTime(locale, iso, 'Asia/Taipei', { zone: false });
      assert.ok(
        text.includes(
          [
            plainMarkdown('Lumia ${title} *x*'),
            `${plainMarkdown('[Alex](https://evil)')} · Windows 10.0.15063.1266 · ${t(locale, 'results.checkedIn', { time: time('2026-11-24T09:30:00Z') })}`,
            t(locale, 'results.canReset'),
          ].join('\n'),
        ),
        `${locale}\n${text}`,
      );
      assert.ok(
        text.includes(
          `Old Lumia\nAlex Wilber · Windows 10.0.14393.2551 · ${t(locale, 'results.checkedIn', { time: time('2026-11-24T09:30:00Z') })}\n${t(locale, 'ineligible.osTooOld', { minimum: 'Creators Update (10.0.15063)' })}`,
        ),
        `${locale}\n${text}`,
      );
      // The zone is named once, under the rows.
      assert.ok(text.includes(t(locale, 'results.zone', { zone: 'GMT+8' })), text);
      assert.ok(!JSON.stringify(card).includes('FactSet'), 'no five-fact blocks');
      assert.deepEqual(
        executeActions(card).map((a) => a.data),
        [{ pickId: 'p' }],
      );
    }
  });

  it('says none can be reset here (not "which one?") when no row has a Pick button', () => {
    const answer = fx.searchAnswer(
      [fx.ineligibleRow(), fx.ineligibleRow(fx.device({ id: 'x', deviceName: 'Lumia 640' }))],
      { query: 'iphone' },
    );
    for (const locale of LOCALES) {
      const text = cardText(render(resultsSpec({ locale }, answer)));
      assert.ok(text.startsWith(t(locale, 'results.noneMany', { query: 'iphone' })), text);
      assert.ok(!text.includes(t(locale, 'results.titleMany', { query: 'iphone' })), text);
    }
    const one = cardText(
      render(
        resultsSpec({ locale: 'en' }, fx.searchAnswer([fx.ineligibleRow()], { query: 'old' })),
      ),
    );
    assert.match(one, /^One device matches “old”, but it can’t be reset here:/);
  });

  it('flags a device without a check-in for more than STALE_DEVICE_DAYS on its row and on the confirm card', () => {
    const row = { ...fx.eligibleRow('p'), staleDays: 45 };
    for (const locale of LOCALES) {
      const warning = t(locale, 'results.stale', { days: 45 });
      assert.ok(
        cardText(render(resultsSpec({ locale }, fx.searchAnswer([row])))).includes(warning),
      );
      const confirm = cardText(
        render(
          confirmSpec({ locale }, fx.pickAnswer({ staleDays: 45 }), { passcodeVisibleMinutes: 10 }),
        ),
      );
      assert.ok(confirm.includes(warning), confirm);
      const fresh = cardText(
        render(confirmSpec({ locale }, fx.pickAnswer(), { passcodeVisibleMinutes: 10 })),
      );
      assert.ok(!fresh.includes(warning), fresh);
    }
    assert.match(
      cardText(render(resultsSpec({ locale: 'en' }, fx.searchAnswer([row])))),
      /⚠ No check-in for 45 days: the reset happens only when it next checks in\./,
    );
  });

  it('offers the next page of a long result, and shows which part a later page is', () => {
    const rows = Array.from({ length: 10 }, (_, i) =>
      fx.eligibleRow(`p${i}`, fx.device({ id: `d${i}`, deviceName: `Lumia ${i}` })),
    );
    const first = render(
      resultsSpec(
        { locale: 'en' },
        fx.searchAnswer(rows, { truncated: true, totalKnown: 14, next: { offset: 10, count: 4 } }),
      ),
    );
    assert.match(cardText(first), /Showing 10 of 14 — narrow your search\./);
    const next = executeActions(first).find((a) => a.verb === 'search');
    assert.equal(next?.title, 'Next 4');
    assert.deepEqual(next?.data, { query: 'lumia', offset: 10 });
    const later = cardText(
      render(
        resultsSpec(
          { locale: 'zh-TW' },
          fx.searchAnswer(rows.slice(0, 4), { offset: 10, totalKnown: 14 }),
        ),
      ),
    );
    assert.ok(later.includes('目前顯示第 11–14 台，共 14 台。'), later);
  });

  it('asks which person when several match, each with a button that searches their devices', () => {
    const people = [
      { name: 'Adele Vance', upn: 'adele.vance@contoso.onmicrosoft.com' },
      { name: 'Alex Wilber', upn: 'alex.wilber@contoso.onmicrosoft.com' },
    ];
    for (const locale of LOCALES) {
      const card = render(
        resultsSpec({ locale }, fx.searchAnswer([], { query: 'a', people, morePeople: true })),
      );
      const text = cardText(card);
      assert.ok(text.startsWith(t(locale, 'results.whichPerson', { query: 'a' })), text);
      assert.ok(text.includes('Adele Vance\nadele.vance@contoso.onmicrosoft.com'), text);
      assert.ok(text.includes(t(locale, 'results.morePeople')), text);
      assert.deepEqual(
        executeActions(card).map((a) => [a.verb, a.title, a.data]),
        people.map((p) => ['search', t(locale, 'results.showDevices'), { query: p.upn }]),
      );
    }
  });

  it('shows a running reset instead of a Pick button', () => {
    const row = {
      ...fx.eligibleRow('pick-a'),
      activeReset: { jobId: 'j', requesterName: 'Lee Gu', requestedAt: '2026-11-24T10:00:00Z' },
    };
    const card = render(resultsSpec({ locale: 'en' }, fx.searchAnswer([row])));
    assert.deepEqual(executeActions(card), []);
    assert.match(
      cardText(card),
      /One device matches “lumia”, but it can’t be reset here:[\s\S]*A reset is already running \(requested by Lee Gu, Nov 24, 2026/,
    );
  });

  it('suggests searching by user or serial number when nothing matches, with a new search box', () => {
    const card = render(resultsSpec({ locale: 'en' }, fx.searchAnswer([], { query: 'nobody' })));
    assert.match(
      cardText(card),
      /No device matches “nobody”\.[\s\S]*sign-in name[\s\S]*serial number/,
    );
    assert.deepEqual(
      executeActions(card).map((a) => a.verb),
      ['search'],
    );
  });

  it('after a miss, suggests another kind of search than the one tried, never the text just typed', () => {
    for (const [query, kind, suggested] of [
      ['alex@contoso.com', 'signInName', /person's name \(Alex Wilber\)/],
      ['RM9999Z9Z9Z9', 'serial', /person's name \(Alex Wilber\)/],
      ['Alex Wilber', 'name', /sign-in name \(alex\.wilber@contoso\.onmicrosoft\.com\)/],
    ] as const) {
      assert.equal(queryKind(query), kind);
      for (const locale of LOCALES) {
        const text = cardText(render(resultsSpec({ locale }, fx.searchAnswer([], { query }))));
        const hint = text.split('\n')[1] ?? '';
        assert.equal(hint, t(locale, `noMatch.hint.${kind}`), text);
        assert.ok(!hint.toLowerCase().includes(query.toLowerCase()), `${locale}: ${hint}`);
      }
      const en = cardText(render(resultsSpec({ locale: 'en' }, fx.searchAnswer([], { query }))));
      assert.match(en, suggested);
    }
  });

  it('gives examples that are real entries of the demo tenant', () => {
    const tenant = JSON.parse(
      readFileSync(join(projectRoot(), 'src', 'emulator', 'tenants', 'demo-tenant.json'), 'utf8'),
    ) as {
      users: Array<{ displayName: string; userPrincipalName: string }>;
      managedDevices: Array<{ deviceName: string; serialNumber: string }>;
    };
    const real = new Set([
      ...tenant.users.flatMap((u) => [u.displayName, u.userPrincipalName]),
      ...tenant.managedDevices.flatMap((d) => [d.deviceName, d.serialNumber]),
    ]);
    const keys = [
      'welcome.try',
      'search.prompt',
      'search.placeholder',
      'noMatch.hint.signInName',
      'noMatch.hint.serial',
      'noMatch.hint.name',
    ];
    for (const locale of LOCALES) {
      for (const key of keys) {
        const text = t(locale, key);
        assert.ok(!text.includes('alex@contoso.com'), `${locale} ${key}: ${text}`);
        // Every example: `reset X` / `重設 X` in code spans, or (X) in parentheses.
        const examples = [
          ...[...text.matchAll(/`(?:reset|重設) ([^`]+)`/g)].map((m) => m[1]!),
          ...[...text.matchAll(/[(（]([^)）]+)[)）]/g)].map((m) => m[1]!),
        ].filter((e) => !/Intune/.test(e));
        if (key === 'search.placeholder') examples.push(...text.split(/, | or |、| 或 /));
        assert.ok(examples.length > 0, `${locale} ${key} gives an example`);
        for (const example of examples) {
          const known =
            real.has(example) ||
            [...real].some(
              (r) => r.startsWith(example) || r.includes(` ${example}`) || r.includes(example),
            );
          assert.ok(known, `${locale} ${key}: “${example}” is no demo entry`);
        }
      }
    }
  });

  it('shows the passcode large and monospace, with when it will be hidden', () => {
    const card = render(
      passcodeSpec({ locale: 'en', timeZone: 'UTC' }, fx.job({ state: 'done' }), '48213907', {
        hideAt: '2026-11-24T10:20:00Z',
        visibleMinutes: 10,
      }),
    );
    const json = JSON.stringify(card);
    assert.match(json, /"text":"48213907","fontType":"Monospace","size":"ExtraLarge"/);
    assert.match(
      cardText(card),
      /hide this passcode at Nov 24, 2026, 10:20 AM UTC \(10 minutes\)\. Type `show passcode Lumia 950`/,
    );
  });

  it('gives a failure its reason, error code, time, Graph request-id and the admin-center link', () => {
    for (const locale of LOCALES) {
      const card = render(
        notificationSpec(
          { locale, timeZone: 'UTC' },
          'failed',
          fx.job({ state: 'failed', errorCode: -2016345060, finishedAt: '2026-11-24T10:05:00Z' }),
          OPTIONS,
        ),
      );
      const text = cardText(card);
      for (const expected of ['-2016345060', 'req-1234', '2026'])
        assert.ok(text.includes(expected), `${locale}: ${expected}\n${text}`);
      assert.ok(
        JSON.stringify(card).includes(
          `"url":"${ADMIN_CENTER_DEVICE_URL}d7c2a1e0-4b3a-4c5d-8e6f-000000000001"`,
        ),
      );
    }
    assert.match(
      cardText(
        render(
          notificationSpec({ locale: 'en' }, 'timedOut', fx.job({ state: 'timedOut' }), OPTIONS),
        ),
      ),
      /within 72 hours/,
    );
    assert.match(
      cardText(
        render(
          notificationSpec({ locale: 'en' }, 'notSupported', fx.job({ state: 'notSupported' }), {
            ...OPTIONS,
            forChannel: true,
          }),
        ),
      ),
      /Helpdesk notice: a reset requested by Megan Bowen\./,
    );
  });

  it('shows an error code only when there is one, and says what a known Intune code means', () => {
    for (const locale of LOCALES) {
      const label = t(locale, 'common.errorCode');
      for (const [kind, job] of [
        ['stillPending', fx.job({ errorCode: 0 })],
        ['timedOut', fx.job({ state: 'timedOut', errorCode: 0 })],
        ['notSupported', fx.job({ state: 'notSupported', errorCode: 0 })],
      ] as const) {
        const text = cardText(render(notificationSpec({ locale }, kind, job, OPTIONS)));
        assert.ok(!text.includes(label), `${locale} ${kind}: no error code row\n${text}`);
        assert.ok(
          !/\b0\b/.test(text.replace(/\d{4}|\d+:\d+/g, '')),
          `${locale} ${kind}: no 0\n${text}`,
        );
      }
      const failed = cardText(
        render(
          notificationSpec(
            { locale },
            'failed',
            fx.job({ state: 'failed', errorCode: -2016345060 }),
            OPTIONS,
          ),
        ),
      );
      assert.ok(
        failed.includes(`-2016345060 (0x87D1041C): ${t(locale, 'intuneCode.notDetected')}`),
        `${locale}\n${failed}`,
      );
      const status = cardText(
        render(statusSpec({ locale }, [fx.job({ state: 'notSupported', errorCode: 0 })])),
      );
      assert.ok(!status.includes(label), `${locale}: status shows no code 0\n${status}`);
    }
  });

  it('audit: people by name with their ids below, device owners and seconds tell rows apart', () => {
    const entries = [
      fx.auditEntry({ actorName: 'Megan Bowen', deviceOwner: 'Alex Wilber' }),
      fx.auditEntry({
        at: '2026-11-24T10:00:07Z',
        actorName: 'Megan Bowen',
        deviceOwner: 'Lynne Robbins',
      }),
      fx.auditEntry({
        action: 'stateChange',
        actorId: 'system',
        actorUpn: undefined,
        requesterName: 'Megan Bowen',
        outcome: 'done',
        ticketRef: undefined,
      }),
    ];
    const text = cardText(render(auditSpec({ locale: 'en', timeZone: 'UTC' }, entries)));
    const lines = text.split('\n');
    assert.ok(
      lines.includes(
        'Nov 24, 2026, 10:00:00 AM UTC · Megan Bowen · confirm · Lumia 950 (Alex Wilber) · accepted',
      ),
      text,
    );
    assert.ok(
      lines.includes(
        'Nov 24, 2026, 10:00:07 AM UTC · Megan Bowen · confirm · Lumia 950 (Lynne Robbins) · accepted',
      ),
      text,
    );
    assert.ok(
      lines.includes(
        'megan.bowen@contoso.onmicrosoft.com · 0c3b2a91-4f5e-4d6c-8b7a-000000000002 · INC0012345',
      ),
      text,
    );
    assert.ok(text.includes('Passcode Desk (reset by Megan Bowen) · state change'), text);
    const zh = cardText(render(auditSpec({ locale: 'zh-TW', timeZone: 'UTC' }, entries)));
    assert.ok(zh.includes('Lumia 950（使用者：Alex Wilber）'), zh);
    // Older entries (before names were kept) show the UPN.
    const old = cardText(render(auditSpec({ locale: 'en' }, [fx.auditEntry()])));
    assert.match(old, / · megan\.bowen@contoso\.onmicrosoft\.com · confirm · Lumia 950 · accepted/);
  });

  it("status names each device's owner, so two devices of one name read apart", () => {
    for (const locale of LOCALES) {
      const text = cardText(
        render(
          statusSpec({ locale }, [
            fx.job(),
            fx.job({
              id: 'job-2',
              device: { id: 'd2', name: 'Lumia 950', ownerName: 'Lynne Robbins' },
            }),
          ]),
        ),
      );
      assert.ok(
        text.includes(
          `${t(locale, 'common.owner')}\nAlex Wilber (alex.wilber@contoso.onmicrosoft.com)`,
        ),
        text,
      );
      assert.ok(text.includes(`${t(locale, 'common.owner')}\nLynne Robbins`), text);
    }
  });

  it('says a passcode sent again by show passcode is a re-read of the earlier reset', () => {
    for (const locale of LOCALES) {
      const job = fx.job({ state: 'done', finishedAt: '2026-11-24T10:05:00Z' });
      const text = cardText(
        render(
          passcodeSpec({ locale, timeZone: 'UTC' }, job, '48213907', {
            hideAt: '2026-11-24T11:20:00Z',
            visibleMinutes: 10,
            reRead: true,
          }),
        ),
      );
      assert.ok(text.startsWith(t(locale, 'passcode.titleAgain', { device: 'Lumia 950' })), text);
      assert.ok(
        text.includes(
          t(locale, 'passcode.reRead', { time: formatTime(locale, job.finishedAt, 'UTC') }),
        ),
        text,
      );
    }
    const first = cardText(
      render(
        passcodeSpec({ locale: 'en' }, fx.job({ state: 'done' }), '48213907', {
          hideAt: '2026-11-24T11:20:00Z',
          visibleMinutes: 10,
        }),
      ),
    );
    assert.ok(!first.includes('Read again'), first);
  });

  for (const state of ['failed', 'notSupported', 'canceled'] as const) {
    it(`gives ${state} its own reason, the error code, the request time and the admin-center link, on the notice and the origin card`, () => {
      const job = fx.job({ state, errorCode: 7, finishedAt: '2026-11-24T10:05:00Z' });
      for (const locale of LOCALES) {
        const ctx = { locale, timeZone: 'UTC' };
        const reason = t(locale, `notification.${state}.reason`);
        const others = (['failed', 'notSupported', 'canceled'] as const)
          .filter((s) => s !== state)
          .map((s) => t(locale, `notification.${s}.reason`));
        for (const card of [
          render(notificationSpec(ctx, state, job, OPTIONS)),
          render(jobOriginSpec(ctx, job, OPTIONS)),
        ]) {
          const text = cardText(card);
          assert.ok(text.includes(reason), `${locale}: no reason\n${text}`);
          for (const other of others) assert.ok(!text.includes(other), `${locale}: ${other}`);
          const fact = (key: string) =>
            new RegExp(`^${t(locale, key)}\\n(.+)$`, 'm').exec(text)?.[1];
          assert.equal(fact('common.errorCode'), '7 (0x00000007)', `${locale}\n${text}`);
          assert.equal(
            fact('common.requestedAt'),
            plainMarkdown(formatTime(locale, job.submittedAt, 'UTC')),
            `${locale}\n${text}`,
          );
          assert.ok(
            JSON.stringify(card).includes(`"url":"${ADMIN_CENTER_DEVICE_URL}${job.device.id}"`),
            `${locale}: no admin-center link`,
          );
        }
      }
    });
  }

  it('tells a group or channel only that the passcode went to the requester privately', () => {
    const done = fx.job({ state: 'done', delivery: { state: 'sent', attempts: 1 } });
    assert.match(
      cardText(render(jobOriginSpec({ locale: 'en' }, done, OPTIONS))),
      /The new passcode was sent to Megan Bowen in a private chat\./,
    );
    assert.match(
      cardText(render(jobOriginSpec({ locale: 'zh-TW' }, done, OPTIONS))),
      /新密碼已透過私人聊天傳給 Megan Bowen。/,
    );
    const personal = fx.job({
      state: 'done',
      delivery: { state: 'sent', attempts: 1 },
      origin: { key: 'k', kind: 'personal', activityId: 'm' },
    });
    assert.match(
      cardText(render(jobOriginSpec({ locale: 'en' }, personal, OPTIONS))),
      /The new passcode is in the message below\./,
    );
    assert.match(
      cardText(
        render(
          jobOriginSpec(
            { locale: 'en' },
            fx.job({ state: 'done', delivery: { state: 'failed', attempts: 5 } }),
            OPTIONS,
          ),
        ),
      ),
      /couldn't reach you in a private chat/,
    );
    assert.match(
      cardText(render(jobOriginSpec({ locale: 'en' }, fx.job({ state: 'done' }), OPTIONS))),
      /Sending the new passcode privately/,
    );
  });

  it('lists each prerequisite with its fix, the consent links and the OMA-URI with the tenant id', () => {
    const card = render(setupSpec({ locale: 'en' }, fx.setupReport(false)));
    const json = JSON.stringify(card);
    assert.ok(json.includes(JSON.stringify(PIN_RESET_SERVICE_CONSENT_URL)));
    assert.ok(json.includes(JSON.stringify(PIN_RESET_CLIENT_CONSENT_URL)));
    assert.ok(
      PIN_RESET_SERVICE_CONSENT_URL.includes('client_id=b8456c59-1230-44c7-a4a2-99b085333e84'),
    );
    assert.ok(
      PIN_RESET_CLIENT_CONSENT_URL.includes('client_id=9115dd05-fad5-4f9c-acc7-305d08b1b04e'),
    );
    const text = cardText(card);
    assert.ok(
      text.includes(
        `./Device/Vendor/MSFT/PassportForWork/${fx.TENANT_ID}/Policies/EnablePinRecovery`,
      ),
    );
    assert.match(
      text,
      /❌ Missing · Microsoft Pin Reset Client Production has admin consent\nA tenant admin opens/,
    );
    assert.match(
      text,
      /✅ Passed · Microsoft Pin Reset Service Production has admin consent\n(?!A tenant admin)/,
    );
    assert.ok(text.includes('Some prerequisites are missing'));
    assert.ok(
      cardText(render(setupSpec({ locale: 'en' }, fx.setupReport(true)))).includes(
        'Everything is in place.',
      ),
    );
  });

  it('adds a refresh for the requester only when asked', () => {
    const spec = jobOriginSpec({ locale: 'en' }, fx.job(), OPTIONS);
    assert.equal(render(spec).refresh, undefined);
    assert.deepEqual(render(spec, '29:megan').refresh, {
      action: { type: 'Action.Execute', verb: 'refresh', data: { view: 'waiting' } },
      userIds: ['29:megan'],
    });
  });

  it('words refusals with the details the domain gives, and without when it gives none', () => {
    const text = (params?: Record<string, string | number>) =>
      cardText(
        render(
          refusalSpec(
            { locale: 'en', timeZone: 'UTC' },
            { kind: 'refused', reason: 'resetInProgress', ...(params ? { params } : {}) },
          ),
        ),
      );
    assert.match(
      text({ requester: 'Lee Gu', since: '2026-11-24T10:00:00Z' }),
      /requested by Lee Gu, Nov 24, 2026, 10:00 AM UTC/,
    );
    assert.match(text(), /A reset of this device is already running\./);
    assert.match(
      cardText(
        render(
          refusalSpec(
            { locale: 'zh-TW' },
            { kind: 'refused', reason: 'graphUnavailable', graphRequestId: 'req-7' },
          ),
        ),
      ),
      /目前無法連線到 Intune[\s\S]*req-7/,
    );
  });
});

describe('cards: ticket links (TICKET_URL_TEMPLATE)', () => {
  const ctx: ViewContext = { locale: 'en', timeZone: 'UTC' };

  it('links the ticket, URL-encoded, with its text kept literal', () => {
    assert.deepEqual(ticketFact(ctx, 'INC0012345', 'https://itsm.contoso.com/i/{ticket}'), {
      title: 'Ticket',
      value: '[INC0012345](https://itsm.contoso.com/i/INC0012345)',
    });
    const odd = ticketFact(ctx, 'INC 1)&x=[2]', 'https://itsm.contoso.com/q?number={ticket}(x)');
    assert.equal(
      odd.value,
      `[${plainMarkdown('INC 1)&x=[2]')}](https://itsm.contoso.com/q?number=INC%201%29%26x%3D%5B2%5D%28x%29)`,
    );
    assert.deepEqual(ticketFact(ctx, 'INC*1*'), {
      title: 'Ticket',
      value: plainMarkdown('INC*1*'),
    });
  });

  it('shows the link on the job, notice and passcode cards', () => {
    const job = fx.job({ ticketRef: 'RITM0000001' });
    const template = 'https://itsm.contoso.com/i/{ticket}';
    const link = '[RITM0000001](https://itsm.contoso.com/i/RITM0000001)';
    const options = { resetTimeoutMinutes: 60, ticketUrlTemplate: template };
    for (const spec of [
      jobOriginSpec(ctx, job, options),
      notificationSpec(ctx, 'failed', { ...job, state: 'failed' }, options),
      passcodeSpec(ctx, job, '12345678', {
        hideAt: '2026-11-24T10:20:00Z',
        visibleMinutes: 10,
        ticketUrlTemplate: template,
      }),
      passcodeHiddenSpec(ctx, job, 10, template),
      statusSpec(ctx, [job], [], template),
    ]) {
      assert.ok(
        JSON.stringify(render(spec)).includes(JSON.stringify(link).slice(1, -1)),
        spec.name,
      );
    }
  });
});
