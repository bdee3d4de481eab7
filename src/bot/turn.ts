import { createHash } from 'node:crypto';
import { TurnContext, type Activity } from 'botbuilder';
import {
  type Actor,
  type ConversationKind,
  type ConversationPointer,
  withoutInvisibleCharacters,
} from '../domain/shared';
import { resolveLocale, type Locale } from '../i18n';

/** What every handler needs to know about the person and place of one activity. */
export interface TurnInfo {
  actor: Actor;
  where: ConversationPointer;
  locale: Locale;
  /** The Teams user id (29:...) of the sender: what refresh.userIds and 1:1 chats need. */
  teamsUserId: string;
  /** IANA time zone of the sender's client, when Teams said. */
  timeZone?: string;
  /** An invoke's replyToId: the id of the message whose card was pressed. */
  replyToId?: string;
}

/** A stable, opaque store key for a conversation id (Teams ids hold ':', ';', '@'...). */
export function conversationKey(conversationId: string): string {
  return `c-${createHash('sha256').update(conversationId).digest('hex').slice(0, 40)}`;
}

export function conversationKind(activity: Partial<Activity>): ConversationKind {
  const type = activity.conversation?.conversationType;
  if (type === 'personal' || type === 'groupChat' || type === 'channel') return type;
  if ((activity.channelData as TeamsChannelData | undefined)?.channel?.id) return 'channel';
  return activity.conversation?.isGroup ? 'groupChat' : 'personal';
}

interface TeamsChannelData {
  tenant?: { id?: string };
  channel?: { id?: string };
  team?: { id?: string };
}

interface ClientInfoEntity {
  type?: string;
  locale?: string;
  timezone?: string;
}

export function tenantIdOf(activity: Partial<Activity>): string {
  return (
    activity.conversation?.tenantId ||
    (activity.channelData as TeamsChannelData | undefined)?.tenant?.id ||
    ''
  );
}

function clientInfo(activity: Partial<Activity>): ClientInfoEntity | undefined {
  return (activity.entities as ClientInfoEntity[] | undefined)?.find(
    (e) => e?.type === 'clientInfo',
  );
}

export function readTurn(context: TurnContext): TurnInfo {
  const activity = context.activity;
  const info = clientInfo(activity);
  const rawLocale = activity.locale || info?.locale || 'en-US';
  const timeZone = activity.localTimezone || info?.timezone || undefined;
  const from = activity.from ?? { id: '', name: '' };
  return {
    actor: {
      tenantId: tenantIdOf(activity),
      aadObjectId: from.aadObjectId ?? '',
      ...(from.name ? { displayName: from.name } : {}),
      locale: rawLocale,
    },
    where: {
      key: conversationKey(activity.conversation?.id ?? ''),
      kind: conversationKind(activity),
    },
    locale: resolveLocale(rawLocale),
    teamsUserId: from.id ?? '',
    ...(timeZone ? { timeZone } : {}),
    ...(activity.replyToId ? { replyToId: activity.replyToId } : {}),
  };
}

const HTML_ENTITIES: Record<string, string> = {
  nbsp: ' ',
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  '#39': "'",
};

/**
 * The typed text of a message without the bot's @mention (group chats and channels)
 * and without the HTML entities Teams leaves around it.
 */
export function messageText(context: TurnContext): string {
  const activity = context.activity;
  let text = activity.text ?? '';
  if (activity.recipient?.id && activity.entities?.some((e) => e.type === 'mention')) {
    text = TurnContext.removeRecipientMention(activity) ?? text;
  }
  return (
    withoutInvisibleCharacters(text)
      // Another person's mention keeps their name: it may be the query ("reset <at>Alex</at>").
      .replace(/<at>([^<]*)<\/at>/gi, '$1')
      // Formatted or pasted messages arrive as simple HTML.
      .replace(/<\/?(?:p|div|span|br|b|i|strong|em)\b[^>]*>/gi, ' ')
      .replace(
        /&(nbsp|amp|lt|gt|quot|#39);/gi,
        (_m, name: string) => HTML_ENTITIES[name.toLowerCase()] ?? ' ',
      )
      .replace(/\u3000/g, ' ')
      .trim()
  );
}
