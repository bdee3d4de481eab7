import type { DeviceRow, SearchAnswer, EligibilityVerdict } from '../../domain/desk';
import { formatTime, plainMarkdown, t, zoneName } from '../../i18n';
import type { CardSpec, ViewContext } from './cardSpec';

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

/** "Windows 10.0.15063.1266": the OS and its version, or whichever Intune gave. */
function osText(row: DeviceRow): string {
  const { operatingSystem, osVersion } = row.device;
  return [operatingSystem, osVersion].filter(Boolean).join(' ');
}

/**
 * One compact row: the name; owner · OS/version · last check-in on one small line; then
 * whether it can be reset (or why not, or who is resetting it), a stale warning, and Pick.
 * Short enough for a phone; the zone of the times is named once on the card.
 */
function rowData(ctx: ViewContext, row: DeviceRow): Record<string, unknown> {
  const { device } = row;
  // The name alone (the UPN would not fit a phone's line); the UPN when there is no name.
  const who = device.userDisplayName || device.userPrincipalName || device.emailAddress;
  // Values escaped here; t() escapes its own parameters.
  const summary = [
    who ? plainMarkdown(who) : t(ctx.locale, 'common.unknownOwner'),
    plainMarkdown(osText(row)),
    device.lastSyncDateTime
      ? t(ctx.locale, 'results.checkedIn', {
          time: formatTime(ctx.locale, device.lastSyncDateTime, ctx.timeZone, { zone: false }),
        })
      : t(ctx.locale, 'results.neverCheckedIn'),
  ]
    .filter(Boolean)
    .join(' · ');
  let status: string;
  let statusColor: string;
  if (row.activeReset) {
    status = t(ctx.locale, 'results.inProgress', {
      requester: row.activeReset.requesterName ?? t(ctx.locale, 'common.someone'),
      time: formatTime(ctx.locale, row.activeReset.requestedAt, ctx.timeZone),
    });
    statusColor = 'Warning';
  } else if (row.verdict.eligible) {
    status = t(ctx.locale, 'results.canReset');
    statusColor = 'Good';
  } else if (row.checkAtPick) {
    // The list row lacks what the rules need: Pick reads the device and decides.
    status = t(ctx.locale, 'results.checkAtPick');
    statusColor = 'Default';
  } else {
    status = ineligibleText(ctx, row.verdict);
    statusColor = 'Attention';
  }
  return {
    name: plainMarkdown(device.deviceName),
    summary,
    status,
    statusColor,
    stale: row.staleDays ? t(ctx.locale, 'results.stale', { days: row.staleDays }) : '',
    // Only eligible (or checked-at-pick) rows without a running reset get a Pick button.
    pickId:
      (row.verdict.eligible || row.checkAtPick) && !row.activeReset && row.pickId ? row.pickId : '',
  };
}

/** "Showing 10 of 14", "Showing 11–14 of 14", or nothing when every match is on the card. */
function shownNote(ctx: ViewContext, answer: SearchAnswer): string {
  const shown = answer.rows.length;
  const from = (answer.offset ?? 0) + 1;
  const to = (answer.offset ?? 0) + shown;
  if (answer.offset) {
    return answer.totalKnown !== undefined
      ? t(ctx.locale, 'results.page', { from, to, total: answer.totalKnown })
      : t(ctx.locale, 'results.pageUnknown', { from, to });
  }
  if (!answer.truncated) return '';
  if (answer.totalKnown !== undefined && answer.totalKnown > shown) {
    return t(ctx.locale, 'results.truncated', { shown, total: answer.totalKnown });
  }
  if (answer.totalMoreThan !== undefined && answer.totalMoreThan >= shown) {
    return t(ctx.locale, 'results.truncatedMoreThan', { shown, count: answer.totalMoreThan });
  }
  return t(ctx.locale, 'results.truncatedUnknown', { shown });
}

function title(ctx: ViewContext, answer: SearchAnswer, pickable: number): string {
  const query = answer.query;
  const shown = answer.rows.length;
  if ((answer.people ?? []).length > 1) return t(ctx.locale, 'results.whichPerson', { query });
  // Nothing here has a Pick button: say so, not "which one?".
  if (pickable === 0) {
    return shown === 1
      ? t(ctx.locale, 'results.noneOne', { query })
      : t(ctx.locale, 'results.noneMany', { query });
  }
  return t(ctx.locale, shown === 1 ? 'results.titleOne' : 'results.titleMany', { query });
}

/** Results, "several people: which one?", or "no match" with a new search box. */
export function resultsSpec(
  ctx: ViewContext,
  answer: SearchAnswer,
  options: { onlyRequester?: string } = {},
): CardSpec {
  const people = answer.people ?? [];
  if (answer.rows.length === 0 && people.length === 0) return noMatchSpec(ctx, answer.query);
  const rows = answer.rows.map((row) => rowData(ctx, row));
  const pickable = rows.filter((row) => row.pickId !== '').length;
  return {
    name: 'results',
    data: {
      title: title(ctx, answer, pickable),
      personNote: answer.person
        ? t(ctx.locale, 'results.personNote', {
            name: answer.person.name,
            upn: answer.person.upn,
          })
        : '',
      truncatedNote: shownNote(ctx, answer),
      onlyRequesterNote: options.onlyRequester
        ? t(ctx.locale, 'results.onlyRequester', { name: options.onlyRequester })
        : '',
      zoneNote:
        rows.length > 0
          ? t(ctx.locale, 'results.zone', { zone: zoneName(ctx.locale, ctx.timeZone) })
          : '',
      // Several people first ("which one?"), then the devices whose name matched too.
      devicesTitle:
        people.length > 0 && rows.length > 0
          ? t(ctx.locale, 'results.devicesToo', { query: answer.query })
          : '',
      people: people.map((person) => ({
        name: plainMarkdown(person.name),
        upn: plainMarkdown(person.upn),
        query: person.upn,
      })),
      morePeople: answer.morePeople ? t(ctx.locale, 'results.morePeople') : '',
      showDevicesTitle: t(ctx.locale, 'results.showDevices'),
      pickTitle: t(ctx.locale, 'results.pick'),
      rows,
      query: answer.query,
      nextOffset: answer.next?.offset ?? 0,
      nextTitle: answer.next ? t(ctx.locale, 'results.next', { count: answer.next.count }) : '',
    },
  };
}

/**
 * Nothing found. The hint suggests the other ways to search, never the kind just tried:
 * a sign-in name that found nothing is followed by a name, serial or device name to try.
 */
function noMatchSpec(ctx: ViewContext, query: string): CardSpec {
  return {
    name: 'noMatch',
    data: {
      title: t(ctx.locale, 'noMatch.title', { query }),
      hint: t(ctx.locale, `noMatch.hint.${queryKind(query)}`),
      placeholder: t(ctx.locale, 'search.placeholder'),
      searchButton: t(ctx.locale, 'search.button'),
    },
  };
}

/** What the technician tried: a sign-in name, something serial-like, or a name. */
export function queryKind(query: string): 'signInName' | 'serial' | 'name' {
  if (/^[^\s@]+@[^\s@]+$/.test(query)) return 'signInName';
  if (/^[A-Za-z0-9-]{6,30}$/.test(query) && /\d/.test(query)) return 'serial';
  return 'name';
}
