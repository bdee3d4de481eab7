import { ActivityTypes, type TurnContext } from 'botbuilder';
import { hasUnsafeCharacters } from '../../domain/shared';
import { t } from '../../i18n';
import { sendCard, viewContext } from '../reply';
import type { BotServices } from '../services';
import { messageText, type TurnInfo } from '../turn';
import { runWithinDeadline } from '../turnDeadline';
import { errorSpec } from '../views/messageViews';
import { auditUsage, runAudit } from './audit';
import { runCheckSetup } from './checkSetup';
import { runHelp } from './help';
import { runNotifyHere } from './notifyHere';
import { parseCommand } from './parseCommand';
import { runReset } from './reset';
import { runShowPasscode } from './showPasscode';
import { runSignIn, runSignOut } from './signInOut';
import { runStatus } from './status';

export const MAX_MESSAGE_LENGTH = 1000;

/** The `command` of an Action.Submit from the help or welcome card; '' for anything else. */
function submittedCommand(value: unknown): string {
  const command = (value as { command?: unknown } | undefined)?.command;
  return typeof command === 'string' && command.length <= 40 ? command.trim() : '';
}

/** Commands that wait for Graph: Teams shows "typing…" meanwhile. */
const GRAPH_COMMANDS: ReadonlySet<string> = new Set(['reset', 'showPasscode', 'checkSetup']);

/** A typing indicator; one that cannot be sent is not worth failing the command for. */
async function showTyping(context: TurnContext): Promise<void> {
  try {
    await context.sendActivity({ type: ActivityTypes.Typing });
  } catch {
    // The command's own answer will say more if Teams is unreachable.
  }
}

/** Routes a typed message to its command; text that is no command answers a waiting search prompt. */
export async function handleMessage(
  context: TurnContext,
  turn: TurnInfo,
  services: BotServices,
): Promise<void> {
  const ctx = viewContext(turn);
  const raw = context.activity.text ?? '';
  if (raw.length > MAX_MESSAGE_LENGTH) {
    await sendCard(
      context,
      turn,
      services,
      errorSpec(ctx, t(ctx.locale, 'input.tooLong', { max: MAX_MESSAGE_LENGTH })),
    );
    return;
  }
  // A help/welcome button (Action.Submit): the command arrives as the card's data, no text.
  const text = raw.trim() === '' ? submittedCommand(context.activity.value) : messageText(context);
  if (hasUnsafeCharacters(text, { multiline: true })) {
    await sendCard(context, turn, services, errorSpec(ctx, t(ctx.locale, 'input.controlChars')));
    return;
  }
  await runText(context, turn, services, text);
}

/** Runs the text of a message as a command (also what runs again after a sign-in). */
export async function runText(
  context: TurnContext,
  turn: TurnInfo,
  services: BotServices,
  text: string,
): Promise<void> {
  const ctx = viewContext(turn);
  const command = parseCommand(text);
  if (command.kind === 'unknown') {
    if (text && (await services.prompts.continueWith(context, text))) return;
    await runHelp(context, turn, services, { unknown: text !== '' });
    return;
  }
  await services.prompts.cancel(context);
  // Teams shows typing in personal and group chats only; a channel post gets none.
  if (
    GRAPH_COMMANDS.has(command.kind) &&
    !(command.kind === 'reset' && !command.query) &&
    turn.where.kind !== 'channel'
  ) {
    await showTyping(context);
  }
  // Commands that ask the domain answer within the turn deadline (turnDeadline.ts).
  const within = (work: Parameters<typeof runWithinDeadline>[3]) =>
    runWithinDeadline(context, turn, services, work);
  switch (command.kind) {
    case 'reset':
      if (!command.query) return services.prompts.begin(context);
      return within((out) => runReset(out, turn, services, command.query));
    case 'status':
      return within((out) => runStatus(out, turn, services));
    case 'showPasscode':
      return within((out) => runShowPasscode(out, turn, services, command.device));
    case 'checkSetup':
      return within((out) => runCheckSetup(out, turn, services));
    case 'help':
      return runHelp(context, turn, services);
    case 'audit':
      return within((out) => runAudit(out, turn, services, command.limit, command.asked));
    case 'auditUsage':
      return sendCard(context, turn, services, errorSpec(ctx, auditUsage(ctx.locale))).then(
        () => undefined,
      );
    case 'notifyHere':
      return runNotifyHere(context, turn, services);
    case 'signIn':
      return runSignIn(context, turn, services);
    case 'signOut':
      return runSignOut(context, turn, services);
  }
}
