import { createHash } from 'node:crypto';
import { TurnContext, type ConversationReference } from 'botbuilder';
import type { ConversationKind } from '../domain/actor';
import { ConcurrencyError, type DocumentStore } from '../store/ports';
import type { TurnInfo } from './turn';

export const CONVERSATIONS_COLLECTION = 'conversations';
export const USERS_COLLECTION = 'users';
const MAX_WRITE_ATTEMPTS = 5;

/** A conversation the bot can write to later (proactive messages, card updates). */
export interface StoredConversation {
  reference: Partial<ConversationReference>;
  kind: ConversationKind;
  tenantId: string;
  /** Locale and time zone of the last person who wrote there: used for channel notices. */
  locale: string;
  timeZone?: string;
  welcomedAt?: string;
  updatedAt: string;
}

/** What it takes to reach one technician privately later. */
export interface StoredUser {
  teamsUserId: string;
  aadObjectId: string;
  name?: string;
  tenantId: string;
  serviceUrl: string;
  bot: { id: string; name?: string };
  personalConversationKey?: string;
  locale: string;
  timeZone?: string;
  updatedAt: string;
}

export function userKey(tenantId: string, aadObjectId: string): string {
  const id = `${tenantId.toLowerCase()}|${aadObjectId.toLowerCase()}`;
  return `u-${createHash('sha256').update(id).digest('hex').slice(0, 40)}`;
}

/**
 * Remembers conversation references and users as activities arrive. Writes only when
 * something changed (a cache of what this instance last wrote), so chatty turns don't
 * turn into a write each.
 */
export class ConversationDirectory {
  private readonly lastWritten = new Map<string, string>();

  constructor(private readonly documents: DocumentStore) {}

  async remember(context: TurnContext, turn: TurnInfo): Promise<void> {
    const activity = context.activity;
    if (!activity.conversation?.id || !activity.serviceUrl) return;
    const reference = TurnContext.getConversationReference(activity);
    delete reference.activityId;
    const existing = await this.getConversation(turn.where.key);
    await this.write(CONVERSATIONS_COLLECTION, turn.where.key, {
      reference,
      kind: turn.where.kind,
      tenantId: turn.actor.tenantId,
      locale: turn.actor.locale,
      ...(turn.timeZone ? { timeZone: turn.timeZone } : {}),
      ...(existing?.welcomedAt ? { welcomedAt: existing.welcomedAt } : {}),
    });
    if (!turn.actor.aadObjectId || !turn.teamsUserId || activity.from?.role === 'bot') return;
    const key = userKey(turn.actor.tenantId, turn.actor.aadObjectId);
    const known = await this.getUser(turn.actor.tenantId, turn.actor.aadObjectId);
    const personalConversationKey =
      turn.where.kind === 'personal' ? turn.where.key : known?.personalConversationKey;
    await this.write(USERS_COLLECTION, key, {
      teamsUserId: turn.teamsUserId,
      aadObjectId: turn.actor.aadObjectId,
      ...(turn.actor.displayName ? { name: turn.actor.displayName } : {}),
      tenantId: turn.actor.tenantId,
      serviceUrl: activity.serviceUrl,
      bot: {
        id: activity.recipient.id,
        ...(activity.recipient.name ? { name: activity.recipient.name } : {}),
      },
      ...(personalConversationKey ? { personalConversationKey } : {}),
      locale: turn.actor.locale,
      ...(turn.timeZone ? { timeZone: turn.timeZone } : {}),
    });
  }

  async getConversation(key: string): Promise<StoredConversation | undefined> {
    return (await this.documents.get<StoredConversation>(CONVERSATIONS_COLLECTION, key))?.value;
  }

  async getUser(tenantId: string, aadObjectId: string): Promise<StoredUser | undefined> {
    return (await this.documents.get<StoredUser>(USERS_COLLECTION, userKey(tenantId, aadObjectId)))
      ?.value;
  }

  /** A 1:1 chat the bot just created for a user it had only met in a group or channel. */
  async rememberPersonalConversation(
    user: StoredUser,
    key: string,
    reference: Partial<ConversationReference>,
  ): Promise<void> {
    await this.write(CONVERSATIONS_COLLECTION, key, {
      reference,
      kind: 'personal',
      tenantId: user.tenantId,
      locale: user.locale,
      ...(user.timeZone ? { timeZone: user.timeZone } : {}),
    });
    const { updatedAt: _updatedAt, ...rest } = user;
    await this.write(USERS_COLLECTION, userKey(user.tenantId, user.aadObjectId), {
      ...rest,
      personalConversationKey: key,
    });
  }

  /**
   * True the first time it is asked for a conversation: one welcome per conversation,
   * also across instances (the mark is a conditional write; of two racing, one wins).
   */
  async markWelcomed(key: string, now: Date = new Date()): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      const stored = await this.documents.get<StoredConversation>(CONVERSATIONS_COLLECTION, key);
      if (!stored || stored.value.welcomedAt) return false;
      try {
        await this.documents.put(
          CONVERSATIONS_COLLECTION,
          key,
          { ...stored.value, welcomedAt: now.toISOString() },
          { ifMatch: stored.etag },
        );
        this.lastWritten.delete(`${CONVERSATIONS_COLLECTION}/${key}`);
        return true;
      } catch (error) {
        if (!(error instanceof ConcurrencyError) || attempt >= MAX_WRITE_ATTEMPTS) throw error;
      }
    }
  }

  private async write(collection: string, key: string, value: object): Promise<void> {
    const fingerprint = JSON.stringify(value);
    const cacheKey = `${collection}/${key}`;
    if (this.lastWritten.get(cacheKey) === fingerprint) return;
    await this.documents.put(collection, key, { ...value, updatedAt: new Date().toISOString() });
    this.lastWritten.set(cacheKey, fingerprint);
  }
}
