import {
  TurnContext,
  type Activity,
  type CloudAdapter,
  type ConversationParameters,
  type ConversationReference,
} from 'botbuilder';
import { DeliveryError, type SentMessage } from '../domain/ports';
import type { Logger } from '../logger';
import type { ConversationDirectory, StoredUser } from './directory';
import { conversationKey } from './turn';

/** The HTTP status of a connector failure, wherever the SDK put it. */
export function connectorStatus(error: unknown): number | undefined {
  const e = error as
    { statusCode?: unknown; status?: unknown; response?: { status?: unknown } } | undefined;
  const status = e?.statusCode ?? e?.status ?? e?.response?.status;
  return typeof status === 'number' ? status : undefined;
}

/**
 * A DeliveryError that names the status and code only: a connector error object can carry
 * the request it failed on, and that request may hold a passcode.
 */
export function toDeliveryError(error: unknown, what: string): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const status = connectorStatus(error);
  const code = (error as { code?: unknown } | undefined)?.code;
  const detail = [status, typeof code === 'string' ? code : undefined]
    .filter((p) => p !== undefined)
    .join(' ');
  return new DeliveryError(
    `${what} failed${detail ? ` (${detail})` : ''}`,
    status,
    status === 403 || status === 404,
  );
}

/**
 * A proactive turn's activity id is made up by the SDK (a random id, or the new chat's
 * id); left in place, every send would be a "reply" to it. Posting a new message is what
 * is meant.
 */
function asNewMessage(context: TurnContext, activity: Partial<Activity>): Partial<Activity> {
  delete (context.activity as Partial<Activity>).id;
  return activity;
}

/**
 * Sends, updates and deletes messages outside a turn, from stored conversation
 * references: `continueConversationAsync` into known chats, `createConversationAsync`
 * for a 1:1 chat with someone the bot has only met in a group or channel.
 */
export class Proactive {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
    private readonly directory: ConversationDirectory,
    private readonly logger: Logger,
  ) {}

  async referenceFor(key: string): Promise<Partial<ConversationReference>> {
    const stored = await this.directory.getConversation(key);
    if (!stored) throw new DeliveryError('No stored conversation to write to', undefined, true);
    return stored.reference;
  }

  /**
   * Runs `logic` in a proactive turn. The adapter hands errors thrown inside a turn to
   * onTurnError (which swallows them); they are caught here instead so callers see them.
   */
  private async continueWith(
    reference: Partial<ConversationReference>,
    what: string,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<void> {
    let failure: unknown;
    try {
      await this.adapter.continueConversationAsync(this.appId, reference, async (context) => {
        try {
          await logic(context);
        } catch (error) {
          failure = error;
        }
      });
    } catch (error) {
      failure = error;
    }
    if (failure !== undefined) throw toDeliveryError(failure, what);
  }

  async sendTo(
    reference: Partial<ConversationReference>,
    activity: Partial<Activity>,
  ): Promise<string> {
    let id: string | undefined;
    await this.continueWith(reference, 'Sending a message', async (context) => {
      id = (await context.sendActivity(asNewMessage(context, activity)))?.id;
    });
    if (!id) throw new DeliveryError('The connector returned no message id', undefined, false);
    return id;
  }

  async send(key: string, activity: Partial<Activity>): Promise<string> {
    return this.sendTo(await this.referenceFor(key), activity);
  }

  async update(key: string, messageId: string, activity: Partial<Activity>): Promise<void> {
    await this.updateAt(await this.referenceFor(key), messageId, activity);
  }

  async updateAt(
    reference: Partial<ConversationReference>,
    messageId: string,
    activity: Partial<Activity>,
  ): Promise<void> {
    await this.continueWith(reference, 'Updating a message', async (context) => {
      await context.updateActivity({ ...activity, id: messageId });
    });
  }

  /**
   * Sends to the user's 1:1 chat with the bot: the stored one, or a new one created
   * through the connector (Teams hands back the existing chat when there is one).
   */
  async sendPrivately(user: StoredUser, activity: Partial<Activity>): Promise<SentMessage> {
    if (user.personalConversationKey) {
      try {
        const messageId = await this.send(user.personalConversationKey, activity);
        return { conversationKey: user.personalConversationKey, messageId };
      } catch (error) {
        const status = error instanceof DeliveryError ? error.status : undefined;
        // A stale 1:1 reference: try creating the chat again; anything else is final here.
        if (status !== 403 && status !== 404 && status !== undefined) throw error;
        this.logger.warn({ status }, 'Stored 1:1 chat failed; creating it again');
      }
    }
    return this.createPersonalAndSend(user, activity);
  }

  private async createPersonalAndSend(
    user: StoredUser,
    activity: Partial<Activity>,
  ): Promise<SentMessage> {
    const parameters = {
      isGroup: false,
      bot: user.bot,
      members: [{ id: user.teamsUserId }],
      tenantId: user.tenantId,
      channelData: { tenant: { id: user.tenantId } },
    } as ConversationParameters;
    let sent: SentMessage | undefined;
    let failure: unknown;
    try {
      await this.adapter.createConversationAsync(
        this.appId,
        'msteams',
        user.serviceUrl,
        '',
        parameters,
        async (context) => {
          try {
            const reference = TurnContext.getConversationReference(context.activity);
            delete reference.activityId;
            // The create event names no user; later sends to this chat address the technician.
            reference.user = {
              id: user.teamsUserId,
              name: user.name ?? '',
              aadObjectId: user.aadObjectId,
            };
            reference.conversation = { ...reference.conversation!, conversationType: 'personal' };
            const key = conversationKey(context.activity.conversation.id);
            await this.directory.rememberPersonalConversation(user, key, reference);
            const messageId = (await context.sendActivity(asNewMessage(context, activity)))?.id;
            if (messageId) sent = { conversationKey: key, messageId };
          } catch (error) {
            // Inside the turn an error would reach onTurnError and vanish: keep it.
            failure = error;
          }
        },
      );
    } catch (error) {
      failure = error;
    }
    if (failure !== undefined) throw toDeliveryError(failure, 'Opening a private chat');
    if (!sent) throw new DeliveryError('The connector returned no message id', undefined, false);
    return sent;
  }
}
