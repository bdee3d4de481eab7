import { startEchoBot } from '../echoBot';
import { announceReady, serveRpc } from '../support/child';

/** The echo bot in its own process (RSS, cold start). PORT 0 or unset picks a free port. */
async function main(): Promise<void> {
  const bot = await startEchoBot(Number(process.env.PORT ?? 0));
  serveRpc({}, () => bot.close());
  announceReady({ url: bot.url });
}

main().catch((error: unknown) => {
  console.error('echo target failed:', error);
  process.exit(1);
});
