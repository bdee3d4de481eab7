import type { Intune } from '../ports';
import type { Actor, UserToken } from '../shared';

/**
 * Whose token each Graph call carries (GRAPH_AUTH).
 *
 * app (default): every call uses the app's own Intune, as configured.
 *
 * delegated: nothing is done with the app's identity.
 * - A technician's own action (the group check, search, pick, show passcode, check setup)
 *   uses the token the bot layer read from the Bot Service token store for this turn.
 *   It rides on the Actor (`actor.graphToken`, a UserToken) and lives for that turn only.
 * - Work the tracker does for a job (the resetPasscode POST, reading deviceActionResults,
 *   reading the passcode for delivery) uses the job's requester's token, asked for
 *   through the UserTokenSource port at each step. No token: the job waits and the
 *   requester is asked once to sign in again (signInWait.ts).
 * A token becomes an Intune through the injected factory, per call; the domain keeps no
 * token anywhere (not in the store, not in jobs, not in logs).
 */
export interface IntuneAccess {
  readonly mode: 'app' | 'delegated';
  /** For a technician's own action. undefined: delegated, and the actor brought no token. */
  forActor(actor: Actor): Intune | undefined;
  /**
   * For background work on a job of this requester. undefined: delegated, and the token
   * store holds no token for them (signed out, or consent withdrawn). Throws when the
   * token store cannot be asked (that is worth retrying, not a reason to ask for sign-in).
   */
  forRequester(tenantId: string, aadObjectId: string): Promise<Intune | undefined>;
}

/**
 * The requester's token outside any turn. The bot layer implements it with the Bot
 * Service token store (which refreshes the token as long as the user stays signed in).
 */
export interface UserTokenSource {
  forUser(tenantId: string, aadObjectId: string): Promise<UserToken | undefined>;
}

export function appIntuneAccess(intune: Intune): IntuneAccess {
  return {
    mode: 'app',
    forActor: () => intune,
    forRequester: async () => intune,
  };
}

export interface DelegatedIntuneParts {
  /** Builds an Intune acting with one token (createDelegatedIntune in the app). */
  intuneFor: (token: string) => Intune;
  tokens: UserTokenSource;
}

export function delegatedIntuneAccess(parts: DelegatedIntuneParts): IntuneAccess {
  return {
    mode: 'delegated',
    forActor: (actor) =>
      actor.graphToken ? parts.intuneFor(actor.graphToken.reveal()) : undefined,
    forRequester: async (tenantId, aadObjectId) => {
      const token = await parts.tokens.forUser(tenantId, aadObjectId);
      return token ? parts.intuneFor(token.reveal()) : undefined;
    },
  };
}

/**
 * The actor's Intune once authorization passed (it refuses with 'signInRequired' when
 * there is none), so a missing one here is a bug, not something to tell the user.
 */
export function actingIntune(access: IntuneAccess, actor: Actor): Intune {
  const intune = access.forActor(actor);
  if (!intune) throw new Error('No Intune for this actor: authorization should have refused');
  return intune;
}
