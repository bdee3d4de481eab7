import { startApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { announceReady, serveRpc } from '../support/child';

/**
 * The real app (startApp: restify, CloudAdapter, desk, tracker, SQLite) in its own
 * process, configured only through the environment as in production.
 */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const app = await startApp(config, { logger: createLogger(config.LOG_LEVEL) });
  serveRpc({}, () => app.close());
  announceReady({ url: app.url });
}

main().catch((error: unknown) => {
  console.error('app target failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
