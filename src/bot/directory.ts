import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { TurnContext, type ConversationReference } from 'botbuilder';
import type { ConversationKind } from '../domain/shared';
import { writeWithEtag, type DocumentStore } from '../domain/ports';
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
 * something changed, so chatty turns don't turn into a write each. Every write is
 * ETag-conditional and built from the version it replaces: several instances share the
 * store, and one must never drop another's fields (a welcome mark, a 1:1 chat).
 */
export class ConversationDirectory {
  constructor(private readonly documents: DocumentStore) {}

  async remember(context: TurnContext, turn: TurnInfo): Promise<void> {
    const activity = context.activity;
    if (!activity.conversation?.id || !activity.serviceUrl) return;
    const reference = TurnContext.getConversationReference(activity);
    delete reference.activityId;
    await this.write<StoredConversation>(CONVERSATIONS_COLLECTION, turn.where.key, (stored) => ({
      reference,
      kind: turn.where.kind,
      tenantId: turn.actor.tenantId,
      locale: turn.actor.locale,
      ...(turn.timeZone ? { timeZone: turn.timeZone } : {}),
      ...(stored?.welcomedAt ? { welcomedAt: stored.welcomedAt } : {}),
    }));
    if (!turn.actor.aadObjectId || !turn.teamsUserId || activity.from?.role === 'bot') return;
    const key = userKey(turn.actor.tenantId, turn.actor.aadObjectId);
    await this.write<StoredUser>(USERS_COLLECTION, key, (known) => {
      const personalConversationKey =
        turn.where.kind === 'personal' ? turn.where.key : known?.personalConversationKey;
      return {
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
      };
    });
  }

  async getConversation(key: string): Promise<StoredConversation | undefined> {
    return (await this.documents.get<StoredConversation>(CONVERSATIONS_COLLECTION, key))?.value;
  }

  async getUser(tenantId: string, aadObjectId: string): Promise<StoredUser | undefined> {
    return (await this.documents.get<StoredUser>(USERS_COLLECTION, userKey(tenantId, aadObjectId)))
      ?.value;
  }

  /** Everyone of the tenant the bot has met (and so can reach privately). */
  async listUsers(tenantId: string): Promise<StoredUser[]> {
    const wanted = tenantId.toLowerCase();
    return (await this.documents.list<StoredUser>(USERS_COLLECTION))
      .map((doc) => doc.value)
      .filter((user) => user.tenantId.toLowerCase() === wanted);
  }

  /** A 1:1 chat the bot just created for a user it had only met in a group or channel. */
  async rememberPersonalConversation(
    user: StoredUser,
    key: string,
    reference: Partial<ConversationReference>,
  ): Promise<void> {
    await this.write<StoredConversation>(CONVERSATIONS_COLLECTION, key, (stored) => ({
      reference,
      kind: 'personal',
      tenantId: user.tenantId,
      locale: user.locale,
      ...(user.timeZone ? { timeZone: user.timeZone } : {}),
      ...(stored?.welcomedAt ? { welcomedAt: stored.welcomedAt } : {}),
    }));
    // The latest record of the user, as another instance may have just updated it.
    await this.write<StoredUser>(
      USERS_COLLECTION,
      userKey(user.tenantId, user.aadObjectId),
      (stored) => {
        const { updatedAt: _updatedAt, ...rest } = stored ?? user;
        return { ...rest, personalConversationKey: key };
      },
    );
  }

  /**
   * True the first time it is asked for a conversation: one welcome per conversation,
   * also across instances (the mark is a conditional write; of two racing, one wins).
   */
  async markWelcomed(key: string, now: Date = new Date()): Promise<boolean> {
    const marked = await writeWithEtag<StoredConversation>(
      this.documents,
      CONVERSATIONS_COLLECTION,
      key,
      (stored) =>
        !stored || stored.value.welcomedAt
          ? undefined
          : { ...stored.value, welcomedAt: now.toISOString() },
      MAX_WRITE_ATTEMPTS,
    );
    return marked !== undefined;
  }

  /**
   * Writes `build(the stored value)` unless that changes nothing, on condition that the
   * stored version is still the one it was built from (or, for a new key, that there is
   * none yet); on a conflict it re-reads and builds again.
   */
  private async write<T extends { updatedAt: string }>(
    collection: string,
    key: string,
    build: (stored: T | undefined) => Omit<T, 'updatedAt'>,
  ): Promise<void> {
    await writeWithEtag<T>(
      this.documents,
      collection,
      key,
      (stored) => {
        const value = build(stored?.value);
        if (stored) {
          const { updatedAt: _updatedAt, ...current } = stored.value;
          // Compared as stored: JSON drops undefined fields (a reference has some).
          if (isDeepStrictEqual(current, JSON.parse(JSON.stringify(value)))) return undefined;
        }
        return { ...value, updatedAt: new Date().toISOString() } as T;
      },
      MAX_WRITE_ATTEMPTS,
    );
  }
}
