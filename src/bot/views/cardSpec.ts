import {
  CardFactory,
  MessageFactory,
  type Activity,
  type AdaptiveCardInvokeResponse,
} from 'botbuilder';
import { renderCard, type AdaptiveCard, type CardName } from '../../../cards/render';
import type { Locale } from '../../i18n';

/** A card before expansion: which template, with which (already localized) data. Storable. */
export interface CardSpec {
  name: CardName;
  data: Record<string, unknown>;
}

/** Whom a card speaks to: language and time zone. */
export interface ViewContext {
  locale: Locale;
  timeZone?: string;
}

export const REFRESH_VERB = 'refresh';

/**
 * Expands a card. With `refreshFor` (a Teams user id) the card asks Teams to refresh it
 * for that user, which gives the requester their own view in group chats and channels.
 * That is presentation only: the domain checks who may act on every invoke.
 */
export function render(spec: CardSpec, refreshFor?: string): AdaptiveCard {
  const card = renderCard(spec.name, spec.data);
  if (refreshFor) {
    card.refresh = {
      action: { type: 'Action.Execute', verb: REFRESH_VERB, data: { view: spec.name } },
      userIds: [refreshFor],
    };
  }
  return card;
}

export function cardActivity(card: AdaptiveCard): Partial<Activity> {
  return MessageFactory.attachment(CardFactory.adaptiveCard(card));
}

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

/** The Universal Actions answer that replaces the card the user acted on. */
export function cardInvokeResponse(card: AdaptiveCard): AdaptiveCardInvokeResponse {
  return { statusCode: 200, type: ADAPTIVE_CARD_CONTENT_TYPE, value: card };
}
