import { mkdtempSync, openSync, closeSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTarget, type TargetProcess } from './child';
import { freePort } from './ports';

/**
 * Starting the two bots under test as child processes with everything they need:
 * the app with a fresh SQLite folder and the emulator as its Graph, the echo bot bare.
 * Their stdout (the app's JSON logs) goes to a file, so logging costs what it costs in
 * production without flooding the bench output.
 */
/** The echo bot (the floor), the app, and the search floor (searchFloorBot.ts). */
export type BotKind = 'echo' | 'app' | 'floor';

export interface BotProcess extends TargetProcess {
  kind: BotKind;
  url: string;
  port: number;
  logFile: string;
  /** Stops the process and deletes its data folder and log. */
  dispose(): Promise<void>;
}

export interface BotStartOptions {
  distBench: string;
  emulatorUrl?: string;
  /** Extra environment for the app (e.g. TRACKER_INTERVAL_SECONDS). */
  env?: NodeJS.ProcessEnv;
  execArgv?: string[];
  /** Start without waiting for the ready announcement (cold start measures /readyz itself). */
  noWait?: boolean;
}

/** The app's settings for the bench: local unauthenticated mode, loopback only, limits raised. */
export function appEnvironment(
  emulatorUrl: string,
  port: number,
  dataDir: string,
): NodeJS.ProcessEnv {
  return {
    PORT: String(port),
    HOST: '127.0.0.1',
    GRAPH_BASE_URL: emulatorUrl,
    DATA_DIR: dataDir,
    STORAGE: 'sqlite',
    LOG_LEVEL: 'info',
    TRACKER_INTERVAL_SECONDS: '1',
    RESETS_PER_TECHNICIAN_PER_HOUR: '1000',
    RESETS_PER_TENANT_PER_MINUTE: '300',
    // Whatever the caller's shell holds: the bench bot has no credentials and no groups.
    MicrosoftAppId: '',
    MicrosoftAppPassword: '',
    AZURE_CLIENT_SECRET: '',
    AZURE_CLIENT_CERTIFICATE_PATH: '',
    AZURE_USE_MANAGED_IDENTITY: '',
    ALLOWED_TENANT_IDS: '',
    HELPDESK_GROUP_IDS: '',
    ADMIN_GROUP_IDS: '',
    AZURE_TENANT_ID: '',
    MicrosoftAppTenantId: '',
    HELPDESK_CHANNEL_ID: '',
    APPLICATIONINSIGHTS_CONNECTION_STRING: '',
  };
}

const TARGET_FILES: Record<BotKind, string> = {
  echo: 'echoTarget.js',
  app: 'appTarget.js',
  floor: 'searchFloorTarget.js',
};

/** BENCH_CPU_PROF=<folder>: every app process writes a V8 CPU profile there when it stops. */
function profiling(kind: BotKind): string[] {
  const folder = process.env.BENCH_CPU_PROF;
  return kind === 'app' && folder ? ['--cpu-prof', `--cpu-prof-dir=${folder}`] : [];
}

export async function startBot(kind: BotKind, options: BotStartOptions): Promise<BotProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), `bench-${kind}-`));
  const logFile = join(dataDir, 'stdout.log');
  const port = await freePort();
  const env =
    kind === 'echo'
      ? { PORT: String(port), ...options.env }
      : { ...appEnvironment(options.emulatorUrl ?? '', port, dataDir), ...options.env };
  const logFd = openSync(logFile, 'a');
  let target: TargetProcess;
  try {
    target = await startTarget(join(options.distBench, 'targets', TARGET_FILES[kind]), {
      env,
      execArgv: ['--no-deprecation', ...profiling(kind), ...(options.execArgv ?? [])],
      stdout: logFd,
      ...(options.noWait ? { noWait: true } : {}),
    });
  } finally {
    closeSync(logFd);
  }
  return {
    ...target,
    kind,
    url: `http://127.0.0.1:${port}`,
    port,
    logFile,
    dispose: async () => {
      await target.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
