import { t, type Locale } from '../../i18n';

/**
 * Intune error codes whose meaning Microsoft publishes, by decimal value (as Graph's
 * `errorCode` Int32 carries them). Graph documents no meanings for
 * resetPasscodeActionResult.errorCode itself (../shared/reference/intune-graph.md), so a
 * code is explained only when Intune's own error tables list it; any other code is shown
 * as a number with its hex form, which is how Intune's tables and the admin center list it.
 * Sources:
 * - -2016345060 = 0x87D1041C: "The application was not detected after installation
 *   completed successfully" (learn.microsoft.com/troubleshoot/mem/intune/app-management/app-install-error-codes;
 *   listed there for Android, iOS and Windows alike, see MicrosoftDocs/memdocs#314): the
 *   device ran the action but did not report the expected result. The wording below says
 *   that much and no more.
 */
const KNOWN_INTUNE_CODES: Readonly<Record<string, string>> = {
  '-2016345060': 'intuneCode.notDetected',
};

/** 0x87D1041C for -2016345060: Int32 as its unsigned hex form. */
function hexOf(code: number): string {
  return `0x${(code >>> 0).toString(16).toUpperCase().padStart(8, '0')}`;
}

/** "-2016345060 (0x87D1041C): the device did not confirm…"; undefined for 0 (no error). */
export function describeIntuneCode(locale: Locale, code: number | undefined): string | undefined {
  if (code === undefined || code === 0 || !Number.isInteger(code)) return undefined;
  const number = `${code} (${hexOf(code)})`;
  const key = KNOWN_INTUNE_CODES[String(code)];
  return key ? `${number}: ${t(locale, key)}` : number;
}
