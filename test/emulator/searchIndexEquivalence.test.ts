import assert from 'node:assert/strict';
import type { EmulatorHandle } from '../../src/emulator/api';
import { startEmulator } from '../../src/emulator/server';
import { syntheticDevices } from '../../src/emulator/synthetic';
import { readTenantFile } from '../../src/emulator/tenant';
import { call, devicesWhere, ManualClock, type Reply } from './support';
import { BOT_SEARCH_TEXTS, botFilters, filterTable, trickyDevices } from './searchFixtures';

const SYNTHETIC = 3_000;
const clock = new ManualClock();
/** The synthetic device the eq filters aim at (same seed and clock as the emulators'). */
const sample = syntheticDevices(SYNTHETIC, clock.now())[41]!;
const FILTERS = [...filterTable(sample), ...botFilters(BOT_SEARCH_TEXTS)];

interface Answer {
  status: number;
  body: unknown;
}

/** A reply with what legitimately differs between two emulators (port, request ids) taken out. */
function comparable(emulator: EmulatorHandle, reply: Reply): Answer {
  const text = JSON.stringify(reply.body ?? null)
    .split(emulator.url)
    .join('BASE');
  const body = JSON.parse(text) as { error?: { innerError?: unknown } } | null;
  if (body?.error) delete body.error.innerError;
  return { status: reply.status, body };
}

/** Follows @odata.nextLink from `first`, at most `maxPages` pages. */
async function walk(emulator: EmulatorHandle, first: string, maxPages: number): Promise<Answer[]> {
  const pages: Answer[] = [];
  let next: string | undefined = first;
  while (next && pages.length < maxPages) {
    const reply = await call(emulator, next);
    pages.push(comparable(emulator, reply));
    next = reply.status === 200 ? reply.body['@odata.nextLink'] : undefined;
  }
  return pages;
}

describe('emulator device search: indexes answer exactly like a full scan', () => {
  let indexed: EmulatorHandle;
  let scanning: EmulatorHandle;
  before(async () => {
    const tenant = readTenantFile();
    tenant.managedDevices.push(...trickyDevices());
    const options = { port: 0, tenant, syntheticDevices: SYNTHETIC, now: clock.now };
    indexed = await startEmulator({ ...options, deviceIndexes: true });
    scanning = await startEmulator({ ...options, deviceIndexes: false });
  });
  after(async () => {
    await Promise.all([indexed?.close(), scanning?.close()]);
  });

  async function assertSameAnswers(first: string, maxPages: number): Promise<void> {
    const [fromIndex, fromScan] = await Promise.all([
      walk(indexed, first, maxPages),
      walk(scanning, first, maxPages),
    ]);
    assert.deepEqual(fromIndex, fromScan, first);
  }

  for (const filter of FILTERS) {
    it(`same devices, order, paging and errors for ${filter}`, async () => {
      // Every match, in pages of 1000 (the tenant holds about 3,000 devices).
      await assertSameAnswers(devicesWhere(filter, 'beta', '&$top=1000&$select=id'), 10);
      // Small pages with a count, as the bot pages (it asks $top=11 and follows nextLink).
      await assertSameAnswers(
        devicesWhere(filter, 'beta', '&$top=7&$count=true&$select=id,deviceName,serialNumber'),
        4,
      );
      await assertSameAnswers(devicesWhere(filter, 'v1.0', '&$top=11'), 2);
    });
  }

  it('same pages with no filter at all', async () => {
    await assertSameAnswers('/beta/deviceManagement/managedDevices?$top=1000&$select=id', 10);
    await assertSameAnswers('/beta/deviceManagement/managedDevices?$top=3&$count=true', 3);
  });

  it('same $batch answer for the pair of filters the bot sends for a serial-like query', async () => {
    const requests = botFilters(['SYN000000042', sample.deviceName]).map((filter, i) => ({
      id: String(i),
      method: 'GET',
      url: `deviceManagement/managedDevices?$filter=${encodeURIComponent(filter)}&$top=11&$select=id,deviceName`,
    }));
    assert.equal(requests.length, 4, 'serialNumber eq and deviceName contains, twice');
    const replies = await Promise.all(
      [indexed, scanning].map(async (emulator) =>
        comparable(
          emulator,
          await call(emulator, '/beta/$batch', { method: 'POST', body: { requests } }),
        ),
      ),
    );
    assert.deepEqual(replies[0], replies[1]);
    const found = (replies[0]!.body as { responses: Array<{ body: { value: unknown[] } }> })
      .responses;
    // The serial finds its device, not a name; the name finds its device (and its copy), not a serial.
    const counts = found.map((r) => r.body.value.length);
    assert.deepEqual(counts.slice(0, 3), [1, 0, 0]);
    assert.ok(counts[3]! >= 1);
  });

  it('the table is not vacuous: it has empty, small, large and refused answers', async () => {
    const sizes: number[] = [];
    let refused = 0;
    for (const filter of FILTERS) {
      const reply = await call(indexed, devicesWhere(filter, 'beta', '&$count=true&$top=1'));
      if (reply.status === 400) refused++;
      else sizes.push(reply.body['@odata.count'] as number);
    }
    assert.ok(refused >= 4, `${refused} refused`);
    assert.ok(sizes.filter((n) => n === 0).length >= 3, 'some match nothing');
    assert.ok(sizes.filter((n) => n > 0 && n <= 20).length >= 15, 'many match a few');
    assert.ok(sizes.filter((n) => n > 1000).length >= 5, 'some match more than a page');
  });
});
