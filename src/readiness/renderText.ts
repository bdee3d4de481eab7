import { readinessText, type ReadinessLocale } from './messages';
import {
  READINESS_AREAS,
  type ReadinessItem,
  type ReadinessReport,
  type ReadinessStatus,
} from './report';

export const STATUS_SYMBOLS: Readonly<Record<ReadinessStatus, string>> = {
  pass: '✔',
  fail: '✖',
  warn: '!',
  skip: '–',
};

/** The item's title in `locale`. */
export function itemTitle(entry: ReadinessItem, locale: ReadinessLocale): string {
  return readinessText(locale, entry.titleKey, entry.params);
}

/** The item's fix in `locale`, for a failure or a warning; undefined otherwise. */
export function itemFix(entry: ReadinessItem, locale: ReadinessLocale): string | undefined {
  return entry.status === 'fail' || entry.status === 'warn'
    ? readinessText(locale, entry.fixKey, entry.params)
    : undefined;
}

/** The report as a plain-text table, grouped by area, each failure or warning with its fix. */
export function renderReadinessText(report: ReadinessReport, locale: ReadinessLocale): string {
  const lines: string[] = [];
  const heading = readinessText(locale, 'readiness.heading');
  lines.push(
    report.tenantId
      ? `${heading} — ${readinessText(locale, 'readiness.tenant', { tenantId: report.tenantId })}`
      : heading,
    '',
  );
  for (const area of READINESS_AREAS) {
    const entries = report.items.filter((entry) => entry.area === area);
    if (entries.length === 0) continue;
    const title = readinessText(locale, `readiness.area.${area}`);
    lines.push(
      area === 'permissions'
        ? `${title} (${readinessText(locale, `readiness.permissionSource.${report.permissionSource}`)})`
        : title,
    );
    for (const entry of entries) {
      const detail = entry.detail ? ` (${entry.detail})` : '';
      lines.push(`  ${STATUS_SYMBOLS[entry.status]} ${itemTitle(entry, locale)}${detail}`);
      const fix = itemFix(entry, locale);
      if (fix) lines.push(`      ${readinessText(locale, 'readiness.fixLabel', { fix })}`);
    }
    lines.push('');
  }
  lines.push(
    readinessText(locale, 'readiness.summary', report.counts),
    readinessText(locale, report.ok ? 'readiness.ready' : 'readiness.notReady'),
  );
  return `${lines.join('\n')}\n`;
}
