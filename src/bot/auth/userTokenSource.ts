import {
  CloudAdapterBase,
  TurnContext,
  type BotAdapter,
  type ConversationReference,
} from 'botbuilder';
import type { UserTokenSource } from '../../domain/access';
import { UserToken } from '../../domain/shared';
import type { ConversationDirectory, StoredUser } from '../directory';
import { connectorStatus } from '../proactive';
import { TurnTokens } from './turnTokens';

/** Reads one user's token from the Bot Service token store, with no turn of theirs at hand. */
export type TokenStoreLookup = (user: StoredUser) => Promise<string | undefined>;

/**
 * The domain's UserTokenSource: the tracker's way to a requester's own token for
 * background work (submit, follow, deliver). The token store is keyed by the Teams user
 * id, which the directory remembered when the technician last wrote to the bot.
 */
export class BotUserTokenSource implements UserTokenSource {
  constructor(
    private readonly directory: ConversationDirectory,
    private readonly lookup: TokenStoreLookup,
  ) {}

  async forUser(tenantId: string, aadObjectId: string): Promise<UserToken | undefined> {
    const user = await this.directory.getUser(tenantId, aadObjectId);
    // Never seen in Teams: there is no Teams user id to ask the token store about.
    if (!user) return undefined;
    const token = await this.lookup(user);
    return token ? new UserToken(token) : undefined;
  }
}

/**
 * Asks the token store in a proactive turn addressed to the user: with the CloudAdapter
 * its UserTokenClient (the same one OAuthPrompt uses) is in that turn's state. Adapters
 * without proactive turns (botbuilder's TestAdapter) answer from a bare turn context.
 * Nothing is sent to the user.
 */
export function tokenStoreLookup(
  adapter: BotAdapter,
  appId: string,
  connectionName: string,
): TokenStoreLookup {
  const tokens = new TurnTokens(connectionName);
  return async (user) => {
    const reference: Partial<ConversationReference> = {
      channelId: 'msteams',
      serviceUrl: user.serviceUrl,
      bot: { id: user.bot.id, name: user.bot.name ?? '' },
      user: { id: user.teamsUserId, name: user.name ?? '', aadObjectId: user.aadObjectId },
      conversation: { id: '', isGroup: false, conversationType: 'personal', name: '' },
    };
    if (!(adapter instanceof CloudAdapterBase)) {
      const activity = TurnContext.applyConversationReference({ type: 'event' }, reference, true);
      return tokens.get(new TurnContext(adapter, activity));
    }
    let token: string | undefined;
    let failure: unknown;
    await adapter.continueConversationAsync(appId, reference, async (context) => {
      try {
        token = await tokens.get(context);
      } catch (error) {
        // Inside the turn an error would go to onTurnError: the tracker should see it.
        failure = error;
      }
    });
    if (failure !== undefined) throw new TokenStoreError(connectorStatus(failure));
    return token;
  };
}

/** The token store could not be asked. Names the status only: the failed request held credentials. */
export class TokenStoreError extends Error {
  constructor(readonly status: number | undefined) {
    super(`The Bot Service token store did not answer${status ? ` (${status})` : ''}`);
    this.name = 'TokenStoreError';
  }
}
