import type { TurnContext } from 'botbuilder';
import { Dialog, WaterfallDialog } from 'botbuilder-dialogs';

/**
 * `reset` alone: show the search box, then take the technician's next typed message as
 * the query. (The card's own Search button is an invoke and ends this dialog instead.)
 */
export const SEARCH_PROMPT_DIALOG_ID = 'searchPrompt';

const ANSWER_KEY = Symbol('searchPromptAnswer');

export interface SearchPromptSteps {
  prompt(context: TurnContext): Promise<void>;
  search(context: TurnContext, query: string): Promise<void>;
}

/** The cleaned text of this turn's message, handed to the waiting dialog. */
export function setSearchPromptAnswer(context: TurnContext, text: string): void {
  context.turnState.set(ANSWER_KEY, text);
}

export function createSearchPromptDialog(steps: SearchPromptSteps): WaterfallDialog {
  return new WaterfallDialog(SEARCH_PROMPT_DIALOG_ID, [
    async (step) => {
      await steps.prompt(step.context);
      return Dialog.EndOfTurn;
    },
    async (step) => {
      const query = (step.context.turnState.get(ANSWER_KEY) as string | undefined) ?? '';
      await steps.search(step.context, query);
      return step.endDialog();
    },
  ]);
}
