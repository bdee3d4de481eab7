import { ConfigError, loadConfig, type Config } from './config';
import { createLogger } from './logger';
import { startTelemetry } from './telemetry/startTelemetry';

/** A stop that takes longer than this (a hung dependency) ends the process anyway. */
const STOP_DEADLINE_MS = 45_000;

/**
 * `npm run start:bot`: read the settings, start telemetry (when configured), then the
 * bot; stop gracefully on SIGTERM/SIGINT (app.close: finish turns, release job leases,
 * close the stores; then flush telemetry) and exit 0.
 */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.LOG_LEVEL);
  const telemetry = await startTelemetry(config.APPLICATIONINSIGHTS_CONNECTION_STRING, logger);
  // Required after telemetry started, so its instrumentation sees every module the app loads.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { startApp } = require('./app') as typeof import('./app');
  let app;
  try {
    app = await startApp(config, { logger, metrics: telemetry.metrics });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  logger.info({ url: app.url, endpoint: `${app.url}/api/messages` }, 'Bot started');
  const running = app;
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'Stopping');
    setTimeout(() => {
      logger.error({ deadlineMs: STOP_DEADLINE_MS }, 'Stop took too long; exiting');
      process.exit(1);
    }, STOP_DEADLINE_MS).unref();
    running
      .close()
      .then(() => telemetry.shutdown().catch(() => undefined))
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        logger.error(
          { err: { name: (error as Error)?.name, message: (error as Error)?.message } },
          'Stop failed',
        );
        process.exit(1);
      });
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Passcode Desk failed to start: ${(error as Error)?.message ?? String(error)}\n`,
  );
  process.exit(1);
});
