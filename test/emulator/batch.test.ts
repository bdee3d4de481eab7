import assert from 'node:assert/strict';
import type { EmulatorHandle } from '../../src/emulator/api';
import { DEMO_TENANT } from '../../src/emulator/demoTenant';
import { startEmulator } from '../../src/emulator/server';
import { call } from './support';

const deviceIds = Object.values(DEMO_TENANT.devices);

/** n single-device reads, ids "1".."n", alternating leading slash or not. */
function reads(n: number) {
  return Array.from({ length: n }, (_, i) => ({
    id: String(i + 1),
    method: 'GET',
    url: `${i % 2 ? '/' : ''}deviceManagement/managedDevices/${deviceIds[i % deviceIds.length]}?$select=deviceActionResults`,
  }));
}

describe('emulator $batch', () => {
  let emulator: EmulatorHandle;
  before(async () => {
    emulator = await startEmulator({ port: 0 });
  });
  after(() => emulator.close());
  beforeEach(() => emulator.resetRequests());

  const batch = (requests: unknown, version = 'v1.0') =>
    call(emulator, `/${version}/$batch`, { method: 'POST', body: { requests } });

  it('answers 20 sub-requests, each routed and recorded on its own', async () => {
    const reply = await batch(reads(20), 'beta');
    assert.equal(reply.status, 200);
    assert.equal(reply.body.responses.length, 20);
    for (const [i, response] of reply.body.responses.entries()) {
      assert.equal(response.id, String(i + 1));
      assert.equal(response.status, 200);
      assert.equal(response.body.id, deviceIds[i % deviceIds.length]);
      assert.ok(Array.isArray(response.body.deviceActionResults));
      assert.match(response.headers['Content-Type'], /application\/json/);
    }
    assert.equal(emulator.requests.length, 21);
    assert.deepEqual(emulator.requests[0], {
      method: 'POST',
      url: '/beta/$batch',
      status: 200,
      inBatch: false,
      authorization: 'Bearer emulator-test-token',
    });
    const subs = emulator.requests.slice(1);
    assert.ok(
      subs.every(
        (r) => r.inBatch && r.status === 200 && r.authorization === 'Bearer emulator-test-token',
      ),
    );
    assert.equal(
      subs[1]?.url,
      `/beta/deviceManagement/managedDevices/${deviceIds[1]}?$select=deviceActionResults`,
    );
  });

  it('refuses 21 sub-requests with 400', async () => {
    const reply = await batch(reads(21));
    assert.equal(reply.status, 400);
    assert.equal(reply.body.error.code, 'BadRequest');
    assert.equal(emulator.requests.filter((r) => r.inBatch).length, 0);
  });

  it('refuses duplicate ids, missing fields and absolute URLs with 400', async () => {
    const invalid: unknown[] = [
      [...reads(2), { ...reads(1)[0] }],
      [{ method: 'GET', url: 'organization' }],
      [{ id: '1', url: 'organization' }],
      [{ id: '1', method: 'GET' }],
      [{ id: '1', method: 'GET', url: 'https://graph.microsoft.com/v1.0/organization' }],
      [],
      'not an array',
    ];
    for (const requests of invalid) {
      assert.equal((await batch(requests)).status, 400, JSON.stringify(requests));
    }
    const noBody = await call(emulator, '/v1.0/$batch', { method: 'POST' });
    assert.equal(noBody.status, 400);
  });

  it('needs auth on the envelope only', async () => {
    const reply = await call(emulator, '/v1.0/$batch', {
      method: 'POST',
      body: { requests: reads(1) },
      anonymous: true,
    });
    assert.equal(reply.status, 401);
    const ok = await batch([
      { id: 'a', method: 'GET', url: 'organization', headers: { Authorization: '' } },
    ]);
    assert.equal(ok.body.responses[0].status, 200);
  });

  it('throttles matching sub-requests on their own, with Retry-After in the sub-response headers', async () => {
    emulator.throttle(2, 7, new RegExp(DEMO_TENANT.devices.adeleLumia950XL));
    const requests = [
      ...reads(4),
      {
        id: 'again',
        method: 'GET',
        url: `deviceManagement/managedDevices/${DEMO_TENANT.devices.adeleLumia950XL}`,
      },
    ];
    const reply = await batch(requests);
    assert.equal(reply.status, 200);
    const statuses = Object.fromEntries(
      reply.body.responses.map((r: { id: string; status: number }) => [r.id, r.status]),
    );
    assert.deepEqual(statuses, { '1': 200, '2': 200, '3': 429, '4': 200, again: 429 });
    const throttled = reply.body.responses.find((r: { id: string }) => r.id === '3');
    assert.equal(throttled.headers['Retry-After'], '7');
    assert.equal(throttled.body.error.code, 'TooManyRequests');
    const next = await batch(requests);
    assert.ok(
      next.body.responses.every((r: { status: number }) => r.status === 200),
      'rule used up',
    );
  });

  it('lets a pattern-less throttle hit the first sub-request, not the envelope', async () => {
    emulator.throttle(1, 3);
    const reply = await batch(reads(3));
    assert.equal(reply.status, 200);
    assert.deepEqual(
      reply.body.responses.map((r: { status: number }) => r.status),
      [429, 200, 200],
    );
    emulator.throttle(1, 9, /\$batch/);
    const whole = await batch(reads(3));
    assert.equal(whole.status, 429);
    assert.equal(whole.headers.get('retry-after'), '9');
  });

  it('faults sub-requests and routes POST, unknown URLs and nested batches per sub-request', async () => {
    emulator.fault(1, 503, /organization/);
    const reply = await batch([
      { id: 'org', method: 'GET', url: 'organization' },
      {
        id: 'reset',
        method: 'POST',
        url: `deviceManagement/managedDevices/${DEMO_TENANT.devices.irvinIdol4S}/resetPasscode`,
      },
      {
        id: 'member',
        method: 'POST',
        url: `users/${DEMO_TENANT.users.meganBowen}/checkMemberGroups`,
        headers: { 'Content-Type': 'application/json' },
        body: { groupIds: [DEMO_TENANT.groups.helpdeskTechnicians] },
      },
      { id: 'unknown', method: 'GET', url: 'deviceManagement/nothingHere' },
      { id: 'nested', method: 'POST', url: '$batch', body: { requests: [] } },
    ]);
    const byId = Object.fromEntries(reply.body.responses.map((r: { id: string }) => [r.id, r]));
    assert.equal(byId.org.status, 503);
    assert.equal(byId.org.body.error.code, 'ServiceUnavailable');
    assert.equal(byId.reset.status, 204);
    assert.equal(byId.reset.body, undefined);
    assert.equal(emulator.resetCalls(DEMO_TENANT.devices.irvinIdol4S), 1);
    assert.deepEqual(byId.member.body.value, [DEMO_TENANT.groups.helpdeskTechnicians]);
    assert.equal(byId.unknown.status, 404);
    assert.equal(byId.nested.status, 400);
  });
});
