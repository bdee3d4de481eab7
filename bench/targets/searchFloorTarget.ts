import { startSearchFloorBot } from '../searchFloorBot';
import { announceReady, serveRpc } from '../support/child';

/** The search floor bot (searchFloorBot.ts) in its own process, configured through the environment. */
async function main(): Promise<void> {
  const bot = await startSearchFloorBot(process.env);
  serveRpc({}, () => bot.close());
  announceReady({ url: bot.url });
}

main().catch((error: unknown) => {
  console.error('search floor target failed:', error);
  process.exit(1);
});
