import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../src/paths';
import { ConfigError, SETTING_DOCS, isLoopbackUrl, loadConfig } from '../src/config';
import { RESET_PLATFORM_KEYS } from '../src/domain/desk/eligibility';

/** The smallest environment that loads: a loopback Graph needs no credentials. */
const LOCAL = { GRAPH_BASE_URL: 'http://127.0.0.1:4000' } as const;
const SECRETS = {
  AZURE_CLIENT_SECRET: 'graph-secret-value-123',
  MicrosoftAppPassword: 'bot-password-value-456',
  AZURE_STORAGE_CONNECTION_STRING: 'DefaultEndpointsProtocol=https;AccountKey=storage-key-789',
};

function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return error;
  }
  assert.fail(`expected loadConfig to fail for ${JSON.stringify(env)}`);
}

/** One line naming the variable, what it expects and an example of it. */
function assertOneLineNaming(error: ConfigError, variable: string): void {
  assert.equal(error.variable, variable);
  assert.ok(!error.message.includes('\n'), error.message);
  assert.ok(error.message.includes(variable), error.message);
  assert.match(error.message, /expected|set /, error.message);
  assert.match(error.message, new RegExp(`for example ${variable}=\\S`), error.message);
}

describe('config', () => {
  it('loads defaults with a loopback Graph and derives local development and the dev token', () => {
    const config = loadConfig({ ...LOCAL });
    assert.equal(config.PORT, 3978);
    assert.equal(config.GRAPH_BASE_URL, 'http://127.0.0.1:4000');
    assert.equal(config.GRAPH_AUTH, 'app');
    assert.equal(config.STORAGE, 'sqlite');
    assert.equal(config.AZURE_STORAGE_CONTAINER, 'passcode-desk');
    assert.deepEqual(config.HELPDESK_GROUP_IDS, []);
    assert.equal(config.PASSCODE_VISIBLE_MINUTES, 10);
    assert.equal(config.localDevelopment, true);
    assert.equal(config.graphDevToken, true);
  });

  it('strips a trailing slash from GRAPH_BASE_URL and reads GUID lists', () => {
    const config = loadConfig({
      ...LOCAL,
      GRAPH_BASE_URL: 'http://localhost:4000/',
      HELPDESK_GROUP_IDS:
        ' 33333333-3333-3333-3333-333333333333 , 44444444-4444-4444-4444-444444444444,',
    });
    assert.equal(config.GRAPH_BASE_URL, 'http://localhost:4000');
    assert.deepEqual(config.HELPDESK_GROUP_IDS, [
      '33333333-3333-3333-3333-333333333333',
      '44444444-4444-4444-4444-444444444444',
    ]);
  });

  it('reads RESET_PLATFORMS as row keys: every platform by default, any case, no repeats', () => {
    assert.deepEqual(loadConfig({ ...LOCAL }).RESET_PLATFORMS, [...RESET_PLATFORM_KEYS]);
    assert.deepEqual(
      loadConfig({ ...LOCAL, RESET_PLATFORMS: ' IOS, windows10Mobile ,ios,' }).RESET_PLATFORMS,
      ['ios', 'windows10Mobile'],
    );
  });

  it('refuses a RESET_PLATFORMS entry that is no platform row, naming the valid keys', () => {
    const error = configError({ ...LOCAL, RESET_PLATFORMS: 'ios,android' });
    assertOneLineNaming(error, 'RESET_PLATFORMS');
    for (const key of RESET_PLATFORM_KEYS) assert.ok(error.message.includes(key), key);
  });

  it('uses no dev token once Graph credentials are set', () => {
    const config = loadConfig({ ...LOCAL, AZURE_USE_MANAGED_IDENTITY: 'true' });
    assert.equal(config.graphDevToken, false);
  });

  it('accepts real Graph with a client secret', () => {
    const config = loadConfig({
      GRAPH_BASE_URL: 'https://graph.microsoft.com',
      AZURE_TENANT_ID: '00000000-0000-0000-0000-000000000000',
      AZURE_CLIENT_ID: '11111111-1111-1111-1111-111111111111',
      AZURE_CLIENT_SECRET: SECRETS.AZURE_CLIENT_SECRET,
    });
    assert.equal(config.graphDevToken, false);
  });

  it('accepts delegated mode against real Graph without app credentials', () => {
    const config = loadConfig({
      GRAPH_BASE_URL: 'https://graph.microsoft.com',
      GRAPH_AUTH: 'delegated',
    });
    assert.equal(config.graphDevToken, false);
  });

  const invalid: Array<[string, NodeJS.ProcessEnv, string]> = [
    ['a non-numeric PORT', { PORT: 'eighty' }, 'PORT'],
    ['PORT 0', { PORT: '0' }, 'PORT'],
    ['PORT above 65535', { PORT: '70000' }, 'PORT'],
    ['a fractional PORT', { PORT: '3978.5' }, 'PORT'],
    [
      'a non-GUID in ALLOWED_TENANT_IDS',
      { ALLOWED_TENANT_IDS: '00000000-0000-0000-0000-000000000000,contoso.com' },
      'ALLOWED_TENANT_IDS',
    ],
    [
      'a short GUID in HELPDESK_GROUP_IDS',
      { HELPDESK_GROUP_IDS: '3333-3333' },
      'HELPDESK_GROUP_IDS',
    ],
    [
      'ADMIN_GROUP_IDS separated by semicolons',
      {
        ADMIN_GROUP_IDS:
          '44444444-4444-4444-4444-444444444444;44444444-4444-4444-4444-444444444445',
      },
      'ADMIN_GROUP_IDS',
    ],
    [
      'GRAPH_BASE_URL that is not a URL',
      { GRAPH_BASE_URL: 'graph.microsoft.com' },
      'GRAPH_BASE_URL',
    ],
    ['GRAPH_BASE_URL with ftp', { GRAPH_BASE_URL: 'ftp://127.0.0.1:4000' }, 'GRAPH_BASE_URL'],
    [
      'GRAPH_BASE_URL ending in /v1.0',
      { GRAPH_BASE_URL: 'https://graph.microsoft.com/v1.0' },
      'GRAPH_BASE_URL',
    ],
    [
      'GRAPH_BASE_URL ending in /beta/',
      { GRAPH_BASE_URL: 'http://127.0.0.1:4000/beta/' },
      'GRAPH_BASE_URL',
    ],
    ['an unknown GRAPH_AUTH', { GRAPH_AUTH: 'user' }, 'GRAPH_AUTH'],
    ['an unknown STORAGE', { STORAGE: 'postgres' }, 'STORAGE'],
    [
      'an upper-case container name',
      { AZURE_STORAGE_CONTAINER: 'Passcode_Desk' },
      'AZURE_STORAGE_CONTAINER',
    ],
    ['an unknown LOG_LEVEL', { LOG_LEVEL: 'verbose' }, 'LOG_LEVEL'],
    [
      'PASSCODE_VISIBLE_MINUTES above a day',
      { PASSCODE_VISIBLE_MINUTES: '1441' },
      'PASSCODE_VISIBLE_MINUTES',
    ],
    [
      'RESETS_PER_TENANT_PER_MINUTE above Intune limits',
      { RESETS_PER_TENANT_PER_MINUTE: '301' },
      'RESETS_PER_TENANT_PER_MINUTE',
    ],
    ['an unknown MicrosoftAppType', { MicrosoftAppType: 'Single' }, 'MicrosoftAppType'],
    [
      'AZURE_USE_MANAGED_IDENTITY=yes',
      { AZURE_USE_MANAGED_IDENTITY: 'yes' },
      'AZURE_USE_MANAGED_IDENTITY',
    ],
    [
      'a reminder not before the timeout',
      { REMINDER_AFTER_MINUTES: '60', RESET_TIMEOUT_MINUTES: '60' },
      'REMINDER_AFTER_MINUTES',
    ],
    [
      'STORAGE=blob without a connection string or account URL',
      { STORAGE: 'blob' },
      'AZURE_STORAGE_CONNECTION_STRING',
    ],
    [
      'MicrosoftAppId without MicrosoftAppPassword',
      { MicrosoftAppId: '22222222-2222-2222-2222-222222222222' },
      'MicrosoftAppPassword',
    ],
    [
      'a Graph secret without client and tenant ids',
      { AZURE_CLIENT_SECRET: SECRETS.AZURE_CLIENT_SECRET },
      'AZURE_CLIENT_ID',
    ],
    [
      'real Graph without any credentials',
      { GRAPH_BASE_URL: 'https://graph.microsoft.com' },
      'AZURE_CLIENT_ID',
    ],
    [
      'a non-loopback emulator without credentials',
      { GRAPH_BASE_URL: 'http://192.168.1.20:4000' },
      'AZURE_CLIENT_ID',
    ],
    ['APPROVAL naming no platform row', { APPROVAL: 'windows10Mobile,blackberry' }, 'APPROVAL'],
    [
      'APPROVER_GROUP_IDS that are no GUIDs',
      { APPROVER_GROUP_IDS: 'helpdesk' },
      'APPROVER_GROUP_IDS',
    ],
    ['APPROVAL_EXPIRY_MINUTES=0', { APPROVAL_EXPIRY_MINUTES: '0' }, 'APPROVAL_EXPIRY_MINUTES'],
    ['TICKET_REQUIRED=yes', { TICKET_REQUIRED: 'yes' }, 'TICKET_REQUIRED'],
    [
      'a TICKET_PATTERN that is no regular expression',
      { TICKET_PATTERN: '^(INC' },
      'TICKET_PATTERN',
    ],
    [
      'a TICKET_URL_TEMPLATE without {ticket}',
      { TICKET_URL_TEMPLATE: 'https://itsm.contoso.com/i/' },
      'TICKET_URL_TEMPLATE',
    ],
    [
      'a TICKET_URL_TEMPLATE that is not https',
      { TICKET_URL_TEMPLATE: 'javascript:alert({ticket})' },
      'TICKET_URL_TEMPLATE',
    ],
  ];
  for (const [what, env, variable] of invalid) {
    it(`refuses ${what}, in one line naming ${variable}`, () => {
      assertOneLineNaming(configError({ ...LOCAL, ...env }), variable);
    });
  }

  it('reads APPROVAL against the platform rows, and defaults approvers to the admin groups', () => {
    const defaults = loadConfig(LOCAL);
    assert.equal(defaults.APPROVAL, 'off');
    assert.equal(defaults.APPROVAL_EXPIRY_MINUTES, 60);
    assert.equal(defaults.TICKET_REQUIRED, false);
    assert.equal(loadConfig({ ...LOCAL, APPROVAL: 'ALL' }).APPROVAL, 'all');
    assert.deepEqual(
      loadConfig({ ...LOCAL, APPROVAL: ' Windows10Mobile , IOS,windows10Mobile' }).APPROVAL,
      ['windows10Mobile', 'ios'],
    );
    const admins = '44444444-4444-4444-4444-444444444444';
    assert.deepEqual(loadConfig({ ...LOCAL, ADMIN_GROUP_IDS: admins }).APPROVER_GROUP_IDS, [
      admins,
    ]);
    const approvers = '55555555-5555-5555-5555-555555555555';
    assert.deepEqual(
      loadConfig({ ...LOCAL, ADMIN_GROUP_IDS: admins, APPROVER_GROUP_IDS: approvers })
        .APPROVER_GROUP_IDS,
      [approvers],
    );
    const message = configError({ ...LOCAL, TICKET_PATTERN: '^(INC' }).message;
    assert.match(message, /TICKET_PATTERN is invalid \("\^\(INC"\): expected a regular expression/);
  });

  it('echoes the bad value of an ordinary setting', () => {
    assert.ok(configError({ ...LOCAL, PORT: 'eighty' }).message.includes('"eighty"'));
  });

  it('never puts a secret into the message', () => {
    const cases: NodeJS.ProcessEnv[] = [
      { ...SECRETS, PORT: 'bad' },
      { ...SECRETS, STORAGE: 'blob', AZURE_STORAGE_CONNECTION_STRING: undefined },
      { AZURE_CLIENT_SECRET: SECRETS.AZURE_CLIENT_SECRET },
      {
        MicrosoftAppId: '22222222-2222-2222-2222-222222222222',
        MicrosoftAppPassword: '',
        ...{ AZURE_STORAGE_CONNECTION_STRING: SECRETS.AZURE_STORAGE_CONNECTION_STRING },
      },
      { ...SECRETS, GRAPH_BASE_URL: 'https://graph.microsoft.com/v1.0' },
    ];
    for (const env of cases) {
      const message = configError({ ...LOCAL, ...env }).message;
      for (const secret of Object.values(SECRETS)) assert.ok(!message.includes(secret), message);
    }
  });

  it('documents every setting with an expectation and an example', () => {
    for (const [name, doc] of Object.entries(SETTING_DOCS)) {
      assert.ok(doc.expects.length > 3, name);
      assert.ok(doc.example.length > 0, name);
    }
  });

  it('tells loopback from other hosts', () => {
    for (const url of [
      'http://127.0.0.1:4000',
      'http://localhost',
      'http://[::1]:4000',
      'http://127.8.9.1',
    ]) {
      assert.equal(isLoopbackUrl(url), true, url);
    }
    for (const url of [
      'https://graph.microsoft.com',
      'http://10.0.0.1',
      'http://localhost.evil.com',
      'http://127.0.0.1.nip.io',
    ]) {
      assert.equal(isLoopbackUrl(url), false, url);
    }
  });

  describe('.env.example', () => {
    const lines = readFileSync(join(projectRoot(), '.env.example'), 'utf8').split(/\r?\n/);
    const assignments = lines
      .map((line, index) => ({ line, index, match: /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line) }))
      .filter((entry) => entry.match);

    it('documents every setting exactly once, each with a comment line above it', () => {
      const names = assignments.map((a) => a.match![1]!);
      assert.deepEqual([...names].sort(), Object.keys(SETTING_DOCS).sort());
      assert.equal(new Set(names).size, names.length);
      for (const { index, match } of assignments) {
        assert.match(lines[index - 1] ?? '', /^# \S/, `${match![1]} needs a comment line`);
      }
    });

    it('holds no values (so no secrets), and loads as is once Graph points at loopback', () => {
      const env: NodeJS.ProcessEnv = {};
      for (const { match } of assignments) {
        assert.equal(match![2], '', `${match![1]} should be empty in the example`);
        env[match![1]!] = match![2];
      }
      assert.equal(loadConfig({ ...env, ...LOCAL }).PORT, 3978);
    });
  });

  describe('README settings table', () => {
    const readme = readFileSync(join(projectRoot(), 'README.md'), 'utf8');
    const section = /^### Settings\n([\s\S]*?)^#{2,3} /m.exec(readme)?.[1] ?? '';
    /** The backticked names in the first cell of each table row. */
    const named = section
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .flatMap((line) => [...(line.split('|')[1] ?? '').matchAll(/`([A-Za-z_]\w*)`/g)])
      .map((m) => m[1]!);

    it('names every setting exactly once, and nothing that is no setting', () => {
      assert.ok(section, 'README.md has no "### Settings" section');
      assert.deepEqual([...named].sort(), Object.keys(SETTING_DOCS).sort());
      assert.equal(new Set(named).size, named.length);
    });
  });
});
