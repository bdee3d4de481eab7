import assert from 'node:assert/strict';
import type { DeskParts } from '../../src/domain/createDesk';
import { DeliveryError } from '../../src/domain/ports/messenger';
import { DevTokenSource } from '../../src/intune/credentials';
import { GraphIntune } from '../../src/intune/graphIntune';
import { METRIC_NAMES } from '../../src/telemetry/appMetrics';
import { DEMO_TENANT, DeskRig } from '../domain/support/deskRig';
import { MetricsProbe } from './support/collectingReader';

const LEE_LUMIA = { id: DEMO_TENANT.devices.leeLumia650, serial: 'RM1152D2H7J3' };
const FAILING = { id: DEMO_TENANT.devices.failingReset, serial: 'RM1116G1X3B7' };

/** Every attribute the app may ever attach: names and values from fixed sets only. */
const ALLOWED_ATTRIBUTES: Record<string, readonly string[]> = {
  outcome: ['done', 'failed', 'canceled', 'notSupported', 'timedOut', 'retrying', 'gaveUp'],
  kind: ['passcode', 'notification'],
  scope: ['request', 'batchItem'],
};

/**
 * The domain's hooks (src/domain/ports/metrics.ts) on real parts — the emulator over HTTP,
 * GraphIntune, SQLite, a recording Messenger, a fake clock — read back through a real
 * OpenTelemetry MeterProvider.
 */
describe('telemetry: what the domain and the Graph client report', () => {
  let rig: DeskRig;
  let probe: MetricsProbe;
  let instance: DeskParts;

  beforeEach(async () => {
    rig = await DeskRig.start();
    probe = new MetricsProbe();
    instance = rig.instance('measured-instance', { metrics: probe.metrics });
  });
  afterEach(async () => {
    await instance.tracker.stop();
    await rig.close();
    await probe.shutdown();
  });

  const cycle = async (minutes = 0): Promise<void> => {
    rig.clock.advanceMinutes(minutes);
    await instance.tracker.runOnce();
  };

  /** Names and values of every attribute recorded, and no passcode anywhere in the export. */
  async function assertOnlyEnums(passcodes: string[]): Promise<void> {
    for (const point of await probe.points()) {
      for (const [name, value] of Object.entries(point.attributes)) {
        assert.ok(
          ALLOWED_ATTRIBUTES[name]?.includes(String(value)),
          `${point.name} carries ${name}=${String(value)}`,
        );
      }
    }
    const exported = JSON.stringify(await probe.raw());
    for (const passcode of passcodes) assert.equal(exported.includes(passcode), false);
  }

  it('a reset that succeeds: one "done", and the seconds from confirm to passcode', async () => {
    const job = await rig.startReset(rig.actor('meganBowen'), LEE_LUMIA.serial, LEE_LUMIA.id);
    await cycle();
    await cycle(1.5);
    const stored = await rig.job(job.id);
    assert.equal(stored.delivery?.state, 'sent');
    assert.equal(rig.messenger.deliveries.length, 1);

    assert.equal(await probe.counter(METRIC_NAMES.resets, { outcome: 'done' }), 1);
    const [histogram] = (await probe.points()).filter(
      (p) => p.name === METRIC_NAMES.confirmToPasscode,
    );
    const expectedSeconds =
      (Date.parse(stored.delivery!.sentAt!) - Date.parse(stored.createdAt)) / 1000;
    assert.deepEqual([histogram?.count, histogram?.sum], [1, expectedSeconds]);
    assert.ok(expectedSeconds >= 90, 'the fake clock moved 1.5 minutes');

    await cycle(0.1);
    assert.equal(await probe.counter(METRIC_NAMES.resets, { outcome: 'done' }), 1, 'counted once');
    await assertOnlyEnums(rig.messenger.deliveries.map((d) => d.passcode));
  });

  it('a reset Intune fails: one "failed"; failed sends of the passcode and of notices are counted', async () => {
    rig.messenger.failNotifications(new DeliveryError('Teams said no', 503, false));
    const failing = await rig.startReset(rig.actor('meganBowen'), FAILING.serial, FAILING.id);
    await cycle();
    await cycle(1.5);
    assert.equal((await rig.job(failing.id)).state, 'failed');
    assert.equal(await probe.counter(METRIC_NAMES.resets, { outcome: 'failed' }), 1);
    assert.equal(
      await probe.counter(METRIC_NAMES.deliveriesFailed, {
        kind: 'notification',
        outcome: 'retrying',
      }),
      1,
    );

    rig.messenger.failDeliveries(new DeliveryError('Forbidden', 403, true));
    const good = await rig.startReset(rig.actor('meganBowen'), LEE_LUMIA.serial, LEE_LUMIA.id);
    await cycle();
    await cycle(1.5);
    assert.equal((await rig.job(good.id)).delivery?.state, 'failed');
    assert.equal(
      await probe.counter(METRIC_NAMES.deliveriesFailed, { kind: 'passcode', outcome: 'gaveUp' }),
      1,
    );
    assert.equal(await probe.counter(METRIC_NAMES.resets, { outcome: 'done' }), 1);
    await assertOnlyEnums([]);
  });

  it('Graph 429s: each throttled attempt of a request, and each throttled step of a $batch', async () => {
    const graph = new GraphIntune({
      baseUrl: rig.emulator.url,
      tokenSource: new DevTokenSource(rig.emulator.url),
      retryDelaySeconds: 0,
      maxRetries: 2,
      batch: { maxAttempts: 2, maxWaitSeconds: 5 },
      onThrottled: (scope) => probe.metrics.graphThrottled(scope),
    });
    rig.emulator.throttle(2, 0, new RegExp(`/managedDevices/${LEE_LUMIA.id}\\?`));
    assert.equal((await graph.getDevice(LEE_LUMIA.id))?.id, LEE_LUMIA.id);
    assert.equal(await probe.counter(METRIC_NAMES.graphThrottled, { scope: 'request' }), 2);

    rig.emulator.throttle(1, 0, new RegExp(`/managedDevices/${FAILING.id}\\?`));
    const results = await graph.getResetResults([LEE_LUMIA.id, FAILING.id]);
    assert.equal(results.size, 2);
    assert.equal(await probe.counter(METRIC_NAMES.graphThrottled, { scope: 'batchItem' }), 1);
    assert.equal(await probe.counter(METRIC_NAMES.graphThrottled, { scope: 'request' }), 2);
    await assertOnlyEnums([]);
  });
});
