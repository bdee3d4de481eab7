import {
  PrivateConversationState,
  type StatePropertyAccessor,
  type Storage,
  type TurnContext,
} from 'botbuilder';
import type { DialogSet, DialogState } from 'botbuilder-dialogs';
import type { SearchPromptSteps } from '../../dialogs/searchPromptDialog';

export const SEARCH_PROMPT_MAX_AGE_MS = 10 * 60_000;

/**
 * Runs the search prompt dialog. Its state lives in PrivateConversationState (per user
 * and conversation) so in a group chat another person's message never answers my prompt.
 *
 * botbuilder-dialogs (and its recognizers, ~30 MB) is loaded only when a prompt starts or
 * is waiting: every other message just finds no active dialog in the stored state.
 */
export class SearchPrompts {
  private readonly state: PrivateConversationState;
  private readonly dialogState;
  private readonly startedAt;
  private loaded: PromptDialogs | undefined;

  constructor(
    storage: Storage,
    private readonly steps: SearchPromptSteps,
    private readonly maxAgeMs: number = SEARCH_PROMPT_MAX_AGE_MS,
  ) {
    this.state = new PrivateConversationState(storage);
    this.dialogState = this.state.createProperty<DialogState>('dialogState');
    this.startedAt = this.state.createProperty<number>('searchPromptStartedAt');
  }

  async begin(context: TurnContext): Promise<void> {
    const { dialogs, dialogId } = this.load();
    const dc = await dialogs.createContext(context);
    await dc.cancelAllDialogs();
    await this.startedAt.set(context, Date.now());
    await dc.beginDialog(dialogId);
  }

  /** True when a prompt was waiting and took `text` as its query. */
  async continueWith(context: TurnContext, text: string): Promise<boolean> {
    if (!(await this.isWaiting(context))) return false;
    const { dialogs, setAnswer } = this.load();
    const dc = await dialogs.createContext(context);
    if (!dc.activeDialog) return false;
    const started = (await this.startedAt.get(context)) ?? 0;
    if (Date.now() - started > this.maxAgeMs) {
      // A prompt left hours ago shouldn't swallow an unrelated message.
      await dc.cancelAllDialogs();
      return false;
    }
    setAnswer(context, text);
    await dc.continueDialog();
    return true;
  }

  async cancel(context: TurnContext): Promise<void> {
    if (!(await this.isWaiting(context))) return;
    const dc = await this.load().dialogs.createContext(context);
    if (dc.activeDialog) await dc.cancelAllDialogs();
  }

  /** Writes the dialog state if this turn changed it. */
  async save(context: TurnContext): Promise<void> {
    await this.state.saveChanges(context);
  }

  /** The stored dialog stack, read as DialogSet would read it, without loading the dialogs. */
  private async isWaiting(context: TurnContext): Promise<boolean> {
    const state = await this.dialogState.get(context);
    return (state?.dialogStack?.length ?? 0) > 0;
  }

  private load(): PromptDialogs {
    this.loaded ??= loadPromptDialogs(this.dialogState, this.steps);
    return this.loaded;
  }
}

/** Required here, on first use, rather than imported at the top: see the class comment. */
function loadPromptDialogs(
  dialogState: StatePropertyAccessor<DialogState>,
  steps: SearchPromptSteps,
): PromptDialogs {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { DialogSet } = require('botbuilder-dialogs') as typeof import('botbuilder-dialogs');
  const prompt =
    require('../../dialogs/searchPromptDialog') as typeof import('../../dialogs/searchPromptDialog');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const dialogs = new DialogSet(dialogState);
  dialogs.add(prompt.createSearchPromptDialog(steps));
  return {
    dialogs,
    dialogId: prompt.SEARCH_PROMPT_DIALOG_ID,
    setAnswer: prompt.setSearchPromptAnswer,
  };
}

interface PromptDialogs {
  dialogs: DialogSet;
  dialogId: string;
  setAnswer: (context: TurnContext, text: string) => void;
}
