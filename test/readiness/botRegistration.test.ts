import assert from 'node:assert/strict';
import { ClientSecretCredential, ManagedIdentityCredential } from '@azure/identity';
import {
  BOT_FRAMEWORK_SCOPE,
  botRegistrationItem,
  defaultBotCredential,
  type BotAppSettings,
} from '../../src/readiness/botCheck';
import { readinessText } from '../../src/readiness/messages';
import { RecordingBotCredential } from './support';

const APP_ID = '22222222-2222-2222-2222-222222222222';
const TENANT = '00000000-0000-0000-0000-00000000abcd';
const PASSWORD = 'Sup3r~Secret.Value_123';

const singleTenant: BotAppSettings = {
  MicrosoftAppId: APP_ID,
  MicrosoftAppPassword: PASSWORD,
  MicrosoftAppType: 'SingleTenant',
  MicrosoftAppTenantId: TENANT,
};
const managed: BotAppSettings = {
  MicrosoftAppId: APP_ID,
  MicrosoftAppPassword: undefined,
  MicrosoftAppType: 'UserAssignedMSI',
  MicrosoftAppTenantId: TENANT,
};

describe('checkReadiness: bot registration (injected credential, no network)', function () {
  it('warns in local development without asking for any token', async function () {
    const credential = new RecordingBotCredential('token');
    const entry = await botRegistrationItem(
      { ...singleTenant, MicrosoftAppId: undefined },
      10_000,
      credential.factory,
    );
    assert.equal(entry.status, 'warn');
    assert.equal(entry.detail, 'local development: unauthenticated, loopback only');
    assert.equal(credential.built.length, 0);
  });

  it('passes when the SingleTenant secret gets a Bot Framework token in its own tenant', async function () {
    const credential = new RecordingBotCredential('token');
    const entry = await botRegistrationItem(singleTenant, 10_000, credential.factory);
    assert.equal(entry.status, 'pass', entry.detail);
    assert.deepEqual(credential.built, [
      { appType: 'SingleTenant', appId: APP_ID, tenantId: TENANT, password: PASSWORD },
    ]);
    assert.deepEqual(credential.scopes, [BOT_FRAMEWORK_SCOPE]);
    assert.ok(!JSON.stringify(entry).includes(PASSWORD));
  });

  it('uses the botframework.com authority for MultiTenant, as botbuilder does', async function () {
    const credential = new RecordingBotCredential('token');
    const entry = await botRegistrationItem(
      { ...singleTenant, MicrosoftAppType: 'MultiTenant' },
      10_000,
      credential.factory,
    );
    assert.equal(entry.status, 'pass');
    assert.equal(credential.built[0]?.tenantId, 'botframework.com');
  });

  it('uses the managed identity, without a password, for UserAssignedMSI', async function () {
    const credential = new RecordingBotCredential('token');
    const entry = await botRegistrationItem(managed, 10_000, credential.factory);
    assert.equal(entry.status, 'pass');
    assert.deepEqual(credential.built, [
      { appType: 'UserAssignedMSI', appId: APP_ID, tenantId: TENANT },
    ]);
  });

  it('fails with the secret fix, and the secret redacted, when the credential throws', async function () {
    const credential = new RecordingBotCredential(
      new Error(`AADSTS7000215: Invalid client secret provided: ${PASSWORD}`),
    );
    const entry = await botRegistrationItem(singleTenant, 10_000, credential.factory);
    assert.equal(entry.status, 'fail');
    assert.equal(entry.fixKey, 'readiness.fix.bot.secret');
    assert.match(entry.detail ?? '', /AADSTS7000215/);
    assert.ok(!JSON.stringify(entry).includes(PASSWORD));
    const fix = readinessText('en', entry.fixKey, entry.params);
    assert.ok(fix.includes(APP_ID) && fix.includes(TENANT), fix);
  });

  it('fails with the managed identity fix when the identity gets no token', async function () {
    const credential = new RecordingBotCredential('null');
    const entry = await botRegistrationItem(managed, 10_000, credential.factory);
    assert.equal(entry.status, 'fail');
    assert.equal(entry.fixKey, 'readiness.fix.bot.managedIdentity');
    assert.equal(entry.detail, 'the credential returned no token');
  });

  it('gives up after the timeout', async function () {
    const credential = new RecordingBotCredential('hang');
    const entry = await botRegistrationItem(singleTenant, 50, credential.factory);
    assert.equal(entry.status, 'fail');
    assert.match(entry.detail ?? '', /no answer within 50 ms/);
  });

  it('fails settings botbuilder would refuse, before asking for a token', async function () {
    const credential = new RecordingBotCredential('token');
    const noTenant = await botRegistrationItem(
      { ...managed, MicrosoftAppTenantId: undefined },
      10_000,
      credential.factory,
    );
    assert.equal(noTenant.status, 'fail');
    assert.equal(noTenant.fixKey, 'readiness.fix.bot.tenantId');
    const withPassword = await botRegistrationItem(
      { ...managed, MicrosoftAppPassword: PASSWORD },
      10_000,
      credential.factory,
    );
    assert.equal(withPassword.fixKey, 'readiness.fix.bot.msiPassword');
    assert.ok(!JSON.stringify(withPassword).includes(PASSWORD));
    assert.equal(credential.built.length, 0);
  });

  it('builds the credential botbuilder would use (constructed only, never asked)', function () {
    assert.ok(
      defaultBotCredential({
        appType: 'SingleTenant',
        appId: APP_ID,
        tenantId: TENANT,
        password: PASSWORD,
      }) instanceof ClientSecretCredential,
    );
    assert.ok(
      defaultBotCredential({
        appType: 'UserAssignedMSI',
        appId: APP_ID,
        tenantId: TENANT,
      }) instanceof ManagedIdentityCredential,
    );
  });
});
