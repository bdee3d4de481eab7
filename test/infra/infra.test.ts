import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig, SETTING_DOCS } from '../../src/config';
import { projectRoot } from '../../src/paths';
import {
  appSettingEntries,
  bracketProblem,
  codeOnly,
  declarations,
  referenceCount,
  type AppSettingEntry,
  type Declaration,
} from './bicepText';

/** App Service settings the platform reads; the app itself never does. */
const PLATFORM_SETTINGS = new Set([
  'SCM_DO_BUILD_DURING_DEPLOYMENT',
  'WEBSITES_CONTAINER_STOP_TIME_LIMIT',
]);

/** What the app needs to run on Azure with the managed identity and shared state. */
const PRODUCTION_SETTINGS = [
  'MicrosoftAppId',
  'MicrosoftAppType',
  'MicrosoftAppTenantId',
  'STORAGE',
  'AZURE_STORAGE_ACCOUNT_URL',
  'AZURE_USE_MANAGED_IDENTITY',
  'AZURE_CLIENT_ID',
  'AZURE_TENANT_ID',
  'ALLOWED_TENANT_IDS',
  'HELPDESK_GROUP_IDS',
];

const GRAPH_PERMISSIONS = [
  'DeviceManagementManagedDevices.Read.All',
  'DeviceManagementManagedDevices.PrivilegedOperations.All',
  'GroupMember.Read.All',
  'Application.Read.All',
  'DeviceManagementConfiguration.Read.All',
];

/** The seed's two admin-consent links, character for character. */
const PIN_RESET_CONSENT_LINKS = [
  'https://login.windows.net/common/oauth2/authorize?response_type=code&client_id=b8456c59-1230-44c7-a4a2-99b085333e84&resource=https%3A%2F%2Fgraph.windows.net&redirect_uri=https%3A%2F%2Fcred.microsoft.com&state=e9191523-6c2f-4f1d-a4f9-c36f26f89df0&prompt=admin_consent',
  'https://login.windows.net/common/oauth2/authorize?response_type=code&client_id=9115dd05-fad5-4f9c-acc7-305d08b1b04e&resource=https%3A%2F%2Fcred.microsoft.com%2F&redirect_uri=ms-appx-web%3A%2F%2FMicrosoft.AAD.BrokerPlugin%2F9115dd05-fad5-4f9c-acc7-305d08b1b04e&state=6765f8c5-f4a7-4029-b667-46a6776ad611&prompt=admin_consent',
];
const PIN_RESET_APP_IDS = [
  'b8456c59-1230-44c7-a4a2-99b085333e84',
  '9115dd05-fad5-4f9c-acc7-305d08b1b04e',
];
const PIN_RECOVERY_OMA_URI =
  './Device/Vendor/MSFT/PassportForWork/{tenantId}/Policies/EnablePinRecovery';

interface Inputs {
  bicep: string;
  bicepCode: string;
  deployDoc: string;
  parameterFile: { parameters: Record<string, { value: unknown }> };
  params: Declaration[];
  paramNames: Set<string>;
  entries: AppSettingEntry[];
  literalEntries: (AppSettingEntry & { name: string })[];
}

let loaded: Inputs | undefined;
/** Read once, on first use, so a missing file fails these tests rather than the whole run. */
function inputs(): Inputs {
  if (loaded) return loaded;
  const root = projectRoot();
  const read = (...path: string[]) => readFileSync(join(root, ...path), 'utf8');
  const bicep = read('infra', 'main.bicep');
  const params = declarations(bicep, 'param');
  const entries = appSettingEntries(bicep);
  loaded = {
    bicep,
    bicepCode: codeOnly(bicep),
    deployDoc: read('docs', 'DEPLOY.md'),
    parameterFile: JSON.parse(read('infra', 'main.parameters.json')) as Inputs['parameterFile'],
    params,
    paramNames: new Set(params.map((p) => p.name)),
    entries,
    literalEntries: entries.filter((e): e is AppSettingEntry & { name: string } => !!e.name),
  };
  return loaded;
}

/** A parameter's value: from main.parameters.json, an override, or its literal default. */
function paramValue(name: string, overrides: Record<string, unknown>): unknown {
  const { parameterFile, params } = inputs();
  if (name in overrides) return overrides[name];
  const fromFile = parameterFile.parameters[name];
  if (fromFile) return fromFile.value;
  const declared = params.find((p) => p.name === name);
  assert.ok(declared, `no parameter ${name}`);
  const text = declared.valueText;
  assert.notEqual(
    text,
    '',
    `parameter ${name} has no default and no value in main.parameters.json`,
  );
  if (/^'[^'$]*'$/.test(text)) return text.slice(1, -1);
  if (/^-?\d+$/.test(text)) return Number(text);
  if (text === 'true' || text === 'false') return text === 'true';
  if (text === '{}') return {};
  return undefined; // a deployment-time expression such as resourceGroup().location
}

/**
 * The web app's environment as the template would set it: literals as written, parameters from
 * main.parameters.json, and each value only Azure knows (ids, connection strings) replaced by the
 * setting's documented example.
 */
function environmentFromTemplate(overrides: Record<string, unknown> = {}): NodeJS.ProcessEnv {
  const { literalEntries, paramNames } = inputs();
  const env: NodeJS.ProcessEnv = {};
  for (const entry of literalEntries) {
    const literal = /^'([^'$\\]*)'$/.exec(entry.valueText);
    const param = /^(?:string\()?(\w+)\)?$/.exec(entry.valueText);
    if (literal) env[entry.name] = literal[1];
    else if (param && paramNames.has(param[1] as string)) {
      env[entry.name] = String(paramValue(param[1] as string, overrides));
    } else env[entry.name] = SETTING_DOCS[entry.name]?.example;
  }
  const additional = paramValue('additionalAppSettings', overrides) as Record<string, unknown>;
  for (const [name, value] of Object.entries(additional)) env[name] = String(value);
  return env;
}

describe('infra: main.bicep', () => {
  it('has balanced brackets and closed strings', () => {
    const { bicepCode } = inputs();
    assert.equal(bracketProblem(bicepCode), undefined);
  });

  it('pins every resource to a type and a dated API version', () => {
    const { bicep, bicepCode } = inputs();
    const resources = [...bicepCode.matchAll(/^resource\s+\w+\s+/gm)];
    assert.ok(resources.length >= 10, `only ${resources.length} resources`);
    const typed = bicep.match(/^resource\s+\w+\s+'[\w.]+\/[\w/]+@\d{4}-\d{2}-\d{2}(-preview)?'/gm);
    assert.equal(typed?.length, resources.length);
  });

  it('uses every parameter it declares', () => {
    const { bicepCode, params } = inputs();
    assert.ok(params.length > 0);
    const unused = params.filter((p) => referenceCount(bicepCode, p.name) === 0).map((p) => p.name);
    assert.deepEqual(unused, []);
  });

  it('sets only app settings that the app or App Service reads', () => {
    const { literalEntries } = inputs();
    assert.ok(literalEntries.length >= PRODUCTION_SETTINGS.length);
    const unknown = literalEntries
      .map((e) => e.name)
      .filter((name) => !(name in SETTING_DOCS) && !PLATFORM_SETTINGS.has(name));
    assert.deepEqual(unknown, []);
    const names = literalEntries.map((e) => e.name);
    assert.deepEqual(
      names.filter((n, i) => names.indexOf(n) !== i),
      [],
      'a setting is set twice',
    );
  });

  it('computes setting names only from additionalAppSettings', () => {
    const { bicep, entries } = inputs();
    const computed = entries.filter((e) => !e.name);
    for (const entry of computed) {
      const variable = declarations(bicep, 'var').find((d) => d.name === entry.fromVariable);
      assert.match(variable?.valueText ?? '', /^\[for \w+ in items\(additionalAppSettings\)/);
    }
  });

  it('sets every setting the app needs in production, and the platform ones', () => {
    const { literalEntries } = inputs();
    const names = new Set(literalEntries.map((e) => e.name));
    for (const name of [...PRODUCTION_SETTINGS, ...PLATFORM_SETTINGS, 'GRAPH_AUTH']) {
      assert.ok(names.has(name), `${name} is not set`);
    }
    const valueOf = (name: string) => literalEntries.find((e) => e.name === name)?.valueText;
    // App Service's wait between SIGTERM and SIGKILL covers the app's own stop deadline.
    const stopDeadlineMs = /const STOP_DEADLINE_MS = ([\d_]+);/.exec(
      readFileSync(join(projectRoot(), 'src', 'index.ts'), 'utf8'),
    )?.[1];
    assert.ok(stopDeadlineMs, 'src/index.ts has no STOP_DEADLINE_MS');
    const stopWaitS = Number(
      /^'(\d+)'$/.exec(valueOf('WEBSITES_CONTAINER_STOP_TIME_LIMIT') ?? '')?.[1],
    );
    assert.ok(
      stopWaitS * 1000 > Number(stopDeadlineMs.replace(/_/g, '')),
      `stop wait ${stopWaitS} s`,
    );
    assert.ok(stopWaitS <= 120, 'App Service allows 120 s at most');
    assert.equal(valueOf('STORAGE'), "'blob'");
    assert.equal(valueOf('AZURE_USE_MANAGED_IDENTITY'), "'true'");
    assert.equal(valueOf('SCM_DO_BUILD_DURING_DEPLOYMENT'), "'true'");
    assert.match(valueOf('AZURE_CLIENT_ID') ?? '', /properties\.clientId$/);
  });

  it('runs what start:bot runs, built at deployment, on Node 22 with the health check the server serves', () => {
    const { bicep } = inputs();
    const pkg = JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    // Not an npm script that compiles first: every instance would rebuild the shared wwwroot.
    const command = /appCommandLine:\s*'node (dist\/src\/[\w/]+)\.js'/.exec(bicep);
    assert.ok(command, 'appCommandLine is not node dist/src/....js');
    const entry = command[1] as string;
    assert.equal(pkg.scripts['start:bot'], `npm run build --silent && node ${entry}.js`);
    assert.equal(pkg.scripts.build, 'tsc -p tsconfig.json');
    const source = join(projectRoot(), `${entry.replace(/^dist\//, '')}.ts`);
    assert.ok(readFileSync(source, 'utf8').length > 0, `${source} compiles to ${entry}.js`);
    assert.match(bicep, /linuxFxVersion:\s*'NODE\|22-lts'/);
    assert.match(bicep, /healthCheckPath:\s*'\/healthz'/);
    assert.match(bicep, /httpsOnly:\s*true/);
    assert.match(bicep, /alwaysOn:\s*true/);
    assert.match(bicep, /endpoint:\s*botEndpointUrl/);
    assert.match(bicep, /var botEndpointUrl = 'https:\/\/\$\{[^}]+\}\/api\/messages'/);
  });

  it('deploys a Node major that CI tests and engines allows, and the docs name the same ones', () => {
    const { bicep, deployDoc } = inputs();
    const pkg = JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as {
      engines: { node: string };
    };
    const ci = readFileSync(join(projectRoot(), '.ci', 'run'), 'utf8');
    const deployed = /linuxFxVersion:\s*'NODE\|(\d+)-lts'/.exec(bicep)?.[1];
    const ciOthers = /OTHER_NODE_MAJORS=\(([\d ]+)\)/.exec(ci)?.[1];
    assert.ok(deployed && ciOthers, 'infra/main.bicep or .ci/run does not name its Node versions');
    // CI runs the suite on the machine's node (20) and then on each of the others.
    const tested = ['20', ...ciOthers.trim().split(/\s+/)];
    const allowed = pkg.engines.node.split('||').map((range) => /\^(\d+)\./.exec(range)?.[1]);
    assert.deepEqual(allowed, tested, 'engines allows exactly the majors CI tests');
    assert.ok(tested.includes(deployed), `App Service runs Node ${deployed}, CI does not test it`);
    assert.match(deployDoc, new RegExp(`\\(\`NODE\\|${deployed}-lts\`\\)`));
    assert.match(
      deployDoc,
      new RegExp(`CI tests \\(${tested.slice(0, -1).join(', ')} and ${tested.at(-1)}`),
    );
  });

  it('declares the outputs the deployment guide uses', () => {
    const { bicep, deployDoc } = inputs();
    const outputs = declarations(bicep, 'output').map((o) => o.name);
    for (const name of [
      'botEndpoint',
      'appHostname',
      'managedIdentityClientId',
      'managedIdentityPrincipalId',
    ]) {
      assert.ok(outputs.includes(name), `no output ${name}`);
    }
    const usedInDoc = [...deployDoc.matchAll(/properties\.outputs\.(\w+)\.value/g)].map(
      (m) => m[1],
    );
    assert.ok(usedInDoc.length > 0);
    for (const name of usedInDoc) assert.ok(outputs.includes(name as string), `no output ${name}`);
  });
});

describe('infra: main.parameters.json', () => {
  it('names only parameters that main.bicep declares, and holds no secret', () => {
    const { bicep, parameterFile, paramNames } = inputs();
    const names = Object.keys(parameterFile.parameters);
    assert.ok(names.length > 0);
    assert.deepEqual(
      names.filter((n) => !paramNames.has(n)),
      [],
    );
    const secretParams = [...bicep.matchAll(/@secure\(\)\s*\nparam\s+(\w+)/g)].map((m) => m[1]);
    assert.ok(secretParams.length > 0);
    for (const name of secretParams) assert.ok(!names.includes(name as string), `${name} is set`);
  });

  it('passes additional settings that the app reads and the template does not already set', () => {
    const { parameterFile, literalEntries } = inputs();
    const additional = parameterFile.parameters.additionalAppSettings?.value as Record<
      string,
      unknown
    >;
    const setByTemplate = new Set(literalEntries.map((e) => e.name));
    for (const name of Object.keys(additional ?? {})) {
      assert.ok(name in SETTING_DOCS, `${name} is not a setting the app reads`);
      assert.ok(!setByTemplate.has(name), `${name} is already set by the template`);
    }
  });
});

describe('infra: the settings reach loadConfig', () => {
  it('starts with the managed identity as bot identity (the default)', () => {
    const { parameterFile } = inputs();
    const config = loadConfig(environmentFromTemplate());
    assert.equal(config.MicrosoftAppType, 'UserAssignedMSI');
    assert.equal(config.STORAGE, 'blob');
    assert.equal(config.AZURE_USE_MANAGED_IDENTITY, true);
    assert.equal(config.localDevelopment, false);
    assert.equal(config.graphDevToken, false);
    const groups = String(parameterFile.parameters.helpdeskGroupIds?.value).split(',');
    assert.deepEqual(config.HELPDESK_GROUP_IDS, groups);
    assert.equal(
      config.PASSCODE_VISIBLE_MINUTES,
      Number(parameterFile.parameters.passcodeVisibleMinutes?.value),
    );
  });

  it('starts with a single-tenant app registration and its secret', () => {
    const config = loadConfig(
      environmentFromTemplate({
        botAppType: 'SingleTenant',
        botAppId: '55555555-5555-5555-5555-555555555555',
        botAppPassword: 'placeholder-secret',
      }),
    );
    assert.equal(config.MicrosoftAppType, 'SingleTenant');
    assert.equal(config.MicrosoftAppPassword, 'placeholder-secret');
  });

  it('stops a single-tenant bot without its secret (the names really line up)', () => {
    const env = environmentFromTemplate({ botAppType: 'SingleTenant', botAppPassword: '' });
    assert.throws(() => loadConfig(env), /MicrosoftAppPassword/);
  });

  it('works in delegated Graph mode', () => {
    const config = loadConfig(environmentFromTemplate({ graphAuth: 'delegated' }));
    assert.equal(config.GRAPH_AUTH, 'delegated');
  });
});

describe('infra: docs/DEPLOY.md', () => {
  /** Shell commands in the code blocks, backslash continuations joined, comments left out. */
  const shellCommands = () =>
    [...inputs().deployDoc.matchAll(/^ *```[a-z]*\n([\s\S]*?)^ *```/gm)]
      .flatMap((m) => (m[1] as string).replace(/\\\n\s*/g, ' ').split('\n'))
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'));

  it('starts by validating the template with az bicep build', () => {
    assert.match(shellCommands()[0] ?? '', /^az bicep build --file infra\/main\.bicep$/);
  });

  it('names every Graph permission, both PIN reset apps, their consent links and the OMA-URI', () => {
    const { deployDoc } = inputs();
    for (const text of [
      ...GRAPH_PERMISSIONS,
      ...PIN_RESET_APP_IDS,
      ...PIN_RESET_CONSENT_LINKS,
      PIN_RECOVERY_OMA_URI,
    ]) {
      assert.ok(deployDoc.includes(text), `DEPLOY.md does not mention ${text}`);
    }
  });

  it('grants application permissions to the managed identity without hard-coded role ids', () => {
    const commands = shellCommands();
    assert.ok(
      commands.some((c) =>
        /az rest --method POST --uri "?https:\/\/graph\.microsoft\.com\/v1\.0\/servicePrincipals\/\$\w+\/appRoleAssignments/.test(
          c,
        ),
      ),
      'no az rest appRoleAssignments command',
    );
    assert.ok(
      commands.some((c) =>
        /az ad sp show --id 00000003-0000-0000-c000-000000000000 --query "appRoles\[/.test(c),
      ),
      'app role ids are not looked up by value',
    );
  });

  it('deploys with parameters the template declares', () => {
    const { paramNames } = inputs();
    const deployments = shellCommands().filter((c) => c.startsWith('az deployment group create'));
    assert.ok(deployments.length > 0);
    for (const command of deployments) {
      assert.match(command, /--template-file infra\/main\.bicep/);
      for (const match of command.matchAll(/\s(\w+)=/g)) {
        assert.ok(paramNames.has(match[1] as string), `${match[1]} is not a parameter`);
      }
    }
  });

  it('has a settings table row for every setting the app reads', () => {
    const { deployDoc } = inputs();
    for (const name of Object.keys(SETTING_DOCS)) {
      assert.match(deployDoc, new RegExp(`^\\| +\`${name}\` +\\|`, 'm'), `no row for ${name}`);
    }
  });
});
