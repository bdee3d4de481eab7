import assert from 'node:assert/strict';
import {
  ALL_RESET_PLATFORMS,
  PLATFORM_RULES,
  RESET_PLATFORM_KEYS,
  evaluateEligibility,
  platformRuleFor,
  type PlatformRule,
} from '../../../src/domain/desk/eligibility';
import { confirmSpec } from '../../../src/bot/views/confirmView';
import { jobOriginSpec, notificationSpec } from '../../../src/bot/views/jobViews';
import { ineligibleText } from '../../../src/bot/views/searchViews';
import type { ResetJob } from '../../../src/domain/shared/job';
import { LOCALES, formatDuration, hasKey, placeholders, t } from '../../../src/i18n';
import { ROW_SAMPLES } from '../support/platformDevices';

/** Every i18n key a row names (adding a platform is a row plus these strings). */
function keysOf(rule: PlatformRule): string[] {
  if (!rule.supported) return [`ineligible.${rule.refusal ?? 'platformNotSupported'}`];
  const r = rule.reset;
  return [
    r.confirmTitleKey,
    ...r.consequenceKeys,
    ...(r.extraConfirmationKey ? [r.extraConfirmationKey] : []),
    r.failedReasonKey,
    r.notSupportedReasonKey,
    ...r.prerequisites.flatMap((p) => [`setup.check.${p}`, `setup.fix.${p}`]),
  ];
}

describe('domain/eligibility: every platform row', () => {
  it('has a sample device for every row, and every key is unique', () => {
    const keys = PLATFORM_RULES.map((r) => r.platform);
    assert.deepEqual([...keys].sort(), Object.keys(ROW_SAMPLES).sort());
    assert.equal(new Set(keys).size, keys.length);
    assert.equal(new Set(PLATFORM_RULES.map((r) => r.label)).size, keys.length);
  });

  it('exports the supported rows as the RESET_PLATFORMS keys, all on by default', () => {
    const supported = PLATFORM_RULES.filter((r) => r.supported).map((r) => r.platform);
    assert.deepEqual([...RESET_PLATFORM_KEYS], supported);
    assert.deepEqual([...ALL_RESET_PLATFORMS], supported);
    // The platforms, and the seed's.
    for (const key of [
      'windows10Mobile',
      'androidDedicated',
      'androidFullyManaged',
      'androidCorporateWorkProfile',
      'androidPersonalWorkProfile',
      'aospUserAssociated',
      'aospUserless',
      'ios',
    ]) {
      assert.ok(RESET_PLATFORM_KEYS.includes(key), key);
    }
  });

  for (const rule of PLATFORM_RULES) {
    const sample = ROW_SAMPLES[rule.platform]!;
    describe(`${rule.platform} (${rule.label})`, () => {
      it('recognises its sample device and nothing else recognises it first', () => {
        assert.equal(platformRuleFor(sample)?.platform, rule.platform);
      });

      if (rule.supported) {
        it('is eligible when enabled', () => {
          assert.deepEqual(evaluateEligibility(sample, PLATFORM_RULES, ALL_RESET_PLATFORMS), {
            eligible: true,
            platform: rule.label,
          });
        });

        it('is refused as "not enabled here" when RESET_PLATFORMS leaves it out', () => {
          const others = new Set(RESET_PLATFORM_KEYS.filter((k) => k !== rule.platform));
          const verdict = evaluateEligibility(sample, PLATFORM_RULES, others);
          assert.deepEqual(verdict, {
            eligible: false,
            reason: 'notEnabledHere',
            platform: rule.label,
          });
          assert.match(ineligibleText({ locale: 'en' }, verdict), /not enabled here/);
          assert.ok(ineligibleText({ locale: 'zh-TW' }, verdict).includes(rule.label));
        });

        if (rule.minOsVersion) {
          it(`is refused below ${rule.minOsVersionName ?? rule.minOsVersion}`, () => {
            const old = {
              ...sample,
              osVersion: rule.platform === 'windows10Mobile' ? '10.0.14393' : '7.1.2',
            };
            const verdict = evaluateEligibility(old);
            assert.equal(verdict.eligible, false);
            assert.equal(!verdict.eligible && verdict.reason, 'osTooOld');
          });
        }

        it('words the confirm card by the row: title, consequence, what is delivered, extra confirmation', () => {
          const r = rule.reset;
          for (const locale of LOCALES) {
            const spec = confirmSpec(
              { locale },
              {
                kind: 'confirm',
                pendingActionId: 'p1',
                device: sample,
                platform: rule.platform,
                expiresAt: '2026-12-04T10:15:00Z',
              },
              { passcodeVisibleMinutes: 10 },
            );
            const data = spec.data as { title: string; steps: string[]; acknowledgeText: string };
            assert.equal(data.title, t(locale, r.confirmTitleKey, { device: sample.deviceName }));
            for (const key of r.consequenceKeys)
              assert.ok(data.steps.includes(t(locale, key)), key);
            const deliveryLine =
              r.delivers === 'removalNotice'
                ? t(locale, 'confirm.remove.step3')
                : t(locale, 'confirm.step3', { minutes: 10 });
            assert.equal(data.steps.at(-1), deliveryLine);
            assert.equal(
              data.acknowledgeText,
              r.extraConfirmationKey ? t(locale, r.extraConfirmationKey) : '',
            );
          }
        });

        it('tells a failure with its own reason and a finished reset by what it delivers', () => {
          const r = rule.reset;
          const job = {
            id: 'j1',
            tenantId: 't',
            device: { id: sample.id, name: sample.deviceName },
            platform: rule.platform,
            requester: { aadObjectId: 'a', locale: 'en' },
            origin: { key: 'k', kind: 'personal' },
            state: 'failed',
            createdAt: '2026-12-04T10:00:00Z',
            updatedAt: '2026-12-04T10:00:00Z',
            checks: 0,
            remindersSent: 0,
            notified: [],
          } as unknown as ResetJob;
          const options = { resetTimeoutMinutes: 60 };
          const failed = notificationSpec({ locale: 'en' }, 'failed', job, options);
          assert.equal(
            (failed.data as { reason: string }).reason,
            t('en', r.failedReasonKey, {
              device: sample.deviceName,
              duration: formatDuration('en', 60),
            }),
          );
          const notSupported = notificationSpec({ locale: 'en' }, 'notSupported', job, options);
          assert.equal(
            (notSupported.data as { reason: string }).reason,
            t('en', r.notSupportedReasonKey, {
              device: sample.deviceName,
              duration: formatDuration('en', 60),
            }),
          );
          const done = jobOriginSpec({ locale: 'en' }, { ...job, state: 'done' }, options);
          const text = JSON.stringify(done.data);
          if (r.delivers === 'removalNotice') {
            assert.match(text, /was removed/);
          } else {
            assert.doesNotMatch(text, /was removed/);
          }
        });

        it('names its effect, delivery and prerequisites', () => {
          const r = rule.reset;
          assert.ok(
            ['newDevicePasscode', 'newWorkProfilePasscode', 'passcodeRemoved'].includes(r.effect),
          );
          // Only a reset that makes a passcode delivers one; a removal delivers a notice.
          assert.equal(
            r.delivers,
            r.effect === 'passcodeRemoved' ? 'removalNotice' : 'passcodePrivately',
          );
          // A removal leaves the device unprotected: the technician confirms that explicitly.
          assert.equal(!!r.extraConfirmationKey, r.effect === 'passcodeRemoved');
          if (rule.platform.startsWith('android') || rule.platform.startsWith('aosp')) {
            assert.ok(r.prerequisites.length > 0, 'Android resets fail without a passcode policy');
          }
        });
      } else {
        it('is refused with its reason, worded in both languages', () => {
          const verdict = evaluateEligibility(sample);
          assert.deepEqual(verdict, {
            eligible: false,
            reason: rule.refusal ?? 'platformNotSupported',
            platform: rule.label,
          });
          for (const locale of LOCALES) {
            const text = ineligibleText({ locale }, verdict);
            assert.ok(text.length > 10 && !/[{}]/.test(text), `${locale}: ${text}`);
          }
        });
      }

      it('has every string it names in English and Traditional Chinese', () => {
        for (const key of keysOf(rule)) {
          for (const locale of LOCALES) assert.ok(hasKey(locale, key), `${locale} lacks ${key}`);
          assert.deepEqual(
            placeholders(t('zh-TW', key)).sort(),
            placeholders(t('en', key)).sort(),
            key,
          );
        }
      });
    });
  }

  it('refuses a legacy device-administrator phone on Android 10 with its reason', () => {
    const verdict = evaluateEligibility(ROW_SAMPLES.androidDeviceAdministrator!);
    assert.equal(!verdict.eligible && verdict.reason, 'deviceAdministrator');
    assert.match(ineligibleText({ locale: 'en' }, verdict), /Android 7\.0 or later/);
  });

  it('cannot tell a v1.0 personal work profile from device administrator, and says so', () => {
    const { deviceType: _dropped, ...v1 } = ROW_SAMPLES.androidPersonalWorkProfile!;
    assert.deepEqual(evaluateEligibility(v1), {
      eligible: false,
      reason: 'insufficientData',
      platform: 'Android',
      detail: 'deviceType',
    });
  });
});
