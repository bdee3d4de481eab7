import { ConfigurationBotFrameworkAuthentication, StatusCodes, type Activity } from 'botbuilder';
// The Bot Framework SDK's own error class (botbuilder pins this package): CloudAdapter
// answers 401 only for it, and 500 with the error's message for anything else.
import { AuthenticationError } from 'botframework-connector';
import type { Logger } from '../logger';

type AuthenticateResult = ReturnType<
  ConfigurationBotFrameworkAuthentication['authenticateRequest']
>;

/**
 * Bot Framework authentication that answers every failed token check with 401. The SDK
 * lets some bad tokens (forged signature, alg=none, an algorithm it doesn't allow) escape
 * as plain errors, which CloudAdapter turns into a 500 quoting the error. Nothing is
 * processed either way; this makes the answer the documented one and hides the reason.
 */
export class FailClosedAuthentication extends ConfigurationBotFrameworkAuthentication {
  constructor(
    options: ConstructorParameters<typeof ConfigurationBotFrameworkAuthentication>[0],
    private readonly logger: Logger,
  ) {
    super(options);
  }

  override async authenticateRequest(activity: Activity, authHeader: string): AuthenticateResult {
    try {
      return await super.authenticateRequest(activity, authHeader);
    } catch (error) {
      // Name and message only: the token itself must never reach a log.
      this.logger.warn(
        { err: { name: (error as Error)?.name, message: (error as Error)?.message } },
        'Refused a request that failed Bot Framework authentication',
      );
      throw new AuthenticationError('Unauthorized', StatusCodes.UNAUTHORIZED);
    }
  }
}
