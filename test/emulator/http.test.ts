import assert from 'node:assert/strict';
import type { EmulatorHandle } from '../../src/emulator/api';
import { DEMO_TENANT } from '../../src/emulator/demoTenant';
import { startEmulator } from '../../src/emulator/server';
import { AUTH, call } from './support';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('emulator HTTP basics', () => {
  let emulator: EmulatorHandle;
  before(async () => {
    emulator = await startEmulator({ port: 0 });
  });
  after(() => emulator.close());
  beforeEach(() => emulator.resetRequests());

  it('listens on 127.0.0.1 and reports its URL, port and tenant', async () => {
    assert.match(emulator.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(emulator.url, `http://127.0.0.1:${emulator.port}`);
    assert.equal(emulator.tenantId, DEMO_TENANT.tenantId);
    const reply = await call(emulator, '/v1.0/organization');
    assert.equal(reply.status, 200);
    assert.equal(reply.body.value[0].id, DEMO_TENANT.tenantId);
  });

  for (const authorization of [undefined, '', 'Bearer', 'Bearer   ', 'Basic abc']) {
    it(`answers 401 with Graph's error body when Authorization is ${JSON.stringify(authorization)}`, async () => {
      const reply = await call(emulator, '/beta/deviceManagement/managedDevices', {
        anonymous: authorization === undefined,
        ...(authorization === undefined ? {} : { headers: { Authorization: authorization } }),
      });
      assert.equal(reply.status, 401);
      assert.equal(reply.body.error.code, 'InvalidAuthenticationToken');
      assert.equal(typeof reply.body.error.message, 'string');
      assert.equal(reply.body.error.innerError['request-id'], reply.headers.get('request-id'));
    });
  }

  it('accepts any non-empty bearer token and records it', async () => {
    const reply = await call(emulator, '/beta/deviceManagement/managedDevices?$top=1', {
      headers: { Authorization: 'Bearer whatever.you.like' },
    });
    assert.equal(reply.status, 200);
    assert.deepEqual(emulator.requests, [
      {
        method: 'GET',
        url: '/beta/deviceManagement/managedDevices?$top=1',
        status: 200,
        inBatch: false,
        authorization: 'Bearer whatever.you.like',
      },
    ]);
  });

  it('sends request-id on every response and echoes client-request-id', async () => {
    const ok = await call(emulator, '/v1.0/organization', {
      headers: { 'client-request-id': 'my-trace-1' },
    });
    assert.match(ok.headers.get('request-id') ?? '', GUID);
    assert.equal(ok.headers.get('client-request-id'), 'my-trace-1');
    const missing = await call(emulator, '/v1.0/deviceManagement/managedDevices/nope', {
      headers: { 'client-request-id': 'my-trace-2' },
    });
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, 'ResourceNotFound');
    assert.deepEqual(Object.keys(missing.body.error).sort(), ['code', 'innerError', 'message']);
    const inner = missing.body.error.innerError;
    assert.equal(inner['request-id'], missing.headers.get('request-id'));
    assert.equal(inner['client-request-id'], 'my-trace-2');
    assert.ok(!Number.isNaN(Date.parse(inner.date)));
    const generated = await call(emulator, '/v1.0/organization');
    assert.match(generated.headers.get('client-request-id') ?? '', GUID);
    assert.notEqual(generated.headers.get('request-id'), ok.headers.get('request-id'));
  });

  it('answers unknown routes and versions with 404 in Graph style', async () => {
    for (const path of [
      '/v1.0/deviceManagement/somethingElse',
      '/v2.0/organization',
      '/',
      '/beta',
    ]) {
      const reply = await call(emulator, path);
      assert.equal(reply.status, 404, path);
      assert.equal(typeof reply.body.error.code, 'string');
      assert.ok(reply.body.error.innerError['request-id']);
    }
  });

  it('answers a wrong method on a known path with 405', async () => {
    const reply = await call(emulator, '/v1.0/deviceManagement/managedDevices', {
      method: 'DELETE',
    });
    assert.equal(reply.status, 405);
    assert.ok(reply.body.error.code);
  });

  it('answers a body that is not JSON with 400, after the auth check', async () => {
    const path = `/v1.0/users/${DEMO_TENANT.users.meganBowen}/checkMemberGroups`;
    const bad = await call(emulator, path, {
      method: 'POST',
      rawBody: '{"groupIds": [',
      headers: { 'Content-Type': 'application/json' },
    });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'BadRequest');
    const anonymous = await call(emulator, path, { method: 'POST', rawBody: '{', anonymous: true });
    assert.equal(anonymous.status, 401);
  });

  it('serves /v1.0 and /beta alike and ignores the case of path segments', async () => {
    for (const path of ['/v1.0/organization', '/beta/organization', '/beta/Organization']) {
      assert.equal((await call(emulator, path)).status, 200, path);
    }
  });

  it('closes keep-alive connections on close()', async () => {
    const other = await startEmulator({ port: 0 });
    const agentReply = await fetch(`${other.url}/v1.0/organization`, {
      headers: { Authorization: AUTH },
    });
    await agentReply.text();
    await other.close(); // would hang until the keep-alive timeout if sockets stayed open
    await assert.rejects(
      fetch(`${other.url}/v1.0/organization`, { headers: { Authorization: AUTH } }),
    );
  });
});
