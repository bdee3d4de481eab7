import assert from 'node:assert/strict';
import { DEV_GRAPH_TOKEN, DevTokenSource, StaticTokenSource } from '../../src/intune/credentials';
import { grantedPermissions, permissionsInToken } from '../../src/intune/grantedPermissions';
import { unsignedJwt } from './support';

const TENANT = '8f4e7a1c-2b3d-4e5f-9a6b-7c8d9e0f1a2b';

describe('grantedPermissions (reading roles / scp from our own token)', function () {
  it('reads application permissions from roles, with the tenant', function () {
    const token = unsignedJwt({
      tid: TENANT,
      roles: ['DeviceManagementManagedDevices.Read.All', 'Application.Read.All'],
    });
    assert.deepEqual(permissionsInToken(token), {
      kind: 'roles',
      values: ['DeviceManagementManagedDevices.Read.All', 'Application.Read.All'],
      tenantId: TENANT,
    });
  });

  it('reads delegated permissions from the space-separated scp', function () {
    const token = unsignedJwt({
      scp: 'DeviceManagementManagedDevices.Read.All  openid profile',
      roles: ['ignored.when.scp.is.there'],
    });
    assert.deepEqual(permissionsInToken(token), {
      kind: 'scopes',
      values: ['DeviceManagementManagedDevices.Read.All', 'openid', 'profile'],
    });
  });

  it('treats a JWT without roles or scp as an application token holding nothing', function () {
    assert.deepEqual(permissionsInToken(unsignedJwt({ aud: 'https://graph.microsoft.com' })), {
      kind: 'roles',
      values: [],
    });
  });

  it('drops roles that are not strings, and accepts a "Bearer " prefix', function () {
    const token = `Bearer ${unsignedJwt({ roles: ['GroupMember.Read.All', 7, null, ''] })}`;
    assert.deepEqual(permissionsInToken(token).values, ['GroupMember.Read.All']);
  });

  it('calls anything unreadable opaque: the dev token, an encrypted JWT, bad base64 or JSON', function () {
    const payload = Buffer.from('{"roles":["x"]}').toString('base64url');
    for (const token of [
      DEV_GRAPH_TOKEN,
      `a.${payload}.c.d.e`,
      'a.%%%.c',
      `a.${Buffer.from('not json').toString('base64url')}.c`,
      `a.${Buffer.from('["array"]').toString('base64url')}.c`,
      '',
    ]) {
      assert.deepEqual(permissionsInToken(token), { kind: 'opaque', values: [] }, token);
    }
  });

  it('asks the token source for a Graph URL under the base URL', async function () {
    const asked: string[] = [];
    const source = {
      getToken: async (url: string) => {
        asked.push(url);
        return unsignedJwt({ roles: ['Application.Read.All'] });
      },
    };
    const granted = await grantedPermissions(source, 'https://graph.microsoft.us/');
    assert.deepEqual(granted.values, ['Application.Read.All']);
    assert.deepEqual(asked, ['https://graph.microsoft.us/v1.0/']);
  });

  it('is opaque for the loopback dev token and reads a static (delegated) token', async function () {
    const base = 'http://127.0.0.1:9';
    assert.equal((await grantedPermissions(new DevTokenSource(base), base)).kind, 'opaque');
    const delegated = new StaticTokenSource(unsignedJwt({ scp: 'GroupMember.Read.All' }));
    assert.deepEqual(await grantedPermissions(delegated, base), {
      kind: 'scopes',
      values: ['GroupMember.Read.All'],
    });
  });
});
