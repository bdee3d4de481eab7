import assert from 'node:assert/strict';
import { IntuneError } from '../../src/domain/ports/intune';
import { startRig, type Rig } from './harness';

const LUMIA = 'd7c2a1e0-4b3a-4c5d-8e6f-000000000001';
const SECOND = 'd7c2a1e0-4b3a-4c5d-8e6f-000000000002';
const THIRD = 'd7c2a1e0-4b3a-4c5d-8e6f-000000000003';

describe('GraphIntune throttling and faults (emulator over HTTP)', () => {
  let rig: Rig;
  before(async () => {
    // Bounds kept small so the tests stay short: 1 retry of a request, 2 tries of a sub-request.
    rig = await startRig(
      {},
      { maxRetries: 1, maxRetryAfterSeconds: 5, batch: { maxAttempts: 2, maxWaitSeconds: 5 } },
    );
  });
  after(async () => rig.emulator.close());
  beforeEach(() => rig.emulator.resetRequests());

  it('retries a throttled top-level request after its Retry-After (RetryHandler)', async () => {
    rig.emulator.throttle(
      1,
      1,
      /^\/v1\.0\/deviceManagement\/managedDevices\/d7c2a1e0-4b3a-4c5d-8e6f-000000000001\?/,
    );
    const device = await rig.intune.getDevice(LUMIA);
    assert.equal(device?.id, LUMIA);
    assert.deepEqual(
      rig
        .topLevel()
        .filter((r) => r.url.startsWith('/v1.0/'))
        .map((r) => r.status),
      [429, 200],
    );
  });

  it('retries a 503 on a read', async () => {
    rig.emulator.fault(1, 503, /\/managedDevices\?/);
    await rig.intune.ping();
    assert.deepEqual(
      rig.topLevel().map((r) => r.status),
      [503, 200],
    );
  });

  it('gives up after the bounded number of retries: IntuneError 429 with request-id and Retry-After', async () => {
    rig.emulator.throttle(2, 1, /\/managedDevices\?/); // exactly the first try and the retry
    await assert.rejects(rig.intune.ping(), (e: unknown) => {
      return (
        e instanceof IntuneError &&
        e.status === 429 &&
        e.isThrottled &&
        e.retryAfterSeconds === 1 &&
        /^[0-9a-f-]{36}$/.test(e.requestId ?? '')
      );
    });
    assert.equal(rig.topLevel().length, 2);
  });

  it('does not sit out a Retry-After longer than it may wait: the caller gets it', async () => {
    rig.emulator.throttle(1, 120, /\/managedDevices\?/);
    await assert.rejects(
      rig.intune.ping(),
      (e: unknown) => e instanceof IntuneError && e.status === 429 && e.retryAfterSeconds === 120,
    );
    assert.equal(rig.topLevel().length, 1);
  });

  it('retries resetPasscode after a 429 (Graph did not act on it)', async () => {
    const before = rig.emulator.resetCalls(SECOND);
    rig.emulator.throttle(1, 1, /\/resetPasscode/);
    await rig.intune.resetPasscode(SECOND);
    assert.deepEqual(
      rig.topLevel().map((r) => r.status),
      [429, 204],
    );
    assert.equal(rig.emulator.resetCalls(SECOND), before + 1);
  });

  it('never repeats resetPasscode after a 503: the reset might have happened', async () => {
    const before = rig.emulator.resetCalls(THIRD);
    rig.emulator.fault(1, 503, /\/resetPasscode/);
    await assert.rejects(
      rig.intune.resetPasscode(THIRD),
      (e: unknown) => e instanceof IntuneError && e.status === 503,
    );
    assert.equal(rig.topLevel().length, 1);
    assert.equal(rig.emulator.resetCalls(THIRD), before);
  });

  it('carries Graph error code and request-id of a 403', async () => {
    rig.emulator.fault(1, 403, /\/managedDevices\//);
    await assert.rejects(rig.intune.getDevice(LUMIA), (e: unknown) => {
      return e instanceof IntuneError && e.status === 403 && e.code.length > 0 && !!e.requestId;
    });
  });

  it('re-batches only the throttled sub-requests after their Retry-After', async () => {
    rig.emulator.throttle(2, 1); // no pattern: hits sub-requests, not the envelope
    const results = await rig.intune.getResetResults([LUMIA, SECOND, THIRD]);
    assert.ok([...results.values()].every((r) => r.ok));
    const topLevel = rig.topLevel().filter((r) => r.url === '/v1.0/$batch');
    assert.equal(topLevel.length, 2);
    const subs = rig.subRequests().filter((r) => r.url.startsWith('/v1.0/'));
    assert.deepEqual(
      subs.map((r) => r.status),
      [429, 429, 200, 200, 200],
    );
    assert.deepEqual(
      subs.slice(3).map((r) => r.url),
      subs.slice(0, 2).map((r) => r.url),
    );
  });

  it('reports a sub-request still throttled after the bounded attempts as its own IntuneError 429', async () => {
    rig.emulator.throttle(2, 1, new RegExp(`/managedDevices/${LUMIA}\\?`));
    const results = await rig.intune.getResetResults([LUMIA, SECOND]);
    const lumia = results.get(LUMIA);
    assert.ok(lumia && !lumia.ok);
    assert.equal(lumia.error.status, 429);
    assert.equal(lumia.error.retryAfterSeconds, 1);
    assert.ok(lumia.error.requestId);
    assert.equal(results.get(SECOND)?.ok, true);
    assert.equal(rig.topLevel().length, 2);
  });

  it('does not wait out a sub-request Retry-After longer than it may wait', async () => {
    rig.emulator.throttle(1, 120, new RegExp(`/managedDevices/${LUMIA}\\?`));
    const lumia = (await rig.intune.getResetResults([LUMIA])).get(LUMIA);
    assert.ok(
      lumia && !lumia.ok && lumia.error.status === 429 && lumia.error.retryAfterSeconds === 120,
    );
    assert.equal(rig.topLevel().length, 1);
  });

  it('retries a throttled $batch envelope like any top-level request', async () => {
    rig.emulator.throttle(1, 1, /\/\$batch/);
    const results = await rig.intune.getResetResults([LUMIA]);
    assert.equal(results.get(LUMIA)?.ok, true);
    assert.deepEqual(
      rig.topLevel().map((r) => r.status),
      [429, 200],
    );
  });

  it('throttled search sub-requests are retried too', async () => {
    rig.emulator.throttle(1, 1, /serialNumber/);
    const result = await rig.intune.searchDevices('RM1104A7K2Q9', 5);
    assert.deepEqual(
      result.devices.map((d) => d.id),
      [LUMIA],
    );
    assert.equal(rig.topLevel().length, 2);
  });
});
