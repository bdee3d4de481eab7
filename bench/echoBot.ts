import type { AddressInfo } from 'node:net';
import {
  ActivityTypes,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  StatusCodes,
  type TurnContext,
} from 'botbuilder';
import * as restify from 'restify';

/**
 * The floor: the least a Bot Framework bot on this stack can do per turn. restify 11,
 * CloudAdapter, ConfigurationBotFrameworkAuthentication with no app id (the same
 * unauthenticated local mode the app runs in), one sendActivity per activity:
 * a message gets an echo through the connector, an invoke gets its invoke response.
 * It has a /readyz so cold start compares like with like.
 */
export interface EchoBot {
  url: string;
  port: number;
  close(): Promise<void>;
}

async function echo(context: TurnContext): Promise<void> {
  if (context.activity.type === ActivityTypes.Invoke) {
    await context.sendActivity({
      type: ActivityTypes.InvokeResponse,
      value: {
        status: StatusCodes.OK,
        body: {
          statusCode: 200,
          type: 'application/vnd.microsoft.activity.message',
          value: 'echo',
        },
      },
    });
    return;
  }
  if (context.activity.type === ActivityTypes.Message) {
    await context.sendActivity(`echo: ${context.activity.text ?? ''}`);
  }
}

export async function startEchoBot(port = 0, host = '127.0.0.1'): Promise<EchoBot> {
  const auth = new ConfigurationBotFrameworkAuthentication({});
  const adapter = new CloudAdapter(auth);
  adapter.onTurnError = async (context, error) => {
    console.error('echo bot turn error:', error instanceof Error ? error.message : error);
    await context.sendActivity('error').catch(() => undefined);
  };

  const server = restify.createServer({ name: 'echo-bot' });
  server.use(restify.plugins.bodyParser({ maxBodySize: 256 * 1024 }));
  server.post('/api/messages', async (req, res) => {
    await adapter.process(req, res, echo);
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
