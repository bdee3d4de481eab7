import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoBanner } from '../../src/demo/banner';
import { PLAYGROUND, playgroundConfigYaml } from '../../src/demo/playgroundConfig';
import { DEMO_TENANT } from '../../src/emulator/demoTenant';
import { readTenantFile } from '../../src/emulator/tenant';
import { projectRoot } from '../../src/paths';

const tenant = readTenantFile();

/** Transitive members of a group in the tenant file (nested groups included). */
function membersOf(groupId: string, seen = new Set<string>()): Set<string> {
  const group = tenant.groups.find((g) => g.id === groupId);
  for (const member of group?.members ?? []) {
    if (seen.has(member)) continue;
    seen.add(member);
    membersOf(member, seen);
  }
  return seen;
}

describe('the Agents Playground mock tenant', () => {
  it('is what the committed .m365agentsplayground.yml holds', () => {
    const committed = readFileSync(join(projectRoot(), '.m365agentsplayground.yml'), 'utf8');
    assert.equal(committed, playgroundConfigYaml());
  });

  it('lives in the emulator demo tenant', () => {
    assert.equal(PLAYGROUND.tenantId, tenant.tenantId);
    assert.equal(PLAYGROUND.tenantId, DEMO_TENANT.tenantId);
    for (const person of [PLAYGROUND.currentUser, ...PLAYGROUND.users]) {
      const user = tenant.users.find((u) => u.id === person.aadObjectId);
      assert.ok(user, `${person.name} is a demo directory user`);
      assert.equal(user.displayName, person.name);
      assert.equal(user.userPrincipalName, person.upn);
    }
    assert.ok(tenant.groups.some((g) => g.id === PLAYGROUND.team.aadGroupId));
  });

  it('types as a helpdesk technician who is also an admin', () => {
    const id = PLAYGROUND.currentUser.aadObjectId;
    assert.ok(membersOf(DEMO_TENANT.groups.helpdeskTechnicians).has(id));
    assert.ok(membersOf(DEMO_TENANT.groups.helpdeskAdmins).has(id));
  });

  it('meets the playground schema: five other users, unique user and conversation ids', () => {
    assert.equal(PLAYGROUND.users.length, 5);
    const userIds = [PLAYGROUND.currentUser, ...PLAYGROUND.users].map((u) => u.id);
    assert.equal(new Set(userIds).size, userIds.length);
    const conversations = [
      PLAYGROUND.personalChatId,
      PLAYGROUND.groupChat.id,
      PLAYGROUND.team.id,
      PLAYGROUND.team.channel.id,
    ];
    assert.equal(new Set(conversations).size, conversations.length);
    assert.ok(PLAYGROUND.bot.name.length <= 42);
    assert.match(playgroundConfigYaml(), /^version: '0\.1\.1'$/m);
  });
});

describe('the demo banner', () => {
  const input = {
    tenant,
    botUrl: 'http://127.0.0.1:3978',
    emulatorUrl: 'http://127.0.0.1:4000',
    dataDir: 'data/demo',
  };

  it('says where to go and what to type, with devices that exist in the demo tenant', () => {
    const text = demoBanner({ ...input, playgroundUrl: 'http://localhost:56150' });
    assert.match(text, /Open http:\/\/localhost:56150 in a browser/);
    const name = (id: string): string => tenant.managedDevices.find((d) => d.id === id)!.deviceName;
    for (const typed of [
      'reset lumia 950',
      `reset ${name(DEMO_TENANT.devices.failingReset)}`,
      `reset ${name(DEMO_TENANT.devices.neverChecksIn)}`,
      `reset ${name(DEMO_TENANT.devices.tooOld)}`,
      `reset ${name(DEMO_TENANT.devices.henriettaAndroidWorkProfile)}`,
      `reset ${name(DEMO_TENANT.devices.meganIPhone)}`,
      `reset ${name(DEMO_TENANT.devices.deviceAdminAndroid10)}`,
      'reset alex.wilber@contoso.onmicrosoft.com',
      'check setup',
      'help',
    ]) {
      assert.ok(text.includes(`    ${typed} `), `the banner suggests "${typed}"`);
    }
    assert.match(text, /http:\/\/127\.0\.0\.1:3978\/api\/messages/);
    assert.match(text, /Ctrl\+C/);
  });

  it('says so when the playground is not installed', () => {
    assert.match(demoBanner(input), /Agents Playground is not installed/);
  });

  it('says how the second technician approves when APPROVAL is on, and only then', () => {
    assert.doesNotMatch(demoBanner(input), /demo:approve/);
    assert.match(
      demoBanner({ ...input, approval: true }),
      /notify here[\s\S]*Megan Bowen approves from a second terminal: npm run demo:approve/,
    );
  });
});
