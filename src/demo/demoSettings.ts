import { resolve } from 'node:path';
import { loadConfig } from '../config';
import { DEMO_TENANT } from '../emulator/demoTenant';

/**
 * The bot's environment in the offline demo. Timings are short so that, within a few
 * minutes, a passcode is hidden again and the phone that never checks in gets a
 * reminder and then times out. Only LOG_LEVEL is taken from the caller's environment.
 */
export const DEMO_TIMINGS = {
  /** How long the emulator keeps a reset pending before it ends. */
  resetDelaySeconds: 5,
  passcodeVisibleMinutes: 2,
  reminderAfterMinutes: 1,
  resetTimeoutMinutes: 3,
  trackerIntervalSeconds: 2,
} as const;

export interface DemoEnvironmentInput {
  emulatorUrl: string;
  tenantId: string;
  dataDir: string;
  botPort: number;
  logLevel?: string;
  /** APPROVAL from the caller (`APPROVAL=all npm start`); default off. */
  approval?: string;
}

export function demoEnvironment(input: DemoEnvironmentInput): NodeJS.ProcessEnv {
  return {
    PORT: String(input.botPort),
    HOST: '127.0.0.1',
    GRAPH_BASE_URL: input.emulatorUrl,
    AZURE_TENANT_ID: input.tenantId,
    DATA_DIR: input.dataDir,
    STORAGE: 'sqlite',
    HELPDESK_GROUP_IDS: DEMO_TENANT.groups.helpdeskTechnicians,
    ADMIN_GROUP_IDS: DEMO_TENANT.groups.helpdeskAdmins,
    PASSCODE_VISIBLE_MINUTES: String(DEMO_TIMINGS.passcodeVisibleMinutes),
    REMINDER_AFTER_MINUTES: String(DEMO_TIMINGS.reminderAfterMinutes),
    RESET_TIMEOUT_MINUTES: String(DEMO_TIMINGS.resetTimeoutMinutes),
    TRACKER_INTERVAL_SECONDS: String(DEMO_TIMINGS.trackerIntervalSeconds),
    LOG_LEVEL: input.logLevel || 'info',
    // With approval on, any demo technician may approve, so Megan Bowen (a Playground user)
    // can approve what Adele Vance (who types in the Playground) asks for: npm run demo:approve.
    ...(input.approval && input.approval !== 'off'
      ? { APPROVAL: input.approval, APPROVER_GROUP_IDS: DEMO_TENANT.groups.helpdeskTechnicians }
      : {}),
  };
}

/**
 * What the demo takes from the caller's environment, validated like any setting (a bad
 * value throws the usual ConfigError line): LOG_LEVEL, APPROVAL, PORT for the bot, and DATA_DIR,
 * under which the demo keeps its own folder, `demo` (./data/demo by default).
 */
export function demoCallerSettings(env: NodeJS.ProcessEnv): {
  logLevel: string;
  botPort: number;
  dataDir: string;
  approval: string;
} {
  const config = loadConfig({
    ...demoEnvironment({
      emulatorUrl: 'http://127.0.0.1',
      tenantId: DEMO_TENANT.tenantId,
      dataDir: '.',
      botPort: 3978,
    }),
    APPROVAL: env.APPROVAL,
    LOG_LEVEL: env.LOG_LEVEL,
    PORT: env.PORT,
    DATA_DIR: env.DATA_DIR,
  });
  return {
    logLevel: config.LOG_LEVEL,
    botPort: config.PORT,
    dataDir: resolve(config.DATA_DIR, 'demo'),
    approval:
      config.APPROVAL === 'off' || config.APPROVAL === 'all'
        ? config.APPROVAL
        : config.APPROVAL.join(','),
  };
}

/** Settings the demo sets itself; the caller may set only LOG_LEVEL, APPROVAL, PORT and DATA_DIR. */
const CALLER_SETTINGS = new Set([
  'LOG_LEVEL',
  'APPROVAL',
  'APPROVER_GROUP_IDS',
  'PORT',
  'DATA_DIR',
]);

/**
 * Settings in the caller's environment that the demo replaces with its own, e.g.
 * `PASSCODE_VISIBLE_MINUTES=1 npm start`: start.ts prints each, so none is ignored silently.
 */
export function overriddenSettings(
  env: NodeJS.ProcessEnv,
  demo: NodeJS.ProcessEnv,
): Array<{ name: string; given: string; used: string }> {
  return Object.entries(demo)
    .filter(([name, used]) => {
      const given = env[name];
      return !CALLER_SETTINGS.has(name) && given !== undefined && given !== '' && given !== used;
    })
    .map(([name, used]) => ({ name, given: env[name] ?? '', used: used ?? '' }));
}

/** The lines start.ts prints for overriddenSettings (nothing when there are none). */
export function overriddenNotice(overridden: ReturnType<typeof overriddenSettings>): string[] {
  if (overridden.length === 0) return [];
  return [
    'The demo uses its own settings (short timings, the emulator, its own data); it ignores:',
    ...overridden.map(({ name, given, used }) => `  ${name}=${given} (the demo uses ${used})`),
    'Only LOG_LEVEL, APPROVAL, PORT and DATA_DIR are taken from the environment here;',
    'run the bot alone with your settings: npm run start:bot.',
  ];
}
