import type { AdaptiveCardInvokeResponse, TurnContext } from 'botbuilder';
import { UserToken } from '../../domain/shared';
import { t, type Locale } from '../../i18n';
import type { TurnInfo } from '../turn';
import type { SignIn } from './signIn';

export const LOGIN_REQUEST_TYPE = 'application/vnd.microsoft.activity.loginRequest';
export const PRECONDITION_FAILED_TYPE = 'application/vnd.microsoft.error.preconditionFailed';

interface CardActionAuth {
  /** Teams SSO: a Teams token for the connection, to exchange. */
  authentication?: { id?: unknown; connectionName?: unknown; token?: unknown };
  /** The magic code of a finished sign-in. */
  state?: unknown;
}

/**
 * Universal Actions sign-in for Action.Execute buttons (Teams: "authentication flow in
 * Universal Actions for Adaptive Cards"). A press without a token is answered with a
 * login request (401 + OAuthCard) instead of a card; Teams signs the technician in, by
 * SSO or with the sign-in button, and sends the same press again carrying
 * `authentication` (a token to exchange) or `state` (a magic code). So the button the
 * technician pressed is what resumes; nothing about the action is stored meanwhile.
 *
 * Puts this turn's token on the actor. Returns an answer to send instead of running the
 * action only when Teams' SSO token cannot be exchanged (412: Teams then shows the
 * sign-in button).
 */
export async function signInForCardAction(
  context: TurnContext,
  turn: TurnInfo,
  signIn: SignIn,
): Promise<AdaptiveCardInvokeResponse | undefined> {
  const value = (context.activity.value ?? {}) as CardActionAuth;
  let token: string | undefined;
  if (typeof value.authentication?.token === 'string' && value.authentication.token) {
    token = await signIn.tokens.exchange(context, value.authentication.token);
    if (!token) {
      return {
        statusCode: 412,
        type: PRECONDITION_FAILED_TYPE,
        value: { code: '412', message: 'authentication token expired' },
      };
    }
  } else if (typeof value.state === 'string' && value.state) {
    token = await signIn.tokens.get(context, value.state);
  } else {
    token = await signIn.tokens.get(context);
  }
  if (token) turn.actor.graphToken = new UserToken(token);
  return undefined;
}

/** The 401 login request that makes Teams sign the technician in and press again. */
export async function loginRequest(
  context: TurnContext,
  signIn: SignIn,
  locale: Locale,
): Promise<AdaptiveCardInvokeResponse> {
  const resource = await signIn.tokens.signInResource(context);
  return {
    statusCode: 401,
    type: LOGIN_REQUEST_TYPE,
    value: {
      text: t(locale, 'signIn.text'),
      connectionName: signIn.connectionName,
      ...(resource.tokenExchangeResource
        ? { tokenExchangeResource: resource.tokenExchangeResource }
        : {}),
      buttons: [
        {
          type: 'signin',
          title: t(locale, 'signIn.title'),
          text: t(locale, 'signIn.title'),
          value: resource.signInLink,
        },
      ],
    },
  };
}
