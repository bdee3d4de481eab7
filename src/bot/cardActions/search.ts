import { MAX_QUERY_LENGTH } from '../../domain/shared';
import { t } from '../../i18n';
import { answerCard, viewContext } from '../reply';
import { searchSpec } from '../searchFlow';
import { errorSpec } from '../views/messageViews';
import { searchPromptSpec } from '../views/searchViews';
import type { CardActionHandler } from './cardAction';

/** Search from the search box card (`reset` alone, or "no match"). */
export const search: CardActionHandler = async (context, turn, services, data) => {
  const ctx = viewContext(turn);
  // The card answered the prompt: the dialog must not take the next message as well.
  await services.prompts.cancel(context);
  const raw = typeof data.query === 'string' ? data.query.trim() : '';
  if (raw === '') return answerCard(context, turn, services, searchPromptSpec(ctx));
  if (raw.length > MAX_QUERY_LENGTH) {
    return answerCard(
      context,
      turn,
      services,
      errorSpec(ctx, t(ctx.locale, 'refusal.invalidInput')),
    );
  }
  // "Next" on a results card: the same search, a later page (the domain checks the number).
  const offset = Number(data.offset);
  return answerCard(
    context,
    turn,
    services,
    await searchSpec(turn, services, raw, Number.isInteger(offset) && offset > 0 ? { offset } : {}),
  );
};
