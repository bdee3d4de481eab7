import type { ConversationReference } from 'botbuilder';
import type { ResetJob } from '../domain/job';
import {
  DeliveryError,
  type Audience,
  type Messenger,
  type NotificationKind,
  type SentMessage,
} from '../domain/messenger';
import type { Passcode } from '../domain/passcode';
import type { SettingsRepository } from '../domain/settingsRepository';
import { resolveLocale } from '../i18n';
import type { Logger } from '../logger';
import type { CardViewStore } from './cardViews';
import type { ConversationDirectory, StoredUser } from './directory';
import type { Proactive } from './proactive';
import type { BotSettings } from './services';
import { cardActivity, render, type ViewContext } from './views/cardSpec';
import {
  jobOriginSpec,
  notificationSpec,
  passcodeHiddenSpec,
  passcodeSpec,
} from './views/jobViews';

/** HELPDESK_CHANNEL_ID + HELPDESK_SERVICE_URL, used when no admin ran "notify here". */
export interface ConfiguredChannel {
  conversationId: string;
  serviceUrl: string;
  botId: string;
  tenantId?: string;
}

export interface BotMessengerParts {
  proactive: Proactive;
  directory: ConversationDirectory;
  cardViews: CardViewStore;
  settingsRepository: SettingsRepository;
  configuredChannel?: ConfiguredChannel;
  settings: BotSettings;
  logger: Logger;
  now?: () => Date;
}

interface ChannelTarget {
  reference: Partial<ConversationReference>;
  ctx: ViewContext;
}

/**
 * The domain's Messenger over Bot Framework proactive messaging. The passcode is revealed
 * in exactly one place (deliverPasscode), into the requester's 1:1 chat, and kept nowhere.
 */
export class BotMessenger implements Messenger {
  constructor(private readonly parts: BotMessengerParts) {}

  async deliverPasscode(
    job: ResetJob,
    passcode: Passcode,
    options: { reRead?: boolean } = {},
  ): Promise<SentMessage> {
    const user = await this.requester(job);
    const now = this.parts.now?.() ?? new Date();
    const visibleMinutes = this.parts.settings.passcodeVisibleMinutes;
    const hideAt = new Date(now.getTime() + visibleMinutes * 60_000).toISOString();
    const card = render(
      passcodeSpec(this.userContext(job, user), job, passcode.reveal(), {
        hideAt,
        visibleMinutes,
        ...(options.reRead ? { reRead: true } : {}),
      }),
    );
    return this.parts.proactive.sendPrivately(user, cardActivity(card));
  }

  async hidePasscode(job: ResetJob, message: SentMessage): Promise<void> {
    const user = await this.parts.directory.getUser(job.tenantId, job.requester.aadObjectId);
    const spec = passcodeHiddenSpec(
      this.userContext(job, user),
      job,
      this.parts.settings.passcodeVisibleMinutes,
    );
    await this.parts.proactive.update(
      message.conversationKey,
      message.messageId,
      cardActivity(render(spec)),
    );
  }

  async updateOriginCard(job: ResetJob): Promise<void> {
    const messageId = job.origin.activityId;
    if (!messageId) return;
    const user = await this.parts.directory.getUser(job.tenantId, job.requester.aadObjectId);
    const spec = jobOriginSpec(this.userContext(job, user), job, this.parts.settings);
    const shared = job.origin.kind !== 'personal';
    const card = render(spec, shared ? user?.teamsUserId : undefined);
    await this.parts.proactive.update(job.origin.key, messageId, cardActivity(card));
    if (shared) {
      await this.parts.cardViews.rememberBase(
        job.origin.key,
        messageId,
        job.requester.aadObjectId,
        {
          kind: 'card',
          spec,
        },
      );
    }
  }

  async notify(kind: NotificationKind, audience: Audience, job: ResetJob): Promise<void> {
    if (audience === 'requester') {
      const user = await this.requester(job);
      const spec = notificationSpec(this.userContext(job, user), kind, job, this.parts.settings);
      await this.parts.proactive.sendPrivately(user, cardActivity(render(spec)));
      return;
    }
    const channel = await this.helpdeskChannel();
    if (!channel) return;
    const spec = notificationSpec(channel.ctx, kind, job, {
      ...this.parts.settings,
      forChannel: true,
    });
    await this.parts.proactive.sendTo(channel.reference, cardActivity(render(spec)));
  }

  private async requester(job: ResetJob): Promise<StoredUser> {
    const user = await this.parts.directory.getUser(job.tenantId, job.requester.aadObjectId);
    // Without an address the bot cannot open a chat until the technician writes to it again.
    if (!user)
      throw new DeliveryError('The requester has no stored Teams address', undefined, true);
    return user;
  }

  private userContext(job: ResetJob, user: StoredUser | undefined): ViewContext {
    return {
      locale: resolveLocale(job.requester.locale),
      ...(user?.timeZone ? { timeZone: user.timeZone } : {}),
    };
  }

  /** The channel an admin chose with "notify here", else the configured one, else none. */
  private async helpdeskChannel(): Promise<ChannelTarget | undefined> {
    const setting = await this.parts.settingsRepository.getHelpdeskChannel();
    if (setting) {
      const stored = await this.parts.directory.getConversation(setting.conversationKey);
      if (stored) {
        return {
          reference: stored.reference,
          ctx: {
            locale: resolveLocale(stored.locale),
            ...(stored.timeZone ? { timeZone: stored.timeZone } : {}),
          },
        };
      }
      this.parts.logger.warn('The helpdesk channel setting points at an unknown conversation');
    }
    const configured = this.parts.configuredChannel;
    if (!configured) return undefined;
    return {
      reference: {
        channelId: 'msteams',
        serviceUrl: configured.serviceUrl,
        bot: { id: configured.botId, name: '' },
        conversation: {
          id: configured.conversationId,
          isGroup: true,
          conversationType: 'channel',
          name: '',
          ...(configured.tenantId ? { tenantId: configured.tenantId } : {}),
        },
      },
      ctx: { locale: 'en' },
    };
  }
}
