import type { TurnContext } from 'botbuilder';
import { sendCard } from '../reply';
import { searchSpec } from '../searchFlow';
import type { BotServices } from '../services';
import type { TurnInfo } from '../turn';

/** `reset <query>` searches; `reset` alone asks for the query (search prompt dialog). */
export async function runReset(
  context: TurnContext,
  turn: TurnInfo,
  services: BotServices,
  query: string,
): Promise<void> {
  if (!query) {
    await services.prompts.begin(context);
    return;
  }
  await sendCard(context, turn, services, await searchSpec(turn, services, query), {
    interactive: true,
  });
}
