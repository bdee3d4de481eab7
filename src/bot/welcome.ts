import type { TurnContext } from 'botbuilder';
import { sendCard, viewContext } from './reply';
import type { BotServices } from './services';
import type { TurnInfo } from './turn';
import { welcomeSpec } from './views/infoViews';

/** One welcome per conversation, whether Teams announces the install once or twice. */
export async function sendWelcome(
  context: TurnContext,
  turn: TurnInfo,
  services: BotServices,
): Promise<void> {
  if (!(await services.directory.markWelcomed(turn.where.key))) return;
  await sendCard(context, turn, services, welcomeSpec(viewContext(turn)));
}
