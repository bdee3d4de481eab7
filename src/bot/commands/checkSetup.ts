import { sendCard, viewContext } from '../reply';
import type { BotServices } from '../services';
import type { TurnInfo } from '../turn';
import type { ReplyChannel } from '../turnDeadline';
import { setupSpec } from '../views/infoViews';
import { refusalSpec } from '../views/messageViews';

/** `check setup`: the tenant's prerequisites for passcode reset, each with its fix. */
export async function runCheckSetup(
  context: ReplyChannel,
  turn: TurnInfo,
  services: BotServices,
): Promise<void> {
  const ctx = viewContext(turn);
  const answer = await services.desk.checkSetup(turn.actor);
  if (answer.kind === 'refused') {
    await sendCard(context, turn, services, refusalSpec(ctx, answer));
    return;
  }
  // Only after the desk authorized the technician: the environment check calls Graph too.
  const environment = await services.checkEnvironment?.(turn.actor.tenantId);
  await sendCard(context, turn, services, setupSpec(ctx, answer.report, environment));
}
