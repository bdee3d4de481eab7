import assert from 'node:assert/strict';
import { SettingsRepository } from '../../../src/domain/records/settingsRepository';
import { DEMO_TENANT, DeskRig } from '../support/deskRig';

const memberChecks = (rig: DeskRig) =>
  rig.emulator.requests.filter((r) => /checkMemberGroups/.test(r.url)).length;
const deviceReads = (rig: DeskRig) =>
  rig.emulator.requests.filter((r) => /managedDevices/.test(r.url)).length;

describe('domain: authorization', () => {
  let rig: DeskRig;
  afterEach(async () => {
    await rig.close();
  });

  it('technicians are transitive members of HELPDESK_GROUP_IDS; others get notTechnician, audited, no device data', async () => {
    rig = await DeskRig.start();
    for (const name of ['meganBowen', 'nestorWilke', 'adeleVance'] as const) {
      const answer = await rig.desk.search(rig.actor(name), rig.group, 'Lumia');
      assert.equal(answer.kind, 'results', name);
    }
    const before = deviceReads(rig);
    const diego = rig.actor('diegoSiciliani');
    const refused = await rig.desk.search(diego, rig.group, 'Lumia');
    assert.deepEqual(refused, { kind: 'refused', reason: 'notTechnician' });
    assert.equal(deviceReads(rig), before, 'no device data was read for a non-technician');
    const entry = (await rig.auditEntries()).find((e) => e.action === 'refused');
    assert.equal(entry?.outcome, 'notTechnician');
    assert.equal(entry?.actorId, diego.aadObjectId);
    assert.equal(entry?.actorUpn, diego.userPrincipalName);
    for (const answer of [
      await rig.desk.status(diego, 5),
      await rig.desk.checkSetup(diego),
      await rig.desk.showPasscode(diego, rig.group, { text: 'lumia' }),
      await rig.desk.confirm(diego, rig.group, 'A'.repeat(22), undefined),
    ]) {
      assert.equal(answer.kind === 'refused' && answer.reason, 'notTechnician');
    }
  });

  it('takes GUID-shaped ids as identities (a mock client 37-digit id too), never path-like text', async () => {
    rig = await DeskRig.start({
      env: {
        HELPDESK_GROUP_IDS: '',
        ADMIN_GROUP_IDS: '',
        MicrosoftAppId: '',
        MicrosoftAppPassword: '',
      },
    });
    assert.equal(rig.config.localDevelopment, true);
    const mock = rig.actor('meganBowen', { aadObjectId: '00000000-0000-0000-0000-0000000000020' });
    assert.equal((await rig.desk.status(mock, 5)).kind, 'status');
    for (const aadObjectId of ['../../me', 'me', `${DEMO_TENANT.users.meganBowen}/x`, '']) {
      const answer = await rig.desk.status(rig.actor('meganBowen', { aadObjectId }), 5);
      assert.equal(answer.kind === 'refused' && answer.reason, 'notTechnician', aadObjectId);
    }
  });

  it('caches roles for 5 minutes per user (fake clock), then asks Graph again', async () => {
    rig = await DeskRig.start();
    const megan = rig.actor('meganBowen');
    await rig.desk.status(megan, 5);
    await rig.desk.status(megan, 5);
    assert.equal(memberChecks(rig), 1);
    rig.clock.advanceMinutes(4.9);
    await rig.desk.status(megan, 5);
    assert.equal(memberChecks(rig), 1);
    rig.clock.advanceMinutes(0.2);
    await rig.desk.status(megan, 5);
    assert.equal(memberChecks(rig), 2);
    await rig.desk.status(rig.actor('leeGu'), 5);
    assert.equal(memberChecks(rig), 3, 'per user');
  });

  it('fails closed when Graph cannot answer the membership check, and does not cache the failure', async () => {
    rig = await DeskRig.start();
    rig.emulator.fault(1, 503, /checkMemberGroups/);
    const megan = rig.actor('meganBowen');
    const refused = await rig.desk.search(megan, rig.group, 'Lumia');
    assert.equal(refused.kind === 'refused' && refused.reason, 'graphUnavailable');
    assert.ok(refused.kind === 'refused' && refused.graphRequestId, 'with the request-id');
    const audit = await rig.auditEntries();
    assert.ok(audit.some((e) => e.outcome === 'graphUnavailable' && e.graphRequestId));
    assert.equal((await rig.desk.search(megan, rig.group, 'Lumia')).kind, 'results');
  });

  it('refuses tenants outside the allow-list before asking Graph anything', async () => {
    rig = await DeskRig.start();
    const before = rig.emulator.requests.length;
    const stranger = rig.actor('meganBowen', { tenantId: '99999999-9999-4999-8999-999999999999' });
    const refused = await rig.desk.search(stranger, rig.group, 'Lumia');
    assert.deepEqual(refused, { kind: 'refused', reason: 'tenantNotAllowed' });
    assert.equal(rig.emulator.requests.length, before);
    assert.ok(
      (await rig.auditEntries()).some(
        (e) => e.action === 'refused' && e.outcome === 'tenantNotAllowed',
      ),
    );
  });

  it('without ALLOWED_TENANT_IDS only the bot own tenant is allowed (and no tenant at all when none is known)', async () => {
    rig = await DeskRig.start({
      env: { ALLOWED_TENANT_IDS: '', MicrosoftAppTenantId: DEMO_TENANT.tenantId },
    });
    assert.equal((await rig.desk.status(rig.actor('meganBowen'), 1)).kind, 'status');
    const other = await rig.desk.status(
      rig.actor('meganBowen', { tenantId: '99999999-9999-4999-8999-999999999999' }),
      1,
    );
    assert.equal(other.kind === 'refused' && other.reason, 'tenantNotAllowed');
    await rig.close();

    rig = await DeskRig.start({ env: { ALLOWED_TENANT_IDS: '' } });
    const nobody = await rig.desk.status(rig.actor('meganBowen'), 1);
    assert.equal(nobody.kind === 'refused' && nobody.reason, 'tenantNotAllowed');
  });

  it('empty HELPDESK_GROUP_IDS: everybody is technician and admin in local development, nobody otherwise', async () => {
    rig = await DeskRig.start({
      env: {
        HELPDESK_GROUP_IDS: '',
        ADMIN_GROUP_IDS: '',
        ALLOWED_TENANT_IDS: '',
        MicrosoftAppId: '',
        MicrosoftAppPassword: '',
      },
    });
    assert.equal(rig.config.localDevelopment, true);
    const diego = rig.actor('diegoSiciliani', { tenantId: '99999999-9999-4999-8999-999999999999' });
    assert.equal((await rig.desk.search(diego, rig.group, 'Lumia')).kind, 'results');
    assert.equal((await rig.desk.audit(diego, 5)).kind, 'audit');
    assert.equal(memberChecks(rig), 0);
    await rig.close();

    rig = await DeskRig.start({ env: { HELPDESK_GROUP_IDS: '', ADMIN_GROUP_IDS: '' } });
    const megan = await rig.desk.search(rig.actor('meganBowen'), rig.group, 'Lumia');
    assert.equal(megan.kind === 'refused' && megan.reason, 'notTechnician');
  });

  it('audit and notify here are for admins; notify here only in a channel, stored for the Messenger', async () => {
    rig = await DeskRig.start();
    const megan = rig.actor('meganBowen');
    const adele = rig.actor('adeleVance');
    const technicianOnly = await rig.desk.audit(megan, 10);
    assert.equal(technicianOnly.kind === 'refused' && technicianOnly.reason, 'notAdmin');
    const notAdmin = await rig.desk.notifyHere(megan, rig.channel);
    assert.equal(notAdmin.kind === 'refused' && notAdmin.reason, 'notAdmin');
    const inGroup = await rig.desk.notifyHere(adele, rig.group);
    assert.equal(inGroup.kind === 'refused' && inGroup.reason, 'notInChannel');
    assert.deepEqual(await rig.desk.notifyHere(adele, rig.channel), { kind: 'notifyHere' });
    const setting = await new SettingsRepository(rig.stores.documents).getHelpdeskChannel();
    assert.equal(setting?.conversationKey, rig.channel.key);
    assert.equal(setting?.setBy.aadObjectId, adele.aadObjectId);
    assert.equal((await rig.main.settings.getHelpdeskChannel())?.conversationKey, rig.channel.key);

    const log = await rig.desk.audit(adele, 3);
    assert.equal(log.kind, 'audit');
    assert.equal(log.entries.length, 3);
    assert.equal(log.entries[0]?.action, 'configure', 'newest first');
    const lidia = await rig.desk.audit(rig.actor('lidiaHolloway'), 1);
    assert.equal(lidia.kind, 'audit', 'a direct admin who is not a technician may read the audit');
  });

  it('check setup: technicians only; asks Graph for the configured tenant, else the actor tenant; audited', async () => {
    rig = await DeskRig.start();
    const answer = await rig.desk.checkSetup(rig.actor('meganBowen'));
    assert.equal(answer.kind, 'setup');
    assert.equal(answer.report.tenantId, DEMO_TENANT.tenantId);
    assert.equal(answer.report.allPassed, true);
    assert.ok(
      (await rig.auditEntries()).some((e) => e.action === 'setupCheck' && e.outcome === 'passed'),
    );
    await rig.close();

    const configured = '12345678-1234-4234-8234-123456789012';
    rig = await DeskRig.start({ env: { AZURE_TENANT_ID: configured } });
    const other = await rig.desk.checkSetup(rig.actor('meganBowen'));
    assert.equal(other.kind === 'setup' && other.report.tenantId, configured);
  });
});
