import type { TurnContext } from 'botbuilder';
import { parseCommand } from '../commands/parseCommand';
import type { BotServices } from '../services';
import { messageText, type TurnInfo } from '../turn';
import { SignInRequiredError } from './signInRequired';

/**
 * Runs a typed message with the technician's token on the actor (GRAPH_AUTH=delegated;
 * app mode runs it as is). When the domain asks for a sign-in, sends the sign-in card
 * and keeps the message to run again once signed in.
 */
export async function runSignedIn(
  context: TurnContext,
  turn: TurnInfo,
  services: BotServices,
  run: () => Promise<void>,
): Promise<void> {
  const signIn = services.signIn;
  if (!signIn) return run();
  const token = await signIn.currentToken(context);
  if (token) turn.actor.graphToken = token;
  try {
    await run();
  } catch (error) {
    if (!(error instanceof SignInRequiredError)) throw error;
    await signIn.begin(context, turn.locale, resumeText(context));
  }
}

/**
 * The command to run again after sign-in. Text that is no command was the answer to
 * the search prompt (the only way such text reaches the domain), so it runs as a search.
 */
function resumeText(context: TurnContext): string {
  const text = messageText(context);
  return parseCommand(text).kind === 'unknown' ? `reset ${text}` : text;
}
