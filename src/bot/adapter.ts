import {
  CloudAdapter,
  type ConfigurationBotFrameworkAuthenticationOptions,
  type TurnContext,
} from 'botbuilder';
import type { Config } from '../config';
import { resolveLocale } from '../i18n';
import type { Logger } from '../logger';
import { FailClosedAuthentication } from './failClosedAuthentication';
import { conversationKey } from './turn';
import { cardActivity, cardInvokeResponse, render } from './views/cardSpec';
import { genericErrorSpec } from './views/messageViews';

export type AdapterConfig = Pick<
  Config,
  'MicrosoftAppId' | 'MicrosoftAppPassword' | 'MicrosoftAppType' | 'MicrosoftAppTenantId'
>;

/**
 * The CloudAdapter with Bot Framework authentication from config. With an app id every
 * incoming request must carry a valid Bot Framework JWT (else 401); without one,
 * authentication is off, which the app allows on a loopback address only.
 */
export function createAdapter(config: AdapterConfig, logger: Logger): CloudAdapter {
  const options: ConfigurationBotFrameworkAuthenticationOptions = {
    MicrosoftAppId: config.MicrosoftAppId ?? '',
    MicrosoftAppPassword: config.MicrosoftAppPassword ?? '',
    MicrosoftAppType: config.MicrosoftAppType,
    MicrosoftAppTenantId: config.MicrosoftAppTenantId ?? '',
  };
  const adapter = new CloudAdapter(new FailClosedAuthentication(options, logger));
  adapter.onTurnError = async (context, error) => onTurnError(context, error, logger);
  return adapter;
}

/** Logs what failed (never message text or secrets) and tells the person, without a stack trace. */
async function onTurnError(context: TurnContext, error: Error, logger: Logger): Promise<void> {
  const activity = context.activity;
  logger.error(
    {
      err: { name: error?.name, message: error?.message, stack: error?.stack },
      activityType: activity?.type,
      activityName: activity?.name,
      conversation: activity?.conversation?.id
        ? conversationKey(activity.conversation.id)
        : undefined,
    },
    'Unhandled error in a bot turn',
  );
  try {
    const card = render(genericErrorSpec({ locale: resolveLocale(activity?.locale) }));
    if (activity?.type === 'invoke') {
      await context.sendActivity({
        type: 'invokeResponse',
        value: { status: 200, body: cardInvokeResponse(card) },
      });
    } else if (activity?.type === 'message') {
      await context.sendActivity(cardActivity(card));
    }
  } catch (sendError) {
    logger.warn(
      { err: { name: (sendError as Error)?.name } },
      'Could not tell the user about the error',
    );
  }
}
