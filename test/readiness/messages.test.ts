import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../src/paths';
import {
  READINESS_LOCALES,
  READINESS_MESSAGES,
  readinessLocale,
  readinessText,
} from '../../src/readiness/messages';
import { REQUIRED_PERMISSIONS } from '../../src/readiness/permissionChecks';
import { renderReadinessText } from '../../src/readiness/renderText';
import { item, READINESS_AREAS, summarize } from '../../src/readiness/report';

const placeholders = (text: string): string[] =>
  [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string).sort();

/** Every 'readiness.…' key written literally in src/readiness, plus the ones built from ids. */
function keysUsedBySource(): string[] {
  const folder = join(projectRoot(), 'src', 'readiness');
  const literal = new Set<string>();
  for (const file of readdirSync(folder).filter((f) => f.endsWith('.ts') && f !== 'messages.ts')) {
    const text = readFileSync(join(folder, file), 'utf8');
    for (const match of text.matchAll(/'(readiness\.[\w.]+)'/g)) literal.add(match[1] as string);
  }
  const built = [
    ...REQUIRED_PERMISSIONS.map((p) => `readiness.check.permission.${p.purpose}`),
    ...[
      'pinResetServicePrincipal',
      'pinResetClientPrincipal',
      'enablePinRecoveryProfile',
      'enablePinRecoveryAssignment',
    ].flatMap((id) => [`readiness.check.prerequisite.${id}`, `readiness.fix.prerequisite.${id}`]),
    ...READINESS_AREAS.map((area) => `readiness.area.${area}`),
    ...['roles', 'scopes', 'opaque', 'none'].map((s) => `readiness.permissionSource.${s}`),
  ];
  return [...literal, ...built];
}

describe('readiness messages (en / zh-TW)', function () {
  it('has the same keys in both languages', function () {
    assert.deepEqual(
      Object.keys(READINESS_MESSAGES['zh-TW']).sort(),
      Object.keys(READINESS_MESSAGES.en).sort(),
    );
  });

  it('uses the same placeholders for a key in both languages, and no empty text', function () {
    for (const [key, english] of Object.entries(READINESS_MESSAGES.en)) {
      const chinese = READINESS_MESSAGES['zh-TW'][key] ?? '';
      assert.ok(english.trim() && chinese.trim(), key);
      assert.deepEqual(placeholders(chinese), placeholders(english), key);
    }
  });

  it('has a message for every key the checks use, and keeps only readiness.* keys', function () {
    const used = keysUsedBySource();
    assert.ok(used.length > 30, `only ${used.length} keys found`);
    for (const key of used) {
      assert.ok(Object.hasOwn(READINESS_MESSAGES.en, key), `missing ${key}`);
    }
    for (const key of Object.keys(READINESS_MESSAGES.en)) assert.match(key, /^readiness\./);
  });

  it('fills placeholders, marks a missing one, and falls back to the key', function () {
    assert.equal(readinessText('en', 'readiness.tenant', { tenantId: 'abc' }), 'Tenant abc');
    assert.equal(readinessText('zh-TW', 'readiness.tenant', {}), '租用戶 …');
    assert.equal(readinessText('en', 'readiness.no.such.key'), 'readiness.no.such.key');
  });

  it('reads Traditional Chinese locale tags as zh-TW and everything else as English', function () {
    for (const tag of ['zh-TW', 'zh-tw', 'zh_TW', 'zh-Hant', 'zh-Hant-TW', 'zh-HK']) {
      assert.equal(readinessLocale(tag), 'zh-TW', tag);
    }
    for (const tag of ['en', 'en-US', 'zh-CN', 'zh', 'fr', '', undefined]) {
      assert.equal(readinessLocale(tag), 'en', String(tag));
    }
    assert.deepEqual([...READINESS_LOCALES], ['en', 'zh-TW']);
  });

  it('renders a table with a symbol per status and the fix only under failures and warnings', function () {
    const report = summarize(
      '2025-01-01T00:00:00.000Z',
      [
        item('graph.reachable', 'graph', 'pass', {
          titleKey: 'readiness.check.graph.reachable',
          fixKey: 'readiness.fix.graph.unreachable',
          params: { baseUrl: 'https://graph.microsoft.com' },
        }),
        item(
          'storage.roundTrip',
          'storage',
          'fail',
          {
            titleKey: 'readiness.check.storage.roundTrip',
            fixKey: 'readiness.fix.storage.sqlite',
            params: { storage: 'sqlite', dataDir: '/srv/data' },
          },
          'SqliteError: disk I/O error',
        ),
        item(
          'bot.registration',
          'bot',
          'warn',
          {
            titleKey: 'readiness.check.bot.registration',
            fixKey: 'readiness.fix.bot.localDevelopment',
          },
          'local development: unauthenticated, loopback only',
        ),
        item('storage.reachable', 'storage', 'skip', {
          titleKey: 'readiness.check.storage.reachable',
          fixKey: 'readiness.fix.storage.sqlite',
          params: { storage: 'sqlite', dataDir: '/srv/data' },
        }),
      ],
      { permissionSource: 'none', tenantId: 'tenant-1' },
    );
    const text = renderReadinessText(report, 'en');
    const lines = text.split('\n');
    assert.equal(lines[0], 'Passcode Desk readiness — Tenant tenant-1');
    assert.ok(lines.includes('  ✔ Microsoft Graph answers at https://graph.microsoft.com'));
    const failed = lines.indexOf(
      '  ✖ Storage writes, reads and deletes a probe document (SqliteError: disk I/O error)',
    );
    assert.ok(failed > 0, text);
    assert.match(lines[failed + 1] ?? '', /^ {6}Fix: Make DATA_DIR \(\/srv\/data\)/);
    assert.ok(lines.some((l) => l.startsWith('  ! The bot identity')));
    assert.ok(lines.includes('  – Storage (sqlite) answers'));
    assert.equal(lines.filter((l) => l.includes('Fix:')).length, 2);
    assert.ok(text.includes('Passed 1 · failed 1 · warnings 1 · skipped 1'));
    assert.ok(text.includes('Not ready'));

    const chinese = renderReadinessText(report, 'zh-TW');
    assert.ok(chinese.includes('修正方式：請讓 DATA_DIR（/srv/data）'));
    assert.ok(chinese.includes('尚未就緒'));
  });
});
