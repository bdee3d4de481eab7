import type {
  Activity,
  SignInUrlResponse,
  TokenExchangeRequest,
  TokenResponse,
  TurnContext,
} from 'botbuilder';

/** What the CloudAdapter's UserTokenClient (botframework-connector) offers, as used here. */
interface UserTokenClientLike {
  getUserToken(
    userId: string,
    connectionName: string,
    channelId: string,
    magicCode: string | undefined,
  ): Promise<TokenResponse | undefined>;
  getSignInResource(
    connectionName: string,
    activity: Activity,
    finalRedirect: string | undefined,
  ): Promise<SignInUrlResponse>;
  signOutUser(userId: string, connectionName: string, channelId: string): Promise<void>;
  exchangeToken(
    userId: string,
    connectionName: string,
    channelId: string,
    request: TokenExchangeRequest,
  ): Promise<TokenResponse | undefined>;
}

/** The older adapter-level token API, which botbuilder's TestAdapter implements. */
interface AdapterTokenProviderLike {
  getUserToken(
    context: TurnContext,
    connectionName: string,
    magicCode?: string,
  ): Promise<TokenResponse | undefined>;
  getSignInResource(
    context: TurnContext,
    connectionName: string,
    userId?: string,
  ): Promise<SignInUrlResponse>;
  signOutUser(context: TurnContext, connectionName?: string, userId?: string): Promise<void>;
  exchangeToken(
    context: TurnContext,
    connectionName: string,
    userId: string,
    request: TokenExchangeRequest,
  ): Promise<TokenResponse | undefined>;
}

/**
 * The Bot Service token store, from inside a turn, for one OAuth connection: through the
 * CloudAdapter's UserTokenClient in turn state, else through the adapter itself (the
 * TestAdapter). botbuilder-dialogs does the same internally (UserTokenAccess) but does
 * not export it. Tokens are only ever returned, never kept.
 */
export class TurnTokens {
  constructor(readonly connectionName: string) {}

  /** The user's token, or undefined when they are not signed in. `magicCode` completes a sign-in. */
  async get(context: TurnContext, magicCode?: string): Promise<string | undefined> {
    const client = tokenClient(context);
    const response = client
      ? await client.getUserToken(
          userIdOf(context),
          this.connectionName,
          channelOf(context),
          magicCode,
        )
      : await provider(context).getUserToken(context, this.connectionName, magicCode);
    return response?.token || undefined;
  }

  /** Teams SSO: trades the token Teams gave for one of this connection; undefined when it can't. */
  async exchange(context: TurnContext, teamsToken: string): Promise<string | undefined> {
    const client = tokenClient(context);
    const request = { token: teamsToken };
    try {
      const response = client
        ? await client.exchangeToken(
            userIdOf(context),
            this.connectionName,
            channelOf(context),
            request,
          )
        : await provider(context).exchangeToken(
            context,
            this.connectionName,
            userIdOf(context),
            request,
          );
      return response?.token || undefined;
    } catch {
      // Consent missing, or the Teams token does not fit: the caller falls back to a sign-in card.
      return undefined;
    }
  }

  async signInResource(context: TurnContext): Promise<SignInUrlResponse> {
    const client = tokenClient(context);
    return client
      ? client.getSignInResource(this.connectionName, context.activity as Activity, undefined)
      : provider(context).getSignInResource(context, this.connectionName, userIdOf(context));
  }

  async signOut(context: TurnContext): Promise<void> {
    const client = tokenClient(context);
    if (client) {
      await client.signOutUser(userIdOf(context), this.connectionName, channelOf(context));
    } else {
      await provider(context).signOutUser(context, this.connectionName, userIdOf(context));
    }
  }
}

const userIdOf = (context: TurnContext): string => context.activity.from?.id ?? '';
const channelOf = (context: TurnContext): string => context.activity.channelId ?? '';

function tokenClient(context: TurnContext): UserTokenClientLike | undefined {
  const key = (context.adapter as { UserTokenClientKey?: symbol }).UserTokenClientKey;
  return key ? (context.turnState.get(key) as UserTokenClientLike | undefined) : undefined;
}

function provider(context: TurnContext): AdapterTokenProviderLike {
  const adapter = context.adapter as Partial<AdapterTokenProviderLike>;
  if (typeof adapter.getUserToken !== 'function' || typeof adapter.exchangeToken !== 'function') {
    throw new Error('This adapter has no access to the Bot Service token store');
  }
  return adapter as AdapterTokenProviderLike;
}
