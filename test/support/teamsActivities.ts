import { randomUUID } from 'node:crypto';

/**
 * Activities shaped as Microsoft Teams sends them to a bot: personal chats, group chats
 * (text starts with an <at> mention of the bot) and channel threads (channelData with
 * team and channel), and adaptiveCard/action invokes from Action.Execute buttons.
 */
export interface TeamsUser {
  /** Teams user id (29:...). */
  id: string;
  aadObjectId: string;
  name: string;
}

export type PlaceKind = 'personal' | 'groupChat' | 'channel';

export interface Place {
  kind: PlaceKind;
  conversationId: string;
}

export interface TeamsBotIdentity {
  id: string;
  name: string;
}

export interface BuildOptions {
  locale?: string;
  timeZone?: string;
  /** For group chats and channels: mention the bot (default true, as Teams only forwards those). */
  mention?: boolean;
}

export const TEAMS_BOT: TeamsBotIdentity = {
  id: '28:00000000-0000-0000-0000-00000000b075',
  name: 'Passcode Desk',
};

export function teamsUser(aadObjectId: string, name: string): TeamsUser {
  return { id: `29:1${aadObjectId.replace(/-/g, '')}`, aadObjectId, name };
}

export function personalChat(user: TeamsUser): Place {
  return { kind: 'personal', conversationId: `a:1personal-${user.aadObjectId}` };
}

export function groupChat(name = randomUUID()): Place {
  return { kind: 'groupChat', conversationId: `19:${name.replace(/-/g, '')}@thread.v2` };
}

export function channelThread(channel = randomUUID(), rootMessageId = String(Date.now())): Place {
  return {
    kind: 'channel',
    conversationId: `19:${channel.replace(/-/g, '')}@thread.tacv2;messageid=${rootMessageId}`,
  };
}

export class TeamsActivities {
  private counter = 0;

  constructor(
    readonly serviceUrl: string,
    readonly tenantId: string,
    readonly bot: TeamsBotIdentity = TEAMS_BOT,
  ) {}

  private base(user: TeamsUser, place: Place, options: BuildOptions): Record<string, unknown> {
    const locale = options.locale ?? 'en-US';
    const channelData: Record<string, unknown> = { tenant: { id: this.tenantId } };
    if (place.kind === 'channel') {
      const channelId = place.conversationId.split(';')[0];
      channelData.teamsChannelId = channelId;
      channelData.teamsTeamId = '19:teamgeneral@thread.tacv2';
      channelData.channel = { id: channelId };
      channelData.team = { id: '19:teamgeneral@thread.tacv2' };
    }
    return {
      id: `1${Date.now()}${++this.counter}`,
      timestamp: new Date().toISOString(),
      localTimestamp: new Date().toISOString(),
      channelId: 'msteams',
      serviceUrl: this.serviceUrl,
      from: { id: user.id, name: user.name, aadObjectId: user.aadObjectId },
      recipient: { id: this.bot.id, name: this.bot.name },
      conversation: {
        id: place.conversationId,
        conversationType: place.kind,
        tenantId: this.tenantId,
        ...(place.kind === 'personal' ? {} : { isGroup: true }),
      },
      channelData,
      locale,
      localTimezone: options.timeZone ?? 'Asia/Taipei',
      entities: [
        {
          type: 'clientInfo',
          locale,
          country: 'TW',
          platform: 'Web',
          timezone: options.timeZone ?? 'Asia/Taipei',
        },
      ],
    };
  }

  message(
    user: TeamsUser,
    place: Place,
    text: string,
    options: BuildOptions = {},
  ): Record<string, unknown> {
    const activity = this.base(user, place, options);
    const mention = place.kind !== 'personal' && options.mention !== false;
    const mentionText = `<at>${this.bot.name}</at>`;
    activity.type = 'message';
    activity.textFormat = 'plain';
    activity.text = mention ? `${mentionText} ${text}` : text;
    if (mention) {
      (activity.entities as unknown[]).unshift({
        type: 'mention',
        mentioned: { id: this.bot.id, name: this.bot.name },
        text: mentionText,
      });
    }
    return activity;
  }

  /** An Action.Execute press on the card in message `cardMessageId`. */
  invoke(
    user: TeamsUser,
    place: Place,
    verb: string,
    data: Record<string, unknown>,
    cardMessageId: string,
    options: BuildOptions & { trigger?: 'manual' | 'automatic' } = {},
  ): Record<string, unknown> {
    const activity = this.base(user, place, options);
    activity.type = 'invoke';
    activity.name = 'adaptiveCard/action';
    activity.replyToId = cardMessageId;
    activity.value = {
      action: { type: 'Action.Execute', verb, data },
      trigger: options.trigger ?? 'manual',
    };
    return activity;
  }

  /** A raw invoke with any value, for malformed-input tests. */
  rawInvoke(
    user: TeamsUser,
    place: Place,
    value: unknown,
    cardMessageId = 'm-0',
  ): Record<string, unknown> {
    const activity = this.base(user, place, {});
    activity.type = 'invoke';
    activity.name = 'adaptiveCard/action';
    activity.replyToId = cardMessageId;
    activity.value = value;
    return activity;
  }

  /** What Teams sends when the app is added to a chat or team. */
  botAdded(user: TeamsUser, place: Place, options: BuildOptions = {}): Record<string, unknown> {
    const activity = this.base(user, place, options);
    activity.type = 'conversationUpdate';
    activity.membersAdded = [{ id: this.bot.id }];
    return activity;
  }

  installed(user: TeamsUser, place: Place, options: BuildOptions = {}): Record<string, unknown> {
    const activity = this.base(user, place, options);
    activity.type = 'installationUpdate';
    activity.action = 'add';
    return activity;
  }
}
