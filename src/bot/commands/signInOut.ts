import type { TurnContext } from 'botbuilder';
import type { BotServices } from '../services';
import type { TurnInfo } from '../turn';
import { sendNotice } from './sendAnswer';

/** `sign in` / `登入`: the sign-in card (GRAPH_AUTH=delegated), or "you are signed in". */
export async function runSignIn(
  context: TurnContext,
  turn: TurnInfo,
  services: BotServices,
): Promise<void> {
  const signIn = services.signIn;
  if (!signIn || turn.actor.graphToken) {
    await sendNotice(context, turn, services, signIn ? 'signIn.done' : 'signIn.notUsed');
    return;
  }
  await signIn.begin(context, turn.locale);
}

/** `sign out` / `logout` / `登出`: the Bot Service token store forgets the technician's token. */
export async function runSignOut(
  context: TurnContext,
  turn: TurnInfo,
  services: BotServices,
): Promise<void> {
  const signIn = services.signIn;
  if (signIn) await signIn.signOut(context);
  delete turn.actor.graphToken;
  await sendNotice(context, turn, services, signIn ? 'signOut.done' : 'signIn.notUsed');
}
