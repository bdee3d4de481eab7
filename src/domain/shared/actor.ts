import type { UserToken } from './userToken';

/** The technician behind an activity, as the bot layer read it from Teams. */
export interface Actor {
  tenantId: string;
  aadObjectId: string;
  userPrincipalName?: string;
  displayName?: string;
  /** Teams locale, e.g. en-US or zh-TW. */
  locale: string;
  /**
   * GRAPH_AUTH=delegated: the technician's own Graph token for this turn, from the Bot
   * Service token store (see intuneAccess.ts). Never stored: UserToken serialises as a
   * placeholder.
   */
  graphToken?: UserToken;
}

/** approver: a member of APPROVER_GROUP_IDS (second-person approval). */
export type Role = 'technician' | 'admin' | 'approver';

export type ConversationKind = 'personal' | 'groupChat' | 'channel';

/** Where something happened. The bot layer stores the full Bot Framework reference under `key`. */
export interface ConversationPointer {
  key: string;
  kind: ConversationKind;
}
