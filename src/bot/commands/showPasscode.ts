import type { ConversationPointer } from '../../domain/shared';
import type { Refusal, ShowPasscodeAnswer } from '../../domain/desk';
import { t } from '../../i18n';
import { sendCard, viewContext } from '../reply';
import type { BotServices } from '../services';
import type { TurnInfo } from '../turn';
import type { ReplyChannel } from '../turnDeadline';
import type { CardSpec, ViewContext } from '../views/cardSpec';
import { chooseJobSpec } from '../views/infoViews';
import { errorSpec, noticeSpec, refusalSpec } from '../views/messageViews';

/** What to say here after asking for the passcode again (the passcode itself goes 1:1 only). */
export function showPasscodeSpec(
  ctx: ViewContext,
  where: ConversationPointer,
  answer: ShowPasscodeAnswer | Refusal,
): CardSpec {
  if (answer.kind === 'refused') return refusalSpec(ctx, answer);
  if (answer.kind === 'choose') return chooseJobSpec(ctx, answer.jobs);
  const privately = answer.privately || where.kind !== 'personal';
  return noticeSpec(
    ctx,
    t(ctx.locale, privately ? 'showPasscode.sentPrivately' : 'showPasscode.sentHere'),
  );
}

/** `show passcode <device>`: the passcode of the actor's own recent reset, sent privately again. */
export async function runShowPasscode(
  context: ReplyChannel,
  turn: TurnInfo,
  services: BotServices,
  device: string,
): Promise<void> {
  const ctx = viewContext(turn);
  if (!device) {
    await sendCard(context, turn, services, errorSpec(ctx, t(ctx.locale, 'showPasscode.usage')));
    return;
  }
  const answer = await services.desk.showPasscode(turn.actor, turn.where, { text: device });
  // Sent into this very chat: the passcode card itself says "sent again"; a notice after it
  // would land below the card it talks about.
  if (answer.kind === 'passcodeSent' && !answer.privately && turn.where.kind === 'personal') return;
  const spec = showPasscodeSpec(ctx, turn.where, answer);
  await sendCard(context, turn, services, spec, { interactive: spec.name === 'chooseJob' });
}
