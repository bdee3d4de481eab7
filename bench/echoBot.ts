import { ActivityTypes, StatusCodes, type TurnContext } from 'botbuilder';
import { serveReferenceBot, type ReferenceBot } from './botServer';

/**
 * The floor: the least a Bot Framework bot on this stack can do per turn. restify 11,
 * CloudAdapter, ConfigurationBotFrameworkAuthentication with no app id (the same
 * unauthenticated local mode the app runs in), one sendActivity per activity:
 * a message gets an echo through the connector, an invoke gets its invoke response.
 * It has a /readyz so cold start compares like with like.
 */
export type EchoBot = ReferenceBot;

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

export function startEchoBot(port = 0, host = '127.0.0.1'): Promise<EchoBot> {
  return serveReferenceBot('echo-bot', echo, port, host);
}
