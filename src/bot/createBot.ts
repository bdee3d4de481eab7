import type { Storage } from 'botbuilder';
import type { Desk } from '../domain/desk';
import type { Logger } from '../logger';
import type { DocumentStore } from '../domain/ports';
import type { SignIn } from './auth/signIn';
import { askingForSignIn } from './auth/signInRequired';
import { signInSteps } from './auth/signInSteps';
import { CardViewStore } from './cardViews';
import { ConversationDirectory } from './directory';
import { sendCard, viewContext } from './reply';
import { searchSpec } from './searchFlow';
import { SearchPrompts } from './searchPrompts';
import type { BotServices, BotSettings } from './services';
import { PasscodeDeskBot } from './teamsBot';
import { readTurn } from './turn';
import { runWithinDeadline, type TurnDeadline } from './turnDeadline';
import { searchPromptSpec } from './views/searchViews';

export interface BotParts {
  desk: Desk;
  documents: DocumentStore;
  /** botbuilder Storage for dialog state (DocumentStoreBotStorage in the app). */
  storage: Storage;
  settings: BotSettings;
  logger: Logger;
  /**
   * GRAPH_AUTH=delegated: technicians sign in through this Bot Service OAuth connection
   * (src/bot/auth). Absent: app-only mode, no sign-in.
   */
  signIn?: { connectionName: string; timeoutMs?: number };
  /** The readiness checks `check setup` adds to the tenant prerequisites. */
  checkEnvironment?: BotServices['checkEnvironment'];
  /** TURN_DEADLINE_SECONDS: turns answer in time, late work finishes proactively. */
  turnDeadline?: TurnDeadline;
}

export function createBot(parts: BotParts): { bot: PasscodeDeskBot; services: BotServices } {
  const services: BotServices = {
    desk: parts.signIn ? askingForSignIn(parts.desk) : parts.desk,
    directory: new ConversationDirectory(parts.documents),
    cardViews: new CardViewStore(parts.documents),
    settings: parts.settings,
    logger: parts.logger,
    ...(parts.checkEnvironment ? { checkEnvironment: parts.checkEnvironment } : {}),
    ...(parts.turnDeadline ? { turnDeadline: parts.turnDeadline } : {}),
    prompts: new SearchPrompts(parts.storage, {
      prompt: async (context) => {
        const turn = readTurn(context);
        await sendCard(
          context,
          turn,
          services,
          searchPromptSpec(viewContext(turn), { typeHint: true }),
          {
            interactive: true,
          },
        );
      },
      search: async (context, query) => {
        const turn = readTurn(context);
        await runWithinDeadline(context, turn, services, async (out) => {
          await sendCard(out, turn, services, await searchSpec(turn, services, query), {
            interactive: true,
          });
        });
      },
    }),
  };
  if (parts.signIn) {
    const { connectionName, timeoutMs } = parts.signIn;
    services.signIn = createSignIn(parts.storage, connectionName, signInSteps(services), timeoutMs);
  }
  return { bot: new PasscodeDeskBot(services), services };
}

/**
 * Delegated mode only: signIn.ts brings botbuilder-dialogs (~30 MB), so app-only mode
 * never loads it.
 */
function createSignIn(...args: ConstructorParameters<typeof SignIn>): SignIn {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { SignIn: LoadedSignIn } = require('./auth/signIn') as typeof import('./auth/signIn');
  return new LoadedSignIn(...args);
}
