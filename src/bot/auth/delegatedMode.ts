import { TeamsSSOTokenExchangeMiddleware, type CloudAdapter } from 'botbuilder';
import type { UserTokenSource } from '../../domain/access';
import { IntuneError, type Intune, type DocumentStore } from '../../domain/ports';
import type { ConversationDirectory } from '../directory';
import { TokenExchangeDedupStorage } from './tokenExchangeDedup';
import { BotUserTokenSource, tokenStoreLookup } from './userTokenSource';

export interface DelegatedModeParts {
  adapter: CloudAdapter;
  appId: string;
  connectionName: string;
  directory: ConversationDirectory;
  documents: DocumentStore;
}

/**
 * GRAPH_AUTH=delegated, the bot side: Teams SSO token exchanges de-duplicated across
 * clients and instances (through the shared store), and the token source the domain's
 * tracker uses for a requester's background work.
 */
export function setUpDelegatedMode(parts: DelegatedModeParts): { tokens: UserTokenSource } {
  parts.adapter.use(
    new TeamsSSOTokenExchangeMiddleware(
      new TokenExchangeDedupStorage(parts.documents),
      parts.connectionName,
    ),
  );
  return {
    tokens: new BotUserTokenSource(
      parts.directory,
      tokenStoreLookup(parts.adapter, parts.appId, parts.connectionName),
    ),
  };
}

/**
 * /readyz in delegated mode: is Graph there and answering? The app's own identity holds
 * no Graph permission in this mode, so 401/403 from Graph counts as reachable.
 */
export function graphReachable(intune: Intune): () => Promise<void> {
  return async () => {
    try {
      await intune.ping();
    } catch (error) {
      if (error instanceof IntuneError && (error.status === 401 || error.status === 403)) return;
      throw error;
    }
  };
}
