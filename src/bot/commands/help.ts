import type { TurnContext } from 'botbuilder';
import { sendCard, viewContext } from '../reply';
import type { BotServices } from '../services';
import type { TurnInfo } from '../turn';
import { helpSpec } from '../views/infoViews';

/** `help`, and the short help for text that is no command. */
export async function runHelp(
  context: TurnContext,
  turn: TurnInfo,
  services: BotServices,
  options: { unknown?: boolean } = {},
): Promise<void> {
  await sendCard(
    context,
    turn,
    services,
    helpSpec(viewContext(turn), { ...options, signIn: !!services.signIn }),
  );
}
