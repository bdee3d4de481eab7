import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { ConfigError, loadConfig } from '../../src/config';
import {
  DEMO_TIMINGS,
  demoCallerSettings,
  demoEnvironment,
  overriddenNotice,
  overriddenSettings,
} from '../../src/demo/demoSettings';
import { chooseStartMode, describeBotMode, type StartMode } from '../../src/demo/startMode';
import { DEMO_TENANT } from '../../src/emulator/demoTenant';

const APP_ID = '22222222-2222-2222-2222-222222222222';
const TENANT = '00000000-0000-0000-0000-00000000aaaa';
const CLIENT = '11111111-1111-1111-1111-111111111111';

function bot(mode: StartMode): Extract<StartMode, { kind: 'bot' }> {
  assert.equal(mode.kind, 'bot', JSON.stringify(mode));
  return mode as Extract<StartMode, { kind: 'bot' }>;
}
function error(mode: StartMode): string {
  assert.equal(mode.kind, 'error', JSON.stringify(mode));
  return (mode as Extract<StartMode, { kind: 'error' }>).message;
}

describe('npm start: demo or bot', () => {
  it('runs the demo when nothing that connects anywhere is set', () => {
    assert.deepEqual(chooseStartMode({}), { kind: 'demo' });
    assert.deepEqual(chooseStartMode({ PATH: '/usr/bin', LOG_LEVEL: 'debug', PORT: '4001' }), {
      kind: 'demo',
    });
    assert.deepEqual(chooseStartMode({ MicrosoftAppId: '  ', GRAPH_BASE_URL: '' }), {
      kind: 'demo',
    });
    assert.deepEqual(chooseStartMode({ AZURE_USE_MANAGED_IDENTITY: 'false' }), { kind: 'demo' });
  });

  it('runs the bot alone against real Graph when the settings are complete', () => {
    const mode = bot(
      chooseStartMode({
        MicrosoftAppId: APP_ID,
        MicrosoftAppPassword: 'secret',
        AZURE_TENANT_ID: TENANT,
        AZURE_CLIENT_ID: CLIENT,
        AZURE_CLIENT_SECRET: 'graph-secret',
      }),
    );
    assert.deepEqual(mode.because, [
      'MicrosoftAppId',
      'MicrosoftAppPassword',
      'AZURE_TENANT_ID',
      'AZURE_CLIENT_ID',
      'AZURE_CLIENT_SECRET',
    ]);
    assert.equal(mode.config.graphDevToken, false);
    assert.equal(mode.config.localDevelopment, false);
    const line = describeBotMode(mode);
    assert.match(line, /bot alone against Microsoft Graph at https:\/\/graph\.microsoft\.com/);
    assert.match(line, /authentication on/);
    assert.doesNotMatch(line, /secret/);
  });

  it('runs the bot alone, not the demo, against a Graph the user started on loopback', () => {
    const mode = bot(chooseStartMode({ GRAPH_BASE_URL: 'http://127.0.0.1:4000' }));
    assert.deepEqual(mode.because, ['GRAPH_BASE_URL']);
    assert.equal(mode.config.graphDevToken, true);
    assert.match(
      describeBotMode(mode),
      /127\.0\.0\.1:4000 \(loopback: dev token\).*authentication off/,
    );
  });

  it('runs the bot alone with a managed identity', () => {
    const mode = bot(
      chooseStartMode({ AZURE_USE_MANAGED_IDENTITY: 'true', AZURE_TENANT_ID: TENANT }),
    );
    assert.deepEqual(mode.because, ['AZURE_TENANT_ID', 'AZURE_USE_MANAGED_IDENTITY']);
  });

  it('refuses half-set settings with the config error line instead of falling back to the demo', () => {
    assert.match(
      error(chooseStartMode({ MicrosoftAppId: APP_ID })),
      /^Setting MicrosoftAppPassword is missing/,
    );
    assert.match(
      error(chooseStartMode({ MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'secret' })),
      /^Graph credentials are missing for https:\/\/graph\.microsoft\.com/,
    );
    assert.match(
      error(chooseStartMode({ AZURE_CLIENT_SECRET: 'x' })),
      /AZURE_CLIENT_ID and AZURE_TENANT_ID are required/,
    );
    assert.match(
      error(chooseStartMode({ GRAPH_BASE_URL: 'https://graph.microsoft.com' })),
      /^Graph credentials are missing/,
    );
    assert.match(
      error(chooseStartMode({ GRAPH_BASE_URL: 'not a url' })),
      /^Setting GRAPH_BASE_URL is invalid/,
    );
    for (const mode of [
      chooseStartMode({ MicrosoftAppId: APP_ID }),
      chooseStartMode({ AZURE_CLIENT_SECRET: 'x' }),
    ]) {
      assert.equal(mode.kind, 'error');
      assert.doesNotMatch(JSON.stringify(mode), /"x"|secret"/);
    }
  });
});

describe('the demo environment', () => {
  const input = {
    emulatorUrl: 'http://127.0.0.1:4000',
    tenantId: DEMO_TENANT.tenantId,
    dataDir: '/tmp/demo-data',
    botPort: 3978,
  };

  it('is a valid local-development configuration with the emulator dev token and short timings', () => {
    const config = loadConfig(demoEnvironment(input));
    assert.equal(config.localDevelopment, true);
    assert.equal(config.graphDevToken, true);
    assert.equal(config.GRAPH_BASE_URL, 'http://127.0.0.1:4000');
    assert.equal(config.AZURE_TENANT_ID, DEMO_TENANT.tenantId);
    assert.deepEqual(config.HELPDESK_GROUP_IDS, [DEMO_TENANT.groups.helpdeskTechnicians]);
    assert.deepEqual(config.ADMIN_GROUP_IDS, [DEMO_TENANT.groups.helpdeskAdmins]);
    assert.equal(config.DATA_DIR, '/tmp/demo-data');
    assert.equal(config.PASSCODE_VISIBLE_MINUTES, DEMO_TIMINGS.passcodeVisibleMinutes);
    assert.ok(config.REMINDER_AFTER_MINUTES < config.RESET_TIMEOUT_MINUTES);
    assert.ok(config.RESET_TIMEOUT_MINUTES <= 5, 'a timeout within a few minutes');
    // The helpdesk channel is chosen in the playground with "notify here".
    assert.equal(config.HELPDESK_CHANNEL_ID, undefined);
  });

  it('names every setting of the caller it replaces (PASSCODE_VISIBLE_MINUTES=1 npm start), and nothing else', () => {
    const demo = demoEnvironment(input);
    const overridden = overriddenSettings(
      {
        PASSCODE_VISIBLE_MINUTES: '1',
        LOG_LEVEL: 'debug',
        PORT: '4001',
        STORAGE: 'sqlite',
        HOME: '/x',
      },
      demo,
    );
    assert.deepEqual(overridden, [
      {
        name: 'PASSCODE_VISIBLE_MINUTES',
        given: '1',
        used: String(DEMO_TIMINGS.passcodeVisibleMinutes),
      },
    ]);
    const notice = overriddenNotice(overridden).join('\n');
    assert.match(notice, /ignores:\n {2}PASSCODE_VISIBLE_MINUTES=1 \(the demo uses 2\)/);
    assert.match(notice, /npm run start:bot/);
    assert.deepEqual(overriddenNotice(overriddenSettings({}, demo)), []);
  });

  it('keeps the caller LOG_LEVEL and nothing else from outside', () => {
    const env = demoEnvironment({ ...input, logLevel: 'debug' });
    assert.equal(env.LOG_LEVEL, 'debug');
    assert.equal(env.MicrosoftAppId, undefined);
    assert.equal(env.AZURE_CLIENT_SECRET, undefined);
  });

  it('takes only LOG_LEVEL, APPROVAL, PORT and DATA_DIR from the caller, validated', () => {
    assert.deepEqual(demoCallerSettings({}), {
      logLevel: 'info',
      botPort: 3978,
      dataDir: resolve('data', 'demo'),
      approval: 'off',
    });
    assert.deepEqual(
      demoCallerSettings({
        LOG_LEVEL: 'warn',
        PORT: '4100',
        DATA_DIR: '/srv/desk',
        APPROVAL: 'windows10Mobile',
      }),
      {
        logLevel: 'warn',
        botPort: 4100,
        dataDir: '/srv/desk/demo',
        approval: 'windows10Mobile',
      },
    );
    assert.throws(
      () => demoCallerSettings({ APPROVAL: 'sometimes' }),
      (e) => e instanceof ConfigError && /^Setting APPROVAL/.test(e.message),
    );
    assert.throws(
      () => demoCallerSettings({ PORT: 'abc' }),
      (e) => e instanceof ConfigError && /^Setting PORT/.test(e.message),
    );
  });
});
