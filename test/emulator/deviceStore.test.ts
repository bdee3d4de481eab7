import assert from 'node:assert/strict';
import { compileDeviceFilter, type DeviceFilterPlan } from '../../src/emulator/deviceFilter';
import { findDevicePage, type PageWindow } from '../../src/emulator/deviceQuery';
import { DeviceStore } from '../../src/emulator/deviceStore';
import { GraphError } from '../../src/emulator/graphError';
import { syntheticDevices } from '../../src/emulator/synthetic';
import { readTenantFile, resolveRelativeTimes } from '../../src/emulator/tenant';
import type { DeviceRecord } from '../../src/emulator/tenantData';
import { BOT_SEARCH_TEXTS, botFilters, filterTable, trickyDevices } from './searchFixtures';

const NOW = Date.parse('2026-03-01T09:00:00Z');
const SYNTHETIC = 2_000;
const WINDOWS: PageWindow[] = [
  { offset: 0, top: 1000, count: true },
  { offset: 0, top: 11, count: false },
  { offset: 5, top: 3, count: false },
  { offset: 1500, top: 1000, count: false },
];

function freshStore(): DeviceStore {
  const store = new DeviceStore();
  const devices = [
    ...resolveRelativeTimes(readTenantFile().managedDevices, NOW),
    ...trickyDevices(),
    ...syntheticDevices(SYNTHETIC, NOW),
  ];
  for (const device of devices) store.add(device);
  return store;
}

/** Filters the emulator accepts (refused ones have nothing to compare). */
function plans(sample: DeviceRecord): Array<[string, DeviceFilterPlan]> {
  const out: Array<[string, DeviceFilterPlan]> = [];
  for (const filter of [...filterTable(sample), ...botFilters(BOT_SEARCH_TEXTS)]) {
    try {
      out.push([filter, compileDeviceFilter(filter, 'beta')]);
    } catch (error) {
      if (!(error instanceof GraphError)) throw error;
    }
  }
  return out;
}

/** The obvious answer: test every device, then cut the page. What the indexes must reproduce. */
function naivePage(store: DeviceStore, plan: DeviceFilterPlan, window: PageWindow) {
  const { test } = plan;
  const matches = store.all.filter((d) => !test || test(d));
  return {
    devices: matches.slice(window.offset, window.offset + window.top),
    more: window.offset + window.top < matches.length,
    ...(window.count ? { total: matches.length } : {}),
  };
}

function assertIndexAgrees(store: DeviceStore, when: string): void {
  const sample = store.all[store.all.length - 7]!;
  for (const [filter, plan] of plans(sample)) {
    for (const window of WINDOWS) {
      const expected = naivePage(store, plan, window);
      const label = `${when}: ${filter} ${JSON.stringify(window)}`;
      assert.deepEqual(findDevicePage(store, plan, window, true), expected, label);
      assert.deepEqual(findDevicePage(store, plan, window, false), expected, label);
    }
  }
}

/** How many devices the indexes hand over for a filter before verification (undefined: none). */
function candidateCount(store: DeviceStore, filter: string): number | undefined {
  const { access } = compileDeviceFilter(filter, 'beta');
  const candidates = access && store.candidates(access);
  return candidates ? [...candidates].length : undefined;
}

describe('emulator device store and its search indexes', () => {
  it('answers like a plain scan on a fresh tenant', () => {
    assertIndexAgrees(freshStore(), 'fresh');
  });

  it('refuses a second device with the same id (ids compare case-insensitively)', () => {
    const store = freshStore();
    const device = store.all[0]!;
    assert.throws(() => store.add({ id: device.id.toUpperCase(), deviceName: 'x' }), /duplicate/);
  });

  it('hands over only a few candidates for the filters the bot sends', () => {
    const store = freshStore();
    const total = store.all.length;
    assert.equal(candidateCount(store, "serialNumber eq 'SYN000000500'"), 1);
    assert.equal(
      candidateCount(store, "userPrincipalName eq 'syn.user000500@contoso.onmicrosoft.com'"),
      1,
    );
    assert.equal(candidateCount(store, "contains(deviceName,'SYN000000500')"), 0);
    assert.ok(candidateCount(store, "contains(deviceName,'lumia')")! < 40);
    assert.ok(candidateCount(store, "contains(deviceName,'-000500')")! < 40);
    assert.ok(
      candidateCount(store, "contains(deviceName,'wp') and serialNumber eq 'SYN000000500'")! <= 1,
    );
    const apple = candidateCount(
      store,
      "operatingSystem eq 'macOS' or operatingSystem eq 'iPadOS'",
    );
    assert.ok(apple! > 0 && apple! < total / 4, `${apple} of ${total}`);
    // Nothing to narrow with: the filter is answered by reading every device.
    for (const filter of [
      "contains(osVersion,'15063')",
      "contains(deviceName,'')",
      "contains(deviceName,'a') or contains(deviceName,'b')",
      "not contains(deviceName,'wp')",
      "endswith(deviceName,'42')",
      "userPrincipalName ne 'x'",
      "contains(serialNumber,'SYN')",
    ]) {
      assert.equal(candidateCount(store, filter), undefined, filter);
    }
  });
});
