import type { DeviceFilterPlan } from './deviceFilter';
import type { DeviceStore } from './deviceStore';
import type { DeviceRecord } from './tenantData';

export interface PageWindow {
  /** Matches to skip (from $skiptoken). */
  offset: number;
  top: number;
  /** $count=true: every match must be counted, so reading cannot stop early. */
  count: boolean;
}

export interface DevicePage {
  devices: DeviceRecord[];
  /** True when a match follows the page (the list answer carries an @odata.nextLink). */
  more: boolean;
  /** Number of matches; only when the window asked for a count. */
  total?: number;
}

/**
 * One page of the devices a compiled $filter matches, in tenant order. Candidates
 * come from the indexes when the plan has an access path (and `useIndexes`),
 * otherwise from every device; either way each is verified with the plan's test,
 * so both give the same page. Reading stops at the first match past the page
 * unless a count is wanted, which keeps a page of a broad filter cheap.
 */
export function findDevicePage(
  store: DeviceStore,
  plan: DeviceFilterPlan,
  window: PageWindow,
  useIndexes = true,
): DevicePage {
  const indexed = useIndexes && plan.access ? store.candidates(plan.access) : undefined;
  const candidates: Iterable<DeviceRecord> = indexed ?? store.all;
  const { test } = plan;
  const end = window.offset + window.top;
  const devices: DeviceRecord[] = [];
  let matched = 0;
  for (const device of candidates) {
    if (test && !test(device)) continue;
    if (matched >= window.offset && matched < end) devices.push(device);
    matched++;
    if (matched > end && !window.count) break;
  }
  return {
    devices,
    more: matched > end,
    ...(window.count ? { total: matched } : {}),
  };
}
