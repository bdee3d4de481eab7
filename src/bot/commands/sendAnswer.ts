import type { TurnContext } from 'botbuilder';
import type { Refusal } from '../../domain/desk';
import { t } from '../../i18n';
import { sendCard, viewContext } from '../reply';
import type { BotServices } from '../services';
import type { TurnInfo } from '../turn';
import type { CardSpec, ViewContext } from '../views/cardSpec';
import { noticeSpec, refusalSpec } from '../views/messageViews';

const isRefusal = <A extends { kind: string }>(answer: A | Refusal): answer is Refusal =>
  answer.kind === 'refused';

/** A command's answer from the desk as a new card: its refusal, or what `view` shows of it. */
export async function sendAnswer<A extends { kind: string }>(
  context: TurnContext,
  turn: TurnInfo,
  services: BotServices,
  answer: A | Refusal,
  view: (ctx: ViewContext, answer: A) => CardSpec,
): Promise<void> {
  const ctx = viewContext(turn);
  const spec = isRefusal(answer) ? refusalSpec(ctx, answer) : view(ctx, answer);
  await sendCard(context, turn, services, spec);
}

/** A one-line notice (its i18n key) as a new card. */
export async function sendNotice(
  context: TurnContext,
  turn: TurnInfo,
  services: BotServices,
  key: string,
): Promise<void> {
  await sendCard(context, turn, services, noticeSpec(viewContext(turn), t(turn.locale, key)));
}
