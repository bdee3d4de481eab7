import { PrivateConversationState, type Storage, type TurnContext } from 'botbuilder';
import { DialogSet, type DialogState } from 'botbuilder-dialogs';
import {
  createSearchPromptDialog,
  SEARCH_PROMPT_DIALOG_ID,
  setSearchPromptAnswer,
  type SearchPromptSteps,
} from '../../dialogs/searchPromptDialog';

export const SEARCH_PROMPT_MAX_AGE_MS = 10 * 60_000;

/**
 * Runs the search prompt dialog. Its state lives in PrivateConversationState (per user
 * and conversation) so in a group chat another person's message never answers my prompt.
 */
export class SearchPrompts {
  private readonly state: PrivateConversationState;
  private readonly dialogs: DialogSet;
  private readonly startedAt;

  constructor(
    storage: Storage,
    steps: SearchPromptSteps,
    private readonly maxAgeMs: number = SEARCH_PROMPT_MAX_AGE_MS,
  ) {
    this.state = new PrivateConversationState(storage);
    this.dialogs = new DialogSet(this.state.createProperty<DialogState>('dialogState'));
    this.dialogs.add(createSearchPromptDialog(steps));
    this.startedAt = this.state.createProperty<number>('searchPromptStartedAt');
  }

  async begin(context: TurnContext): Promise<void> {
    const dc = await this.dialogs.createContext(context);
    await dc.cancelAllDialogs();
    await this.startedAt.set(context, Date.now());
    await dc.beginDialog(SEARCH_PROMPT_DIALOG_ID);
  }

  /** True when a prompt was waiting and took `text` as its query. */
  async continueWith(context: TurnContext, text: string): Promise<boolean> {
    const dc = await this.dialogs.createContext(context);
    if (!dc.activeDialog) return false;
    const started = (await this.startedAt.get(context)) ?? 0;
    if (Date.now() - started > this.maxAgeMs) {
      // A prompt left hours ago shouldn't swallow an unrelated message.
      await dc.cancelAllDialogs();
      return false;
    }
    setSearchPromptAnswer(context, text);
    await dc.continueDialog();
    return true;
  }

  async cancel(context: TurnContext): Promise<void> {
    const dc = await this.dialogs.createContext(context);
    if (dc.activeDialog) await dc.cancelAllDialogs();
  }

  /** Writes the dialog state if this turn changed it. */
  async save(context: TurnContext): Promise<void> {
    await this.state.saveChanges(context);
  }
}
