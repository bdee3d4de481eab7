import type { TurnContext } from 'botbuilder';
import { t } from '../../i18n';
import { sendCard, viewContext } from '../reply';
import type { BotServices } from '../services';
import type { TurnInfo } from '../turn';
import { noticeSpec } from '../views/messageViews';

/** `sign in` / `登入`: the sign-in card (GRAPH_AUTH=delegated), or "you are signed in". */
export async function runSignIn(
  context: TurnContext,
  turn: TurnInfo,
  services: BotServices,
): Promise<void> {
  const ctx = viewContext(turn);
  const signIn = services.signIn;
  if (!signIn || turn.actor.graphToken) {
    const key = signIn ? 'signIn.done' : 'signIn.notUsed';
    await sendCard(context, turn, services, noticeSpec(ctx, t(ctx.locale, key)));
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
  const ctx = viewContext(turn);
  const signIn = services.signIn;
  if (signIn) await signIn.signOut(context);
  delete turn.actor.graphToken;
  const key = signIn ? 'signOut.done' : 'signIn.notUsed';
  await sendCard(context, turn, services, noticeSpec(ctx, t(ctx.locale, key)));
}
