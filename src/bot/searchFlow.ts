import { t } from '../i18n';
import { isShared, viewContext } from './reply';
import type { BotServices } from './services';
import type { TurnInfo } from './turn';
import type { CardSpec } from './views/cardSpec';
import { refusalSpec } from './views/messageViews';
import { resultsSpec } from './views/searchViews';

/** Runs a search for the actor and returns the card to show: results, no match or refusal. */
export async function searchSpec(
  turn: TurnInfo,
  services: BotServices,
  query: string,
  options: { offset?: number } = {},
): Promise<CardSpec> {
  const ctx = viewContext(turn);
  const answer = await services.desk.search(turn.actor, turn.where, query, options);
  if (answer.kind === 'refused') return refusalSpec(ctx, answer);
  return resultsSpec(ctx, answer, {
    ...(isShared(turn)
      ? { onlyRequester: turn.actor.displayName ?? t(ctx.locale, 'common.someone') }
      : {}),
  });
}
