import type { TokenResponse, TurnContext } from 'botbuilder';
import { OAuthPrompt, WaterfallDialog, type Dialog } from 'botbuilder-dialogs';
import { LOCALES, t, type Locale } from '../src/i18n';

/**
 * GRAPH_AUTH=delegated: the technician signs in through the Bot Service OAuth connection
 * (OAuthPrompt: an OAuthCard, which Teams completes by SSO — signin/tokenExchange — or
 * with the sign-in button — signin/verifyState), then what they asked for runs again.
 *
 * The token reaches `signedIn` in memory only: OAuthPrompt hands it to the next
 * waterfall step as the step result, which is never written to dialog state. What is
 * stored, for the life of the prompt, is the text to run again (e.g. "reset lumia").
 */
export const SIGN_IN_DIALOG_ID = 'signIn';

/** How long a sign-in card stays usable. */
export const SIGN_IN_TIMEOUT_MS = 15 * 60_000;

export interface SignInDialogOptions {
  locale: Locale;
  /** The command to run again once signed in; none for a plain `sign in`. */
  resumeText?: string;
}

export interface SignInSteps {
  signedIn(context: TurnContext, token: string, resumeText: string | undefined): Promise<void>;
  /** The prompt ended without a token (it timed out). */
  notSignedIn(context: TurnContext, locale: Locale): Promise<void>;
}

const promptId = (locale: Locale): string => `signInPrompt-${locale}`;

/** The waterfall and one OAuthPrompt per language (a prompt's card text is fixed when it is built). */
export function createSignInDialogs(
  connectionName: string,
  steps: SignInSteps,
  timeoutMs: number = SIGN_IN_TIMEOUT_MS,
): Dialog[] {
  const prompts = LOCALES.map(
    (locale) =>
      new OAuthPrompt(promptId(locale), {
        connectionName,
        title: t(locale, 'signIn.title'),
        text: t(locale, 'signIn.text'),
        timeout: timeoutMs,
      }),
  );
  const waterfall = new WaterfallDialog<SignInDialogOptions>(SIGN_IN_DIALOG_ID, [
    async (step) => step.beginDialog(promptId(step.options.locale)),
    async (step) => {
      const token = (step.result as TokenResponse | undefined)?.token;
      if (token) await steps.signedIn(step.context, token, step.options.resumeText);
      else await steps.notSignedIn(step.context, step.options.locale);
      return step.endDialog();
    },
  ]);
  return [waterfall, ...prompts];
}
