import type { AdaptiveCardInvokeResponse, TurnContext } from 'botbuilder';
import type { AdaptiveCard } from '../../../cards/render';
import { loginRequest, signInForCardAction } from '../auth/cardActionSignIn';
import { SignInRequiredError } from '../auth/signInRequired';
import type { BotServices } from '../services';
import type { TurnInfo } from '../turn';
import { cardInvokeResponse, render } from '../views/cardSpec';
import { genericErrorSpec } from '../views/messageViews';
import { viewContext } from '../reply';
import { badActionCard, type CardActionHandler } from './cardAction';
import { approve } from './approve';
import { cancel } from './cancel';
import { confirm } from './confirm';
import { deny } from './deny';
import { pick } from './pick';
import { refresh } from './refresh';
import { search } from './search';
import { showPasscode } from './showPasscode';

export const CARD_ACTIONS: Readonly<Record<string, CardActionHandler>> = {
  search,
  pick,
  confirm,
  cancel,
  approve,
  deny,
  showPasscode,
  refresh,
};

interface ExecuteAction {
  verb: string;
  data: Record<string, unknown>;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The verb and data of an adaptiveCard/action invoke, or undefined when malformed. */
export function readExecuteAction(value: unknown): ExecuteAction | undefined {
  if (!isObject(value) || !isObject(value.action)) return undefined;
  const { type, verb, data } = value.action;
  if (type !== undefined && type !== 'Action.Execute') return undefined;
  if (typeof verb !== 'string' || verb.length === 0 || verb.length > 50) return undefined;
  if (data !== undefined && data !== null && !isObject(data)) return undefined;
  return { verb, data: isObject(data) ? data : {} };
}

/**
 * Answers an adaptiveCard/action invoke with a card, always: unknown verbs and malformed
 * data get a localized error card, and a failure inside a handler a generic one. The
 * handler runs within the turn deadline (turnDeadline.ts): a slow Graph gets a working
 * card now and the handler's card in its place later.
 */
export async function handleCardAction(
  context: TurnContext,
  turn: TurnInfo,
  services: BotServices,
): Promise<AdaptiveCardInvokeResponse> {
  const ctx = viewContext(turn);
  const action = readExecuteAction(context.activity.value);
  const handler =
    action && Object.hasOwn(CARD_ACTIONS, action.verb) ? CARD_ACTIONS[action.verb] : undefined;
  if (!action || !handler) return cardInvokeResponse(badActionCard(ctx));
  if (services.signIn) {
    const answer = await signInForCardAction(context, turn, services.signIn);
    if (answer) return answer;
  }
  // A search card answers the search prompt: the waiting dialog ends with the press.
  if (action.verb === 'search') await services.prompts.cancel(context);
  const failed = (error: unknown): AdaptiveCard => {
    services.logger.error(
      {
        err: { name: (error as Error)?.name, message: (error as Error)?.message },
        verb: action.verb,
        conversation: turn.where.key,
      },
      'Card action failed',
    );
    return render(genericErrorSpec(ctx));
  };
  const work = () => handler(turn, services, action.data);
  try {
    return cardInvokeResponse(
      services.turnDeadline
        ? await services.turnDeadline.card(context, turn, action.verb, work, failed)
        : await work(),
    );
  } catch (error) {
    if (error instanceof SignInRequiredError && services.signIn) {
      // Teams signs the technician in and sends this same press again (cardActionSignIn.ts).
      return loginRequest(context, services.signIn, turn.locale);
    }
    return cardInvokeResponse(failed(error));
  }
}
