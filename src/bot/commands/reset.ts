import { sendCard } from '../reply';
import { searchSpec } from '../searchFlow';
import type { BotServices } from '../services';
import type { TurnInfo } from '../turn';
import type { ReplyChannel } from '../turnDeadline';

/** `reset <query>` searches (`reset` alone asks for the query: the search prompt dialog). */
export async function runReset(
  out: ReplyChannel,
  turn: TurnInfo,
  services: BotServices,
  query: string,
): Promise<void> {
  await sendCard(out, turn, services, await searchSpec(turn, services, query), {
    interactive: true,
  });
}
