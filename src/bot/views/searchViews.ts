import type { DeviceRow, SearchAnswer } from '../../domain/desk';
import type { EligibilityVerdict } from '../../domain/eligibility';
import { formatTime, plainMarkdown, t } from '../../i18n';
import type { CardSpec, ViewContext } from './cardSpec';
import { deviceFacts } from './facts';

/** The search box: `reset` alone, and after a search that found nothing. */
export function searchPromptSpec(ctx: ViewContext, options: { typeHint?: boolean } = {}): CardSpec {
  return {
    name: 'searchPrompt',
    data: {
      title: t(ctx.locale, 'search.title'),
      prompt: t(ctx.locale, 'search.prompt'),
      placeholder: t(ctx.locale, 'search.placeholder'),
      searchButton: t(ctx.locale, 'search.button'),
      hint: options.typeHint ? t(ctx.locale, 'search.typeHint') : '',
    },
  };
}

export function ineligibleText(ctx: ViewContext, verdict: EligibilityVerdict): string {
  if (verdict.eligible) return '';
  return t(ctx.locale, `ineligible.${verdict.reason}`, {
    platform: verdict.platform ?? t(ctx.locale, 'common.unknown'),
    minimum: verdict.detail,
    detail: verdict.detail,
  });
}

function rowData(ctx: ViewContext, row: DeviceRow): Record<string, unknown> {
  const facts = deviceFacts(ctx, row.device);
  if (row.verdict.eligible || row.checkAtPick) {
    facts.push({
      title: t(ctx.locale, 'common.eligibility'),
      value: t(ctx.locale, row.checkAtPick ? 'results.checkAtPick' : 'results.eligible'),
    });
  }
  const inProgress = row.activeReset
    ? t(ctx.locale, 'results.inProgress', {
        requester: row.activeReset.requesterName ?? t(ctx.locale, 'common.someone'),
        time: formatTime(ctx.locale, row.activeReset.requestedAt, ctx.timeZone),
      })
    : '';
  return {
    name: plainMarkdown(row.device.deviceName),
    facts,
    reason: row.checkAtPick ? '' : ineligibleText(ctx, row.verdict),
    inProgress,
    // Only eligible (or checked-at-pick) rows without a running reset get a Pick button.
    pickId:
      (row.verdict.eligible || row.checkAtPick) && !row.activeReset && row.pickId ? row.pickId : '',
  };
}

/** Results, or "no match" with a new search box when nothing was found. */
export function resultsSpec(
  ctx: ViewContext,
  answer: SearchAnswer,
  options: { onlyRequester?: string } = {},
): CardSpec {
  if (answer.rows.length === 0) {
    return {
      name: 'noMatch',
      data: {
        title: t(ctx.locale, 'noMatch.title', { query: answer.query }),
        hint: t(ctx.locale, 'noMatch.hint'),
        placeholder: t(ctx.locale, 'search.placeholder'),
        searchButton: t(ctx.locale, 'search.button'),
      },
    };
  }
  const shown = answer.rows.length;
  let truncatedNote = '';
  if (answer.truncated) {
    if (answer.totalKnown !== undefined && answer.totalKnown > shown) {
      truncatedNote = t(ctx.locale, 'results.truncated', { shown, total: answer.totalKnown });
    } else if (answer.totalMoreThan !== undefined && answer.totalMoreThan >= shown) {
      truncatedNote = t(ctx.locale, 'results.truncatedMoreThan', {
        shown,
        count: answer.totalMoreThan,
      });
    } else {
      truncatedNote = t(ctx.locale, 'results.truncatedUnknown', { shown });
    }
  }
  return {
    name: 'results',
    data: {
      title: t(ctx.locale, shown === 1 ? 'results.titleOne' : 'results.titleMany', {
        query: answer.query,
      }),
      truncatedNote,
      onlyRequesterNote: options.onlyRequester
        ? t(ctx.locale, 'results.onlyRequester', { name: options.onlyRequester })
        : '',
      pickTitle: t(ctx.locale, 'results.pick'),
      rows: answer.rows.map((row) => rowData(ctx, row)),
    },
  };
}
