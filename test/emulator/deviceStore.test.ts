import assert from 'node:assert/strict';
import { compileDeviceFilter, type DeviceFilterPlan } from '../../src/emulator/deviceFilter';
import { findDevicePage, type PageWindow } from '../../src/emulator/deviceQuery';
import { DeviceStore } from '../../src/emulator/deviceStore';
import { GraphError } from '../../src/emulator/graphError';
import { mulberry32, syntheticDevices } from '../../src/emulator/synthetic';
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

function idsWhere(store: DeviceStore, filter: string): string[] {
  const plan = compileDeviceFilter(filter, 'beta');
  return findDevicePage(store, plan, { offset: 0, top: 1000, count: false }).devices.map(
    (d) => d.id,
  );
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

  it('follows a random series of renames, changes, removals and additions', () => {
    const store = freshStore();
    const random = mulberry32(42);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const names = [
      'Lumia 950',
      'LUMIA 950',
      "O'Brien's Lumia",
      'İSTANBUL-PC',
      'Straße',
      '📱',
      '',
      'x',
      'SYN-WP-000042',
      'Front Desk Lumia',
      'aaaaaaaaaaaa',
    ];
    const removed: DeviceRecord[] = [];
    for (let round = 1; round <= 3; round++) {
      for (let i = 0; i < 60; i++) {
        const device = pick(store.all);
        store.update(device.id, { deviceName: `${pick(names)}${random() < 0.5 ? ` ${i}` : ''}` });
      }
      for (let i = 0; i < 40; i++) {
        const device = pick(store.all);
        store.update(device.id, {
          serialNumber: pick(['SN-NEW', 'sn-new', undefined, 7, `SER${i}`]),
          userPrincipalName: pick(['someone@contoso.onmicrosoft.com', undefined, null]),
          operatingSystem: pick(['Windows', 'macOS', 'MACOS', undefined]),
          complianceState: pick(['compliant', 'noncompliant']),
        });
      }
      for (let i = 0; i < 80; i++) removed.push(store.remove(pick(store.all).id));
      for (let i = 0; i < 20; i++) {
        store.add({ id: `9b000000-0000-4000-8000-00000${round}00${i}`, deviceName: pick(names) });
      }
      for (let i = 0; i < 5; i++) store.add(removed.pop()!);
      assertIndexAgrees(store, `after round ${round}`);
    }
  });

  it('finds a renamed device by its new name only, in its old place', () => {
    const store = freshStore();
    const device = store.all.find((d) => d.serialNumber === 'SYN000000043')!;
    const oldName = device.deviceName;
    assert.deepEqual(idsWhere(store, "contains(deviceName,'-000043')"), [device.id]);
    store.update(device.id, { deviceName: 'Front Desk Lumia' });
    assert.deepEqual(idsWhere(store, "contains(deviceName,'-000043')"), []);
    assert.deepEqual(idsWhere(store, `deviceName eq '${oldName}'`), []);
    assert.deepEqual(idsWhere(store, "contains(deviceName,'front desk')"), [device.id]);
    assert.deepEqual(idsWhere(store, "deviceName eq 'FRONT DESK LUMIA'"), [device.id]);
    const lumias = idsWhere(store, "contains(deviceName,'lumia')");
    assert.deepEqual(
      lumias,
      store.all.filter((d) => d.deviceName.toLowerCase().includes('lumia')).map((d) => d.id),
    );
    assert.equal(lumias[lumias.length - 1], device.id, 'still after every demo Lumia');
  });

  it('follows changed and removed serial numbers, UPNs and operating systems', () => {
    const store = freshStore();
    const device = store.all.find((d) => d.serialNumber === 'SYN000000077')!;
    const upn = String(device.userPrincipalName);
    store.update(device.id, {
      serialNumber: 'NEW-SERIAL-77',
      userPrincipalName: undefined,
      operatingSystem: 'Plan9',
    });
    assert.deepEqual(idsWhere(store, "serialNumber eq 'SYN000000077'"), []);
    assert.deepEqual(idsWhere(store, "serialNumber eq 'new-serial-77'"), [device.id]);
    assert.deepEqual(idsWhere(store, `userPrincipalName eq '${upn}'`), []);
    assert.ok(idsWhere(store, "userPrincipalName eq ''").includes(device.id), 'no UPN reads as ""');
    assert.deepEqual(idsWhere(store, "operatingSystem eq 'plan9'"), [device.id]);
    assert.equal('userPrincipalName' in device, false, 'undefined removes the property');
  });

  it('forgets a removed device everywhere, and a device added again comes last', () => {
    const store = freshStore();
    const device = store.all.find((d) => d.serialNumber === 'SYN000000100')!;
    const filters = [
      `deviceName eq '${device.deviceName}'`,
      `contains(deviceName,'${device.deviceName.slice(-7)}')`,
      "serialNumber eq 'SYN000000100'",
      `azureADDeviceId eq ${String(device.azureADDeviceId)}`,
    ];
    for (const filter of filters) assert.deepEqual(idsWhere(store, filter), [device.id], filter);
    assert.equal(store.remove(device.id), device);
    assert.equal(store.get(device.id), undefined);
    for (const filter of filters) assert.deepEqual(idsWhere(store, filter), [], filter);
    store.add(device);
    assert.equal(store.all[store.all.length - 1], device);
    for (const filter of filters) assert.deepEqual(idsWhere(store, filter), [device.id], filter);
  });

  it('drops index keys that no device holds any more', () => {
    const store = freshStore();
    const before = store.indexKeyCounts();
    const odd = { id: 'odd-device', deviceName: 'Ünïqüé ☃ Q9Z', serialNumber: 'ONLY-ONE' };
    store.add(odd);
    assert.notDeepEqual(store.indexKeyCounts(), before);
    store.update(odd.id, { deviceName: 'Other ☃☃ name', model: 'One-off model' });
    store.remove(odd.id);
    assert.deepEqual(store.indexKeyCounts(), before);
  });

  it('refuses a changed id, a duplicate id and an unknown id', () => {
    const store = freshStore();
    const device = store.all[0]!;
    assert.throws(() => store.update(device.id, { id: 'another-id' }), /cannot change/);
    assert.throws(() => store.add({ id: device.id.toUpperCase(), deviceName: 'x' }), /duplicate/);
    assert.throws(() => store.update('no-such-id', { deviceName: 'x' }), /unknown device/);
    assert.throws(() => store.remove('no-such-id'), /unknown device/);
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
