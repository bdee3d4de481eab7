import { MAX_QUERY_LENGTH } from '../../domain/shared';
import { t } from '../../i18n';
import { answerCard, viewContext } from '../reply';
import { searchSpec } from '../searchFlow';
import { errorSpec } from '../views/messageViews';
import { searchPromptSpec } from '../views/searchViews';
import type { CardActionHandler } from './cardAction';

/**
 * Search from the search box card (`reset` alone, or "no match"). The card answered the
 * prompt: handleCardAction ends the waiting dialog first, while the turn is live.
 */
export const search: CardActionHandler = async (turn, services, data) => {
  const ctx = viewContext(turn);
  const raw = typeof data.query === 'string' ? data.query.trim() : '';
  if (raw === '') return answerCard(turn, services, searchPromptSpec(ctx));
  if (raw.length > MAX_QUERY_LENGTH) {
    return answerCard(turn, services, errorSpec(ctx, t(ctx.locale, 'refusal.invalidInput')));
  }
  // "Next" on a results card: the same search, a later page (the domain checks the number).
  const offset = Number(data.offset);
  return answerCard(
    turn,
    services,
    await searchSpec(turn, services, raw, Number.isInteger(offset) && offset > 0 ? { offset } : {}),
  );
};
