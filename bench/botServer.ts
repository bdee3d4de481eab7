import type { AddressInfo } from 'node:net';
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type TurnContext,
} from 'botbuilder';
import * as restify from 'restify';

/** A reference bot listening on loopback: the echo bot and the search floor. */
export interface ReferenceBot {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * The stack every bot in the bench shares: restify 11, CloudAdapter with
 * ConfigurationBotFrameworkAuthentication and no app id (the unauthenticated local mode
 * the app runs in), /api/messages and a /readyz so cold start compares like with like.
 */
export async function serveReferenceBot(
  name: string,
  onTurn: (context: TurnContext) => Promise<void>,
  port: number,
  host = '127.0.0.1',
): Promise<ReferenceBot> {
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  adapter.onTurnError = async (context, error) => {
    console.error(`${name} turn error:`, error instanceof Error ? error.message : error);
    await context.sendActivity('error').catch(() => undefined);
  };
  const server = restify.createServer({ name });
  server.use(restify.plugins.bodyParser({ maxBodySize: 256 * 1024 }));
  server.post('/api/messages', async (req, res) => {
    await adapter.process(req, res, onTurn);
  });
  server.get('/readyz', async (_req, res) => {
    res.send(200, { ready: true });
  });
  await new Promise<void>((resolve) => server.listen(port, host, () => resolve()));
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${bound}`,
    port: bound,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.server.closeAllConnections();
      }),
  };
}
