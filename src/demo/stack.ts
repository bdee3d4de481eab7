import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startApp, type RunningApp } from '../app';
import { loadConfig, type Config } from '../config';
import type { EmulatorHandle } from '../emulator/api';
import { startEmulator } from '../emulator/server';
import { createLogger, type Logger } from '../logger';
import { projectRoot } from '../paths';
import { DEMO_TIMINGS, demoEnvironment } from './demoSettings';
import { startPlayground, type RunningPlayground } from './playground';
import { freePort, preferredOrFreePort } from './ports';

/**
 * Emulator + bot (in this process) + Agents Playground (a child process), wired to each
 * other. `npm start` runs it on fixed ports when they are free; the e2e test on free ones.
 */
export interface DemoStackOptions {
  dataDir: string;
  /** Preferred ports; 0 (or taken) means any free port. The playground picks its own if taken. */
  emulatorPort?: number;
  botPort?: number;
  playgroundPort?: number;
  /** false: no playground (e.g. dev dependencies not installed). */
  playground?: boolean;
  logger?: Logger;
  logLevel?: string;
  /** APPROVAL for the demo bot (default off). */
  approval?: string;
  resetDelayMs?: number;
}

export interface DemoStack {
  emulator: EmulatorHandle;
  app: RunningApp;
  config: Config;
  playground?: RunningPlayground;
  /** Stops the playground, the bot and the emulator (each at most once, errors ignored). */
  close(): Promise<void>;
}

const PLAYGROUND_CONFIG = (): string => join(projectRoot(), '.m365agentsplayground.yml');

export async function startDemoStack(options: DemoStackOptions): Promise<DemoStack> {
  mkdirSync(options.dataDir, { recursive: true });
  const stops: Array<() => Promise<void>> = [];
  const close = async (): Promise<void> => {
    for (const stop of stops.splice(0).reverse()) await stop().catch(() => undefined);
  };
  try {
    const emulator = await startEmulator({
      port: options.emulatorPort ? await preferredOrFreePort(options.emulatorPort) : 0,
      resetDelayMs: options.resetDelayMs ?? DEMO_TIMINGS.resetDelaySeconds * 1000,
    });
    stops.push(() => emulator.close());

    const botPort = options.botPort ? await preferredOrFreePort(options.botPort) : await freePort();
    let playground: RunningPlayground | undefined;
    if (options.playground !== false) {
      playground = await startPlayground({
        botEndpoint: `http://127.0.0.1:${botPort}/api/messages`,
        port: options.playgroundPort
          ? await preferredOrFreePort(options.playgroundPort)
          : await freePort(),
        configPath: PLAYGROUND_CONFIG(),
        logFile: join(options.dataDir, 'playground.log'),
      });
      stops.push(() => playground!.stop());
    }

    const config = loadConfig(
      demoEnvironment({
        emulatorUrl: emulator.url,
        tenantId: emulator.tenantId,
        dataDir: options.dataDir,
        botPort,
        ...(options.logLevel ? { logLevel: options.logLevel } : {}),
        ...(options.approval ? { approval: options.approval } : {}),
      }),
    );
    const app = await startApp(config, {
      logger: options.logger ?? createLogger(config.LOG_LEVEL),
    });
    stops.push(() => app.close());
    return { emulator, app, config, ...(playground ? { playground } : {}), close };
  } catch (error) {
    await close();
    throw error;
  }
}
