import type { Desk, Refusal } from '../../domain/desk';

/**
 * The domain answered 'signInRequired' (GRAPH_AUTH=delegated, no token for this
 * technician). Thrown out of the Desk so that the one place handling a turn shows the
 * sign-in card (typed commands) or the Universal Actions login request (card buttons),
 * instead of every command and card action checking for it.
 */
export class SignInRequiredError extends Error {
  constructor() {
    super('The technician has to sign in first');
    this.name = 'SignInRequiredError';
  }
}

const needsSignIn = (answer: unknown): boolean =>
  (answer as Refusal | undefined)?.kind === 'refused' &&
  (answer as Refusal).reason === 'signInRequired';

function throwing<A extends unknown[], R>(
  method: (...args: A) => Promise<R>,
): (...args: A) => Promise<R> {
  return async (...args) => {
    const answer = await method(...args);
    if (needsSignIn(answer)) throw new SignInRequiredError();
    return answer;
  };
}

/** The Desk, with a 'signInRequired' refusal turned into SignInRequiredError. */
export function askingForSignIn(desk: Desk): Desk {
  return {
    ...desk,
    search: throwing(desk.search.bind(desk)),
    pick: throwing(desk.pick.bind(desk)),
    confirm: throwing(desk.confirm.bind(desk)),
    cancel: throwing(desk.cancel.bind(desk)),
    status: throwing(desk.status.bind(desk)),
    showPasscode: throwing(desk.showPasscode.bind(desk)),
    checkSetup: throwing(desk.checkSetup.bind(desk)),
    audit: throwing(desk.audit.bind(desk)),
    notifyHere: throwing(desk.notifyHere.bind(desk)),
  };
}
