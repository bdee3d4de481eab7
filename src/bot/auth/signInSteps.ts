import type { SignInSteps } from '../../../dialogs/signInDialog';
import { UserToken } from '../../domain/shared';
import { t } from '../../i18n';
import { runText } from '../commands';
import { sendCard, viewContext } from '../reply';
import type { BotServices } from '../services';
import { readTurn } from '../turn';
import { errorSpec, noticeSpec } from '../views/messageViews';
import { SignInRequiredError } from './signInRequired';

/**
 * What happens once the sign-in card is done: the command that needed it runs again,
 * this time with the token (held for this turn only), or "you are signed in". (Jobs
 * that waited for this technician's token find it at their next look, within
 * SIGN_IN_RETRY_MS.)
 */
export function signInSteps(services: BotServices): SignInSteps {
  return {
    async signedIn(context, token, resumeText) {
      const turn = readTurn(context);
      turn.actor.graphToken = new UserToken(token);
      const ctx = viewContext(turn);
      if (!resumeText) {
        await sendCard(context, turn, services, noticeSpec(ctx, t(ctx.locale, 'signIn.done')));
        return;
      }
      try {
        await runText(context, turn, services, resumeText);
      } catch (error) {
        // The token from the sign-in just now was not enough: no second card in a loop.
        if (!(error instanceof SignInRequiredError)) throw error;
        await sendCard(context, turn, services, errorSpec(ctx, t(ctx.locale, 'signIn.failed')));
      }
    },
    async notSignedIn(context, locale) {
      const turn = readTurn(context);
      await sendCard(context, turn, services, errorSpec({ locale }, t(locale, 'signIn.failed')));
    },
  };
}
