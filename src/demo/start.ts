import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { startApp, type RunningApp } from '../app';
import { ConfigError } from '../config';
import { readTenantFile } from '../emulator/tenant';
import { createLogger } from '../logger';
import { demoBanner } from './banner';
import { DEMO_TENANT } from '../emulator/demoTenant';
import {
  demoCallerSettings,
  demoEnvironment,
  overriddenNotice,
  overriddenSettings,
} from './demoSettings';
import { playgroundCli } from './playground';
import { startDemoStack } from './stack';
import { chooseStartMode, describeBotMode } from './startMode';

// `npm start`. With nothing configured: the offline demo (Intune emulator, the bot and
// the Agents Playground). With real settings: the bot alone, like `npm run start:bot`.

/** Preferred ports (any free one when taken); the bot's is PORT, 3978 by default. */
const PORTS = { emulator: 4000, playground: 56150 } as const;

async function main(): Promise<void> {
  const mode = chooseStartMode(process.env);
  if (mode.kind === 'error') {
    process.stderr.write(`${mode.message}\n`);
    process.exit(1);
  }
  if (mode.kind === 'bot') {
    console.log(describeBotMode(mode));
    await runBotAlone(() => startApp(mode.config, { logger: createLogger(mode.config.LOG_LEVEL) }));
    return;
  }
  await runDemo();
}

async function runDemo(): Promise<void> {
  const { logLevel, botPort, dataDir, approval } = demoCallerSettings(process.env);
  // A fresh emulator knows none of the previous run's resets: start from empty storage too.
  rmSync(dataDir, { recursive: true, force: true });
  console.log('Starting the offline demo (Intune emulator, bot, Agents Playground)...');
  const demoEnv = demoEnvironment({
    emulatorUrl: `http://127.0.0.1:${PORTS.emulator}`,
    tenantId: DEMO_TENANT.tenantId,
    dataDir,
    botPort,
    logLevel,
    approval,
  });
  // Said, not silently ignored: e.g. PASSCODE_VISIBLE_MINUTES=1 npm start.
  for (const line of overriddenNotice(overriddenSettings(process.env, demoEnv))) console.log(line);
  mkdirSync(dataDir, { recursive: true });
  const logFile = createWriteStream(join(dataDir, 'bot.log'), { flags: 'a' });
  const stack = await startDemoStack({
    dataDir,
    emulatorPort: PORTS.emulator,
    botPort,
    playgroundPort: PORTS.playground,
    playground: playgroundCli() !== undefined,
    logger: createLogger(logLevel, logFile),
    logLevel,
    approval,
  });
  console.log(
    demoBanner({
      tenant: readTenantFile(),
      ...(stack.playground ? { playgroundUrl: stack.playground.url } : {}),
      botUrl: stack.app.url,
      emulatorUrl: stack.emulator.url,
      dataDir: relative(process.cwd(), dataDir) || dataDir,
      approval: approval !== 'off',
    }),
  );
  onStop(async () => {
    console.log('\nStopping the demo...');
    await stack.close();
    logFile.end();
  });
}

async function runBotAlone(start: () => Promise<RunningApp>): Promise<void> {
  let app: RunningApp;
  try {
    app = await start();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  console.log(`Bot listening: ${app.url}/api/messages`);
  onStop(() => app.close());
}

/** Ctrl+C or SIGTERM: stop once, exit 0; a second Ctrl+C exits at once. */
function onStop(stop: () => Promise<void>): void {
  let stopping = false;
  const handler = (): void => {
    if (stopping) process.exit(130);
    stopping = true;
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`Stopping failed: ${(error as Error)?.message ?? String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(
      `Passcode Desk could not start: ${(error as Error)?.message ?? String(error)}\n`,
    );
  }
  process.exit(1);
});
