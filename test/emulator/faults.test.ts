import assert from 'node:assert/strict';
import type { EmulatorHandle } from '../../src/emulator/api';
import { DEMO_TENANT } from '../../src/emulator/demoTenant';
import { startEmulator } from '../../src/emulator/server';
import { call } from './support';

describe('emulator throttling, faults and latency', () => {
  let emulator: EmulatorHandle;
  before(async () => {
    emulator = await startEmulator({ port: 0 });
  });
  after(() => emulator.close());
  beforeEach(() => emulator.resetRequests());

  const devicesPath = '/v1.0/deviceManagement/managedDevices?$top=1';

  it('throttle(count, retryAfter) answers the next requests 429 with Retry-After, then recovers', async () => {
    emulator.throttle(2, 5);
    const first = await call(emulator, devicesPath);
    const second = await call(emulator, devicesPath);
    const third = await call(emulator, devicesPath);
    for (const reply of [first, second]) {
      assert.equal(reply.status, 429);
      assert.equal(reply.headers.get('retry-after'), '5');
      assert.equal(reply.body.error.code, 'TooManyRequests');
      assert.equal(reply.body.error.innerError['request-id'], reply.headers.get('request-id'));
    }
    assert.equal(third.status, 200);
    assert.deepEqual(
      emulator.requests.map((r) => r.status),
      [429, 429, 200],
    );
  });

  it('throttle with a pattern only hits matching requests', async () => {
    emulator.throttle(1, 2, /resetPasscode$/);
    assert.equal((await call(emulator, devicesPath)).status, 200);
    const reset = await call(
      emulator,
      `/beta/deviceManagement/managedDevices/${DEMO_TENANT.devices.leeLumia650}/resetPasscode`,
      { method: 'POST' },
    );
    assert.equal(reset.status, 429);
    assert.equal(reset.headers.get('retry-after'), '2');
    assert.equal(emulator.resetCalls(DEMO_TENANT.devices.leeLumia650), 0);
  });

  it('fault(count, status) answers that status with a Graph error body', async () => {
    emulator.fault(1, 503);
    emulator.fault(1, 500, /organization/);
    const unavailable = await call(emulator, devicesPath);
    assert.equal(unavailable.status, 503);
    assert.equal(unavailable.body.error.code, 'ServiceUnavailable');
    assert.equal(unavailable.headers.get('retry-after'), null);
    assert.equal((await call(emulator, devicesPath)).status, 200);
    const broken = await call(emulator, '/v1.0/organization');
    assert.equal(broken.status, 500);
    assert.equal(broken.body.error.code, 'InternalServerError');
    assert.equal((await call(emulator, '/v1.0/organization')).status, 200);
  });

  it('fault can carry Retry-After and 4xx statuses such as 403', async () => {
    emulator.fault(1, 503, undefined, 4);
    const reply = await call(emulator, devicesPath);
    assert.equal(reply.headers.get('retry-after'), '4');
    emulator.fault(1, 403);
    assert.equal((await call(emulator, devicesPath)).status, 403);
    assert.throws(() => emulator.fault(1, 200));
  });

  it('hold(count, pattern) carries a request out but answers it only at release()', async () => {
    const lee = DEMO_TENANT.devices.leeLumia650;
    emulator.hold(1, /resetPasscode$/);
    const reset = call(emulator, `/beta/deviceManagement/managedDevices/${lee}/resetPasscode`, {
      method: 'POST',
    });
    let answered = false;
    void reset.then(() => (answered = true));
    // Other requests are not held meanwhile.
    assert.equal((await call(emulator, devicesPath)).status, 200);
    while (emulator.held() === 0) await new Promise((resolve) => setImmediate(resolve));
    assert.equal(emulator.resetCalls(lee), 1, 'carried out at once');
    assert.equal(answered, false, 'not answered while held');
    assert.equal(emulator.release(), 1);
    assert.equal((await reset).status, 204);
    assert.equal(emulator.held(), 0);
    assert.throws(() => emulator.hold(-1));
  });

  it('answers auth failures before injected ones', async () => {
    emulator.throttle(1, 1);
    assert.equal((await call(emulator, devicesPath, { anonymous: true })).status, 401);
    assert.equal((await call(emulator, devicesPath)).status, 429);
  });

  it('still answers correctly with latency added', async () => {
    emulator.setLatency(15);
    try {
      const reply = await call(emulator, '/v1.0/organization');
      assert.equal(reply.status, 200);
      assert.equal(reply.body.value[0].id, DEMO_TENANT.tenantId);
    } finally {
      emulator.setLatency(0);
    }
  });
});
