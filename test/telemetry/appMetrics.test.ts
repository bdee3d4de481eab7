import assert from 'node:assert/strict';
import { metrics as otelMetrics } from '@opentelemetry/api';
import { globalAppMetrics, METRIC_NAMES } from '../../src/telemetry/appMetrics';
import { MetricsProbe } from './support/collectingReader';

describe('telemetry: the app metrics as OpenTelemetry instruments', () => {
  let probe: MetricsProbe;
  beforeEach(() => {
    probe = new MetricsProbe();
  });
  afterEach(async () => {
    await probe.shutdown();
  });

  it('counts resets by outcome', async () => {
    probe.metrics.resetFinished('done');
    probe.metrics.resetFinished('done');
    probe.metrics.resetFinished('timedOut');
    assert.equal(await probe.counter(METRIC_NAMES.resets, { outcome: 'done' }), 2);
    assert.equal(await probe.counter(METRIC_NAMES.resets, { outcome: 'timedOut' }), 1);
    assert.equal(await probe.counter(METRIC_NAMES.resets, { outcome: 'failed' }), 0);
  });

  it('records confirm-to-passcode seconds as a histogram, never below zero', async () => {
    probe.metrics.passcodeDelivered(90);
    probe.metrics.passcodeDelivered(30);
    // Another instance's clock a little behind: counted, as zero.
    probe.metrics.passcodeDelivered(-2);
    const [point] = (await probe.points()).filter((p) => p.name === METRIC_NAMES.confirmToPasscode);
    assert.deepEqual(point, {
      name: METRIC_NAMES.confirmToPasscode,
      attributes: {},
      count: 3,
      sum: 120,
    });
  });

  it('counts Graph throttling by scope and failed deliveries by kind and outcome', async () => {
    probe.metrics.graphThrottled('request');
    probe.metrics.graphThrottled('batchItem');
    probe.metrics.graphThrottled('batchItem');
    probe.metrics.deliveryFailed('passcode', true);
    probe.metrics.deliveryFailed('notification', false);
    assert.equal(await probe.counter(METRIC_NAMES.graphThrottled, { scope: 'request' }), 1);
    assert.equal(await probe.counter(METRIC_NAMES.graphThrottled, { scope: 'batchItem' }), 2);
    assert.equal(
      await probe.counter(METRIC_NAMES.deliveriesFailed, { kind: 'passcode', outcome: 'retrying' }),
      1,
    );
    assert.equal(
      await probe.counter(METRIC_NAMES.deliveriesFailed, {
        kind: 'notification',
        outcome: 'gaveUp',
      }),
      1,
    );
  });

  it('does nothing, and fails nothing, when no meter provider is registered (telemetry off)', () => {
    assert.equal(
      otelMetrics.getMeterProvider().constructor.name,
      'NoopMeterProvider',
      'this test process registers no global provider',
    );
    const metrics = globalAppMetrics();
    metrics.resetFinished('done');
    metrics.passcodeDelivered(1);
    metrics.deliveryFailed('passcode', false);
    metrics.graphThrottled('request');
  });
});
