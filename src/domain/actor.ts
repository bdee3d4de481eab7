/** The technician behind an activity, as the bot layer read it from Teams. */
export interface Actor {
  tenantId: string;
  aadObjectId: string;
  userPrincipalName?: string;
  displayName?: string;
  /** Teams locale, e.g. en-US or zh-TW. */
  locale: string;
}

export type Role = 'technician' | 'admin';

export type ConversationKind = 'personal' | 'groupChat' | 'channel';

/** Where something happened. The bot layer stores the full Bot Framework reference under `key`. */
export interface ConversationPointer {
  key: string;
  kind: ConversationKind;
}
