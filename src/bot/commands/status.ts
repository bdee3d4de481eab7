import { sendCard, viewContext } from '../reply';
import type { BotServices } from '../services';
import type { TurnInfo } from '../turn';
import type { ReplyChannel } from '../turnDeadline';
import { statusSpec } from '../views/infoViews';
import { refusalSpec } from '../views/messageViews';

export const STATUS_LIMIT = 10;

/** `status`: the actor's recent resets. */
export async function runStatus(
  context: ReplyChannel,
  turn: TurnInfo,
  services: BotServices,
): Promise<void> {
  const ctx = viewContext(turn);
  const answer = await services.desk.status(turn.actor, STATUS_LIMIT);
  await sendCard(
    context,
    turn,
    services,
    answer.kind === 'refused'
      ? refusalSpec(ctx, answer)
      : statusSpec(ctx, answer.jobs, answer.awaitingApproval, services.settings.ticketUrlTemplate),
  );
}
