import type { TurnContext } from 'botbuilder';
import type { BotServices } from '../services';
import type { TurnInfo } from '../turn';
import { statusSpec } from '../views/infoViews';
import { sendAnswer } from './sendAnswer';

export const STATUS_LIMIT = 10;

/** `status`: the actor's recent resets. */
export async function runStatus(
  context: TurnContext,
  turn: TurnInfo,
  services: BotServices,
): Promise<void> {
  const answer = await services.desk.status(turn.actor, STATUS_LIMIT);
  await sendAnswer(context, turn, services, answer, (ctx, { jobs, awaitingApproval }) =>
    statusSpec(ctx, jobs, awaitingApproval, services.settings.ticketUrlTemplate),
  );
}
