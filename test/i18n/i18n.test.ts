import assert from 'node:assert/strict';
import type { AuditAction } from '../../src/domain/ports/audit';
import type { RefusalReason } from '../../src/domain/desk/desk';
import type { IneligibleReason } from '../../src/domain/desk/eligibility';
import type { JobState } from '../../src/domain/shared/job';
import type { NotificationKind } from '../../src/domain/ports/messenger';
import type { PrerequisiteId } from '../../src/domain/ports/intune';
import {
  dictionary,
  formatDuration,
  formatTime,
  hasKey,
  placeholders,
  resolveLocale,
  t,
  tWithOptionalParams,
  LOCALES,
} from '../../src/i18n';

/** Lists the domain's unions at run time; the `Exhaustive` checks fail to compile when one grows. */
type Exhaustive<All, Listed> = [Exclude<All, Listed>] extends [never] ? true : never;

const REFUSAL_REASONS = [
  'tenantNotAllowed',
  'notTechnician',
  'notAdmin',
  'invalidInput',
  'rateLimited',
  'tenantRateLimited',
  'unknownAction',
  'expired',
  'notYours',
  'alreadyUsed',
  'deviceNotFound',
  'notEligible',
  'resetInProgress',
  'acknowledgementRequired',
  'noRecentReset',
  'passcodeExpired',
  'passcodeUnavailable',
  'passcodeNotReady',
  'previousCopyVisible',
  'passcodeRemoved',
  'notInChannel',
  'graphUnavailable',
  'permissionMissing',
  'signInRequired',
  'deliveryFailed',
  'notApprover',
  'selfApproval',
  'alreadyDecided',
  'ticketRequired',
  'ticketMismatch',
] as const satisfies readonly RefusalReason[];
const INELIGIBLE_REASONS = [
  'platformNotSupported',
  'osTooOld',
  'notAzureAdJoined',
  'insufficientData',
  'notEnabledHere',
  'deviceAdministrator',
  'appleUserEnrollment',
] as const satisfies readonly IneligibleReason[];
const JOB_STATES = [
  'awaitingApproval',
  'requested',
  'submitting',
  'submitted',
  'pending',
  'active',
  'done',
  'failed',
  'canceled',
  'notSupported',
  'timedOut',
  'denied',
  'approvalExpired',
] as const satisfies readonly JobState[];
const NOTIFICATION_KINDS = [
  'failed',
  'notSupported',
  'canceled',
  'stillPending',
  'timedOut',
  'deliveryFailed',
  'passcodeUnavailable',
  'requesterUnreachable',
  'signInNeeded',
  'passcodeRemoved',
  'denied',
  'approvalExpired',
] as const satisfies readonly NotificationKind[];
const AUDIT_ACTIONS = [
  'search',
  'pick',
  'confirm',
  'approval',
  'cancel',
  'submit',
  'stateChange',
  'deliver',
  'hide',
  'passcodeView',
  'notify',
  'refused',
  'setupCheck',
  'configure',
] as const satisfies readonly AuditAction[];
const PREREQUISITES = [
  'pinResetServicePrincipal',
  'pinResetClientPrincipal',
  'enablePinRecoveryProfile',
  'enablePinRecoveryAssignment',
  'androidEnterprisePasscodePolicy',
  'aospPasscodePolicy',
] as const satisfies readonly PrerequisiteId[];

const exhaustive: [
  Exhaustive<RefusalReason, (typeof REFUSAL_REASONS)[number]>,
  Exhaustive<IneligibleReason, (typeof INELIGIBLE_REASONS)[number]>,
  Exhaustive<JobState, (typeof JOB_STATES)[number]>,
  Exhaustive<NotificationKind, (typeof NOTIFICATION_KINDS)[number]>,
  Exhaustive<AuditAction, (typeof AUDIT_ACTIONS)[number]>,
  Exhaustive<PrerequisiteId, (typeof PREREQUISITES)[number]>,
] = [true, true, true, true, true, true];

const CJK = /[\u3400-\u9fff]/;

describe('i18n', () => {
  it('lists every domain code (compile-time check)', () => {
    assert.deepEqual(exhaustive, [true, true, true, true, true, true]);
  });

  it('has exactly the same keys in en and zh-TW', () => {
    const en = Object.keys(dictionary('en')).sort();
    const zh = Object.keys(dictionary('zh-TW')).sort();
    assert.deepEqual(
      zh.filter((k) => !en.includes(k)),
      [],
      'keys only in zh-TW',
    );
    assert.deepEqual(
      en.filter((k) => !zh.includes(k)),
      [],
      'keys only in en',
    );
  });

  it('uses the same {placeholders} in both languages', () => {
    for (const [key, message] of Object.entries(dictionary('en'))) {
      const zh = dictionary('zh-TW')[key] ?? '';
      assert.deepEqual(
        placeholders(zh).sort(),
        placeholders(message).sort(),
        `placeholders of ${key}`,
      );
    }
  });

  it('writes the zh-TW messages in Chinese, not copied English', () => {
    // Labels that are product names or codes on purpose.
    const sameInBothLanguages = new Set(['setup.omaUriLabel', 'app.name']);
    for (const [key, message] of Object.entries(dictionary('zh-TW'))) {
      if (sameInBothLanguages.has(key)) continue;
      const withoutCode = message.replace(/\{\w+\}/g, '').replace(/`[^`]*`/g, '');
      assert.ok(CJK.test(withoutCode), `zh-TW ${key} has no Chinese: ${message}`);
      assert.notEqual(message, dictionary('en')[key], `zh-TW ${key} is the English text`);
    }
  });

  it('has a message for every refusal reason, eligibility reason, job state, notification, audit action and prerequisite', () => {
    const keys = [
      ...REFUSAL_REASONS.map((r) => `refusal.${r}`),
      ...INELIGIBLE_REASONS.map((r) => `ineligible.${r}`),
      ...JOB_STATES.map((s) => `jobState.${s}`),
      ...NOTIFICATION_KINDS.flatMap((k) => [`notification.${k}.title`, `notification.${k}.reason`]),
      ...AUDIT_ACTIONS.map((a) => `audit.action.${a}`),
      ...PREREQUISITES.flatMap((p) => [`setup.check.${p}`, `setup.fix.${p}`]),
    ];
    for (const locale of LOCALES) {
      for (const key of keys) assert.ok(hasKey(locale, key), `${locale} lacks ${key}`);
    }
  });

  it('words every refusal so it reads well without parameters', () => {
    for (const reason of REFUSAL_REASONS) {
      for (const locale of LOCALES) {
        assert.deepEqual(
          placeholders(dictionary(locale)[`refusal.${reason}`] ?? ''),
          [],
          `${locale} refusal.${reason}`,
        );
      }
    }
  });

  it('maps Teams locales to zh-TW or en', () => {
    for (const tag of ['zh-TW', 'zh-tw', 'zh-Hant', 'zh-Hant-TW', 'zh-HK', 'zh-MO', 'zh_TW']) {
      assert.equal(resolveLocale(tag), 'zh-TW', tag);
    }
    for (const tag of [
      'en-US',
      'en-GB',
      'fr-FR',
      'zh-CN',
      'zh-Hans',
      'zh',
      '',
      undefined,
      null,
      'zhx-TW',
    ]) {
      assert.equal(resolveLocale(tag), 'en', String(tag));
    }
  });

  it('fills placeholders and never shows a raw one', () => {
    assert.equal(
      t('en', 'sent.privately', { name: 'Megan' }),
      'The new passcode was sent to Megan in a private chat.',
    );
    assert.equal(
      t('zh-TW', 'sent.privately', { name: 'Megan' }),
      '新密碼已透過私人聊天傳給 Megan。',
    );
    assert.equal(t('en', 'sent.privately'), 'The new passcode was sent to … in a private chat.');
    assert.equal(t('en', 'no.such.key'), 'no.such.key');
  });

  it('uses the precise variant only when every parameter is there', () => {
    assert.equal(
      tWithOptionalParams('en', 'refusal.rateLimited', { retryAfterMinutes: 12, limit: 10 }),
      "You've reached your limit of resets for now. Try again in 12 minutes.",
    );
    assert.equal(
      tWithOptionalParams('en', 'refusal.rateLimited', {}),
      dictionary('en')['refusal.rateLimited'],
    );
    assert.equal(
      tWithOptionalParams('zh-TW', 'refusal.resetInProgress', { requester: '', since: 'x' }),
      dictionary('zh-TW')['refusal.resetInProgress'],
    );
  });

  it('counts in English with the right plural, and zh-TW keeps its one form', () => {
    assert.equal(
      t('en', 'confirm.step3', { minutes: 1 }),
      'Only you will see the new passcode, in a private chat, and only for 1 minute.',
    );
    assert.match(t('en', 'confirm.step3', { minutes: 15 }), /only for 15 minutes\.$/);
    assert.equal(
      t('zh-TW', 'confirm.step3', { minutes: 1 }),
      '只有您會在私人聊天中看到新密碼，而且只顯示 1 分鐘。',
    );
    assert.equal(formatDuration('en', 1), '1 minute');
    assert.equal(formatDuration('en', 120), '2 hours');
    assert.equal(formatDuration('zh-TW', 1), '1 分鐘');
    assert.equal(t('en', 'audit.title', { count: 1 }), 'Last 1 audit entry');
    assert.equal(t('en', 'audit.title', { count: 1200 }), 'Last 1200 audit entries');
    assert.equal(t('zh-TW', 'audit.title', { count: 1 }), '最近 1 筆稽核紀錄');
    assert.equal(
      tWithOptionalParams('en', 'refusal.rateLimited', { retryAfterMinutes: 1, limit: 10 }),
      "You've reached your limit of resets for now. Try again in 1 minute.",
    );
    // Parameters stay data inside a plural message too, and a missing count reads "…".
    assert.equal(
      t('en', 'passcodeHidden.text', { device: '[x](https://evil)', minutes: 1 }),
      'The passcode for \\[x\\](https://evil) was shown for 1 minute. Type `show passcode [x](https://evil)` to see it again.',
    );
    assert.equal(t('en', 'notification.minutes'), '… minutes');
  });

  it('never says "1 minutes": every English message counts with a plural argument', () => {
    const COUNT_NAME = /count|minutes|hours|seconds|days|max|length|total|shown|limit|size|^n$/i;
    const plural =
      /\b1 (?:\w+ )?(?:minutes|hours|seconds|days|characters|entries|devices|resets|requests|matches|results|technicians|times|approvers|tickets)\b/;
    for (const [key, message] of Object.entries(dictionary('en'))) {
      // Counts are 1; names (a device, a platform) are words, so "{platform} devices" is fine.
      const ones = Object.fromEntries(
        placeholders(message).map((name) => [name, COUNT_NAME.test(name) ? 1 : 'Lumia']),
      );
      const text = t('en', key, ones);
      assert.doesNotMatch(
        text,
        plural,
        `en ${key} says "${text}": write the count as {n, plural, one {# thing} other {# things}}`,
      );
    }
  });

  it('formats times in the reader time zone and language', () => {
    const iso = '2026-11-24T10:00:00Z';
    assert.match(formatTime('en', iso, 'Asia/Taipei'), /Nov 24, 2026.*06:00 PM.*GMT\+8/);
    assert.match(formatTime('zh-TW', iso, 'Asia/Taipei'), /2026年11月24日.*下午06:00/);
    assert.match(formatTime('en', iso), /10:00 AM UTC/);
    assert.match(formatTime('en', iso, 'Not/AZone'), /10:00 AM UTC/);
    assert.equal(formatTime('en', undefined), 'not reported');
    assert.equal(formatTime('zh-TW', 'garbage'), '未回報');
    assert.equal(formatDuration('en', 4320), '72 hours');
    assert.equal(formatDuration('zh-TW', 90), '90 分鐘');
  });
});
