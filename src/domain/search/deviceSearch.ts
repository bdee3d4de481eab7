import { type DeviceSearchResult, type PersonMatch, addMs, MINUTE_MS } from '../ports';
import {
  type Actor,
  type ConversationPointer,
  type Device,
  MAX_QUERY_LENGTH,
  cleanText,
} from '../shared';
import { byActor } from '../audit';
import {
  graphRefusal,
  refuse,
  type DeviceRow,
  type PersonChoice,
  type Refusal,
  type SearchAnswer,
  POLICY,
  enabledPlatforms,
  checkedWhenPicked,
  evaluateEligibility,
  PLATFORM_RULES,
} from '../desk';
import type { DeskContext } from '../context';
import { actingIntune } from '../access';

/** What device search uses. */
type SearchParts = Pick<
  DeskContext,
  'access' | 'audit' | 'auth' | 'clock' | 'deviceLocks' | 'picks' | 'settings'
>;

/**
 * Finds devices, says which can be reset, and hands out Pick ids bound to this technician
 * and chat (the Pick press: reset/pickDevice.ts).
 */
export async function searchDevices(
  ctx: SearchParts,
  actor: Actor,
  where: ConversationPointer,
  rawQuery: string,
  options: { offset?: number } = {},
): Promise<SearchAnswer | Refusal> {
  const denied = await ctx.auth.require(actor, 'technician', 'search');
  if (denied) return denied;
  const query = cleanText(rawQuery, MAX_QUERY_LENGTH);
  if (!query) {
    return ctx.audit.refusal(
      actor,
      'search',
      refuse('invalidInput', { field: 'query', maxLength: MAX_QUERY_LENGTH }),
    );
  }

  let found: DeviceSearchResult;
  try {
    // More than the card shows, in the same one request: the card can then say how many match.
    found = await actingIntune(ctx.access, actor).searchDevices(query, POLICY.searchCountLimit);
  } catch (error) {
    const refusal = graphRefusal(error, { field: 'query', maxLength: MAX_QUERY_LENGTH });
    return ctx.audit.refusal(actor, 'search', refusal, { detail: query });
  }

  const now = ctx.clock.now();
  const expiresAt = addMs(now, ctx.settings.PENDING_ACTION_MINUTES * MINUTE_MS).toISOString();
  // A later page ("Next") of the same search: Graph was asked for searchCountLimit anyway.
  const offset = pageOffset(options.offset, found.devices.length);
  const shown = found.devices.slice(offset, offset + POLICY.searchLimit);
  const checked = await Promise.all(
    shown.map(async (device): Promise<DeviceRow> => {
      const verdict = evaluateEligibility(device, PLATFORM_RULES, enabledPlatforms(ctx.settings));
      const checkAtPick = checkedWhenPicked(verdict) ? { checkAtPick: true } : {};
      const running = await ctx.deviceLocks.active(device.id, now);
      const stale = staleness(ctx, device, now);
      if (!running) return { device, verdict, ...checkAtPick, ...stale };
      return {
        device,
        verdict,
        ...checkAtPick,
        ...stale,
        activeReset: {
          jobId: running.jobId,
          requestedAt: running.since,
          ...(running.requesterName ? { requesterName: running.requesterName } : {}),
        },
      };
    }),
  );
  // Every Pick button of this search in one store write (pickRepository.ts).
  const pickable = checked.filter(
    (row) => (row.verdict.eligible || row.checkAtPick) && !row.activeReset,
  );
  const pickIds = await ctx.picks.createForSearch(
    {
      tenantId: actor.tenantId,
      aadObjectId: actor.aadObjectId,
      conversationKey: where.key,
      createdAt: now.toISOString(),
      expiresAt,
    },
    pickable.map((row) => row.device.id),
  );
  const rows = checked.map((row): DeviceRow => {
    const pickId = pickIds[pickable.indexOf(row)];
    return pickId ? { ...row, pickId } : row;
  });
  const people = found.people ?? [];
  await ctx.audit.write(
    'search',
    people.length > 0 ? `${rows.length} found, ${people.length} people` : `${rows.length} found`,
    { ...byActor(actor), detail: query },
  );
  return {
    kind: 'results',
    query,
    rows,
    truncated: found.truncated || found.devices.length > offset + shown.length,
    ...(offset > 0 ? { offset } : {}),
    ...nextPage(found.devices.length, offset + shown.length),
    ...matchCount(found),
    ...(found.person ? { person: personOf(found.person) } : {}),
    ...(people.length > 0 ? { people: people.map(personOf), morePeople: !!found.morePeople } : {}),
  };
}

const DAY_MS = 24 * 60 * MINUTE_MS;

/** The next page, when more devices were read than this page shows. */
function nextPage(available: number, end: number): Pick<SearchAnswer, 'next'> {
  if (available <= end) return {};
  return { next: { offset: end, count: Math.min(POLICY.searchLimit, available - end) } };
}

/** A whole-page offset within what was read; anything else is the first page. */
function pageOffset(raw: number | undefined, available: number): number {
  if (raw === undefined || !Number.isInteger(raw) || raw <= 0 || raw >= available) return 0;
  return raw - (raw % POLICY.searchLimit);
}

/**
 * `staleDays` when the device has not checked in for more than STALE_DEVICE_DAYS: Intune
 * only sends the reset at its next check-in, which may be far off. Search rows and Pick.
 */
export function staleness(
  ctx: Pick<DeskContext, 'settings'>,
  device: Device,
  now: Date,
): { staleDays?: number } {
  const last = device.lastSyncDateTime ? Date.parse(device.lastSyncDateTime) : Number.NaN;
  if (Number.isNaN(last)) return {};
  const days = Math.floor((now.getTime() - last) / DAY_MS);
  return days > ctx.settings.STALE_DEVICE_DAYS ? { staleDays: days } : {};
}

const personOf = (p: PersonMatch): PersonChoice => ({
  name: p.displayName,
  upn: p.userPrincipalName,
});

/** How many devices match: exact when Intune gave them all, else "more than" the count limit. */
function matchCount(found: DeviceSearchResult): Pick<SearchAnswer, 'totalKnown' | 'totalMoreThan'> {
  if (found.totalKnown !== undefined) return { totalKnown: found.totalKnown };
  // Fewer than the limit while truncated (paging cut short) tells no count at all.
  if (found.truncated && found.devices.length >= POLICY.searchCountLimit) {
    return { totalMoreThan: found.devices.length };
  }
  return {};
}
