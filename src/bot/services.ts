import type { Desk } from '../domain/desk';
import type { ReadinessReport } from '../readiness/report';
import type { Logger } from '../logger';
import type { SignIn } from './auth/signIn';
import type { CardViewStore } from './cardViews';
import type { ConversationDirectory } from './directory';
import type { SearchPrompts } from './searchPrompts';
import type { TurnDeadline } from './turnDeadline';

/** Settings the bot layer shows to people (from config). */
export interface BotSettings {
  passcodeVisibleMinutes: number;
  resetTimeoutMinutes: number;
  /** TICKET_REQUIRED / TICKET_PATTERN: the confirm card asks for the ticket accordingly. */
  ticketRequired?: boolean;
  ticketPattern?: string;
  /** TICKET_URL_TEMPLATE: tickets show as links on cards. */
  ticketUrlTemplate?: string;
  /** ALLOWED_CHANNEL_IDS: the Bot Framework channels served (default msteams only). */
  allowedChannelIds?: readonly string[];
}

/** Everything a command or card action may use. */
export interface BotServices {
  desk: Desk;
  directory: ConversationDirectory;
  cardViews: CardViewStore;
  prompts: SearchPrompts;
  settings: BotSettings;
  logger: Logger;
  /**
   * TURN_DEADLINE_SECONDS: card presses and commands answer in time, late work goes on in
   * the background (absent: every turn waits for its work, as a bot without a proactive
   * path must).
   */
  turnDeadline?: TurnDeadline;
  /** GRAPH_AUTH=delegated: the technician's sign-in (absent in app mode). */
  signIn?: SignIn;
  /**
   * `check setup` beyond the tenant prerequisites: Graph, the permissions granted,
   * storage and the bot registration (src/readiness, shared with `npm run doctor`).
   */
  checkEnvironment?: (tenantId: string) => Promise<ReadinessReport>;
}
