import type { TurnContext } from 'botbuilder';
import { sendCard, viewContext } from '../reply';
import type { BotServices } from '../services';
import type { TurnInfo } from '../turn';
import { auditSpec } from '../views/infoViews';
import { refusalSpec } from '../views/messageViews';

/** `audit [n]`: the newest audit entries (admins; the domain decides). */
export async function runAudit(
  context: TurnContext,
  turn: TurnInfo,
  services: BotServices,
  limit: number,
): Promise<void> {
  const ctx = viewContext(turn);
  const answer = await services.desk.audit(turn.actor, limit);
  await sendCard(
    context,
    turn,
    services,
    answer.kind === 'refused' ? refusalSpec(ctx, answer) : auditSpec(ctx, answer.entries),
  );
}
