import {
  ActivityTypes,
  PrivateConversationState,
  StatusCodes,
  tokenExchangeOperationName,
  tokenResponseEventName,
  verifyStateOperationName,
  type Storage,
  type TurnContext,
} from 'botbuilder';
import { DialogSet, type DialogState } from 'botbuilder-dialogs';
import {
  createSignInDialogs,
  SIGN_IN_DIALOG_ID,
  type SignInDialogOptions,
  type SignInSteps,
} from '../../../dialogs/signInDialog';
import { UserToken } from '../../domain/shared';
import type { Locale } from '../../i18n';
import { messageText } from '../turn';
import { TurnTokens } from './turnTokens';

/** A six-digit code typed into the chat: how some clients finish the sign-in card. */
const MAGIC_CODE = /^\s*\d{6}\s*$/;

/**
 * GRAPH_AUTH=delegated sign-in for one OAuth connection. The Bot Service token store
 * keeps the technician's token (and refreshes it); this bot reads it on each turn and
 * keeps none. The sign-in dialog's state (which command to run again) lives in
 * PrivateConversationState under its own namespace, per user and conversation.
 */
export class SignIn {
  readonly tokens: TurnTokens;
  private readonly state: PrivateConversationState;
  private readonly dialogs: DialogSet;

  constructor(
    storage: Storage,
    connectionName: string,
    private readonly steps: SignInSteps,
    timeoutMs?: number,
  ) {
    this.tokens = new TurnTokens(connectionName);
    this.state = new PrivateConversationState(storage, 'signIn');
    this.dialogs = new DialogSet(this.state.createProperty<DialogState>('dialogState'));
    for (const dialog of createSignInDialogs(connectionName, steps, timeoutMs)) {
      this.dialogs.add(dialog);
    }
  }

  get connectionName(): string {
    return this.tokens.connectionName;
  }

  /** The technician's token from the token store for this turn; undefined when signed out. */
  async currentToken(context: TurnContext): Promise<UserToken | undefined> {
    const token = await this.tokens.get(context);
    return token ? new UserToken(token) : undefined;
  }

  /** Sends the sign-in card; once signed in, `resumeText` runs as if typed again. */
  async begin(context: TurnContext, locale: Locale, resumeText?: string): Promise<void> {
    const dc = await this.dialogs.createContext(context);
    await dc.cancelAllDialogs();
    const options: SignInDialogOptions = { locale, ...(resumeText ? { resumeText } : {}) };
    await dc.beginDialog(SIGN_IN_DIALOG_ID, options);
  }

  /**
   * The activities that finish a sign-in: Teams SSO (signin/tokenExchange), the sign-in
   * button (signin/verifyState), the tokens/response event, and a magic code typed while
   * a sign-in waits. Returns false for anything else. Every sign-in invoke gets its
   * invoke response here, dialog or not.
   */
  async handle(context: TurnContext): Promise<boolean> {
    const activity = context.activity;
    const isInvoke =
      activity.type === ActivityTypes.Invoke &&
      (activity.name === verifyStateOperationName || activity.name === tokenExchangeOperationName);
    const isTokenEvent =
      activity.type === ActivityTypes.Event && activity.name === tokenResponseEventName;
    const isMagicCode =
      activity.type === ActivityTypes.Message && MAGIC_CODE.test(messageText(context));
    if (!isInvoke && !isTokenEvent && !isMagicCode) return false;

    let answered = false;
    context.onSendActivities(async (_context, activities, next) => {
      if (activities.some((a) => a.type === ActivityTypes.InvokeResponse)) answered = true;
      return next();
    });
    const dc = await this.dialogs.createContext(context);
    if (dc.activeDialog) {
      await dc.continueDialog();
    } else if (isInvoke) {
      await this.finishWithoutPrompt(context);
    } else if (isMagicCode) {
      return false; // No sign-in is waiting: six digits are just text.
    }
    if (isInvoke && !answered) {
      await context.sendActivity({
        type: ActivityTypes.InvokeResponse,
        value: { status: StatusCodes.OK },
      });
    }
    return true;
  }

  /** Signs the technician out of the token store and drops a waiting sign-in. */
  async signOut(context: TurnContext): Promise<void> {
    await this.tokens.signOut(context);
    const dc = await this.dialogs.createContext(context);
    await dc.cancelAllDialogs();
  }

  /** Writes the dialog state if this turn changed it. */
  async save(context: TurnContext): Promise<void> {
    await this.state.saveChanges(context);
  }

  /**
   * A sign-in invoke with no prompt waiting (it timed out, or another instance's card):
   * complete the sign-in anyway, so the token store has the token for the next command.
   */
  private async finishWithoutPrompt(context: TurnContext): Promise<void> {
    const value = (context.activity.value ?? {}) as { id?: string; state?: string; token?: string };
    if (context.activity.name === verifyStateOperationName) {
      const token =
        typeof value.state === 'string' ? await this.tokens.get(context, value.state) : undefined;
      await invokeResponse(context, token ? StatusCodes.OK : StatusCodes.NOT_FOUND);
      if (token) await this.steps.signedIn(context, token, undefined);
      return;
    }
    const token =
      typeof value.token === 'string'
        ? await this.tokens.exchange(context, value.token)
        : undefined;
    await invokeResponse(context, token ? StatusCodes.OK : StatusCodes.PRECONDITION_FAILED, {
      id: value.id,
      connectionName: this.connectionName,
      ...(token
        ? {}
        : { failureDetail: 'The bot is unable to exchange token. Proceed with regular login.' }),
    });
    if (token) await this.steps.signedIn(context, token, undefined);
  }
}

async function invokeResponse(context: TurnContext, status: number, body?: unknown): Promise<void> {
  await context.sendActivity({
    type: ActivityTypes.InvokeResponse,
    value: { status, ...(body === undefined ? {} : { body }) },
  });
}
