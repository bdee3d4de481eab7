import type { AdaptiveCard } from '../../../cards/render';
import { cleanText } from '../../domain/shared';
import { t } from '../../i18n';
import type { BotServices } from '../services';
import type { TurnInfo } from '../turn';
import { render, type ViewContext } from '../views/cardSpec';
import { errorSpec } from '../views/messageViews';

/**
 * One Action.Execute verb: validates its data, asks the domain, returns the card to show.
 * No TurnContext: the work may finish after the turn has answered (turnDeadline.ts).
 */
export type CardActionHandler = (
  turn: TurnInfo,
  services: BotServices,
  data: Record<string, unknown>,
) => Promise<AdaptiveCard>;

export const MAX_ID_LENGTH = 200;

/** A string field of the action data: trimmed, non-empty, at most `max` long, no control characters. */
export function textField(
  data: Record<string, unknown>,
  name: string,
  max: number = MAX_ID_LENGTH,
): string | undefined {
  return cleanText(data[name], max);
}

/** "This button doesn't work any more": unknown verbs and malformed data. */
export function badActionCard(ctx: ViewContext): AdaptiveCard {
  return render(errorSpec(ctx, t(ctx.locale, 'error.badAction')));
}
