import type { ConversationReference } from 'botbuilder';
import type { ResetJob, Passcode } from '../domain/shared';
import {
  DeliveryError,
  type Audience,
  type Messenger,
  type NotificationKind,
  type SentMessage,
} from '../domain/ports';
import type { SettingsRepository } from '../domain/records';
import { resolveLocale } from '../i18n';
import type { Logger } from '../logger';
import type { CardViewStore } from './cardViews';
import type { ConversationDirectory, StoredUser } from './directory';
import type { Proactive } from './proactive';
import type { BotSettings } from './services';
import { conversationKey } from './turn';
import { errorName } from '../domain/audit';
import { approvalDecidedSpec, approvalRequestSpec } from './views/approvalViews';
import { cardActivity, render, type ViewContext } from './views/cardSpec';
import {
  jobOriginSpec,
  notificationSpec,
  passcodeComingSpec,
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
}

interface ChannelTarget {
  key: string;
  reference: Partial<ConversationReference>;
  ctx: ViewContext;
}

/** With no helpdesk channel, approval cards go privately to at most this many approvers. */
const MAX_PRIVATE_APPROVERS = 25;

/**
 * The domain's Messenger over Bot Framework proactive messaging. The passcode is revealed
 * in exactly one place (deliverPasscode), as an update of a message already posted in the
 * requester's 1:1 chat, and kept nowhere.
 */
export class BotMessenger implements Messenger {
  constructor(private readonly parts: BotMessengerParts) {}

  async preparePasscodeMessage(job: ResetJob): Promise<SentMessage> {
    const user = await this.requester(job);
    const card = render(passcodeComingSpec(this.userContext(job, user), job));
    return this.parts.proactive.sendPrivately(user, cardActivity(card));
  }

  async deliverPasscode(
    job: ResetJob,
    passcode: Passcode,
    message: SentMessage,
    options: { hideAt: string; reRead?: boolean },
  ): Promise<void> {
    const user = await this.requester(job);
    const card = render(
      passcodeSpec(this.userContext(job, user), job, passcode.reveal(), {
        hideAt: options.hideAt,
        visibleMinutes: this.parts.settings.passcodeVisibleMinutes,
        ...(options.reRead ? { reRead: true } : {}),
        ...this.ticketLink(),
      }),
    );
    await this.parts.proactive.update(
      message.conversationKey,
      message.messageId,
      cardActivity(card),
    );
  }

  async hidePasscode(job: ResetJob, message: SentMessage): Promise<void> {
    const user = await this.parts.directory.getUser(job.tenantId, job.requester.aadObjectId);
    const spec = passcodeHiddenSpec(
      this.userContext(job, user),
      job,
      this.parts.settings.passcodeVisibleMinutes,
      this.parts.settings.ticketUrlTemplate,
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

  async requestApproval(
    job: ResetJob,
    isApprover: (tenantId: string, aadObjectId: string) => Promise<boolean>,
  ): Promise<SentMessage[]> {
    const options = this.parts.settings;
    const channel = await this.helpdeskChannel();
    if (channel) {
      const card = render(approvalRequestSpec(channel.ctx, job, options));
      const messageId = await this.parts.proactive.sendTo(channel.reference, cardActivity(card));
      return [{ conversationKey: channel.key, messageId }];
    }
    // No channel: privately to each approver the bot can reach (never the requester).
    const people = (await this.parts.directory.listUsers(job.tenantId)).filter(
      (user) => user.aadObjectId !== job.requester.aadObjectId,
    );
    const sent: SentMessage[] = [];
    for (const user of people) {
      if (sent.length >= MAX_PRIVATE_APPROVERS) break;
      if (!(await isApprover(job.tenantId, user.aadObjectId))) continue;
      const spec = approvalRequestSpec(this.personContext(user), job, options);
      try {
        sent.push(await this.parts.proactive.sendPrivately(user, cardActivity(render(spec))));
      } catch (error) {
        this.parts.logger.warn({ err: errorName(error) }, 'Could not send an approval card');
      }
    }
    if (sent.length === 0) {
      throw new DeliveryError('No helpdesk channel and no approver reachable', undefined, false);
    }
    return sent;
  }

  async updateApprovalCards(job: ResetJob): Promise<void> {
    const channel = this.configuredChannelTarget();
    for (const card of job.approval?.cards ?? []) {
      const stored = await this.parts.directory.getConversation(card.conversationKey);
      const reference =
        stored?.reference ??
        (card.conversationKey === channel?.key ? channel.reference : undefined);
      if (!reference) continue;
      const ctx: ViewContext = stored
        ? {
            locale: resolveLocale(stored.locale),
            ...(stored.timeZone ? { timeZone: stored.timeZone } : {}),
          }
        : { locale: 'en' };
      const spec = approvalDecidedSpec(ctx, job, this.parts.settings);
      await this.parts.proactive.updateAt(reference, card.messageId, cardActivity(render(spec)));
    }
  }

  private ticketLink(): { ticketUrlTemplate?: string } {
    const template = this.parts.settings.ticketUrlTemplate;
    return template ? { ticketUrlTemplate: template } : {};
  }

  private personContext(user: StoredUser): ViewContext {
    return {
      locale: resolveLocale(user.locale),
      ...(user.timeZone ? { timeZone: user.timeZone } : {}),
    };
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
          key: setting.conversationKey,
          reference: stored.reference,
          ctx: {
            locale: resolveLocale(stored.locale),
            ...(stored.timeZone ? { timeZone: stored.timeZone } : {}),
          },
        };
      }
      this.parts.logger.warn('The helpdesk channel setting points at an unknown conversation');
    }
    return this.configuredChannelTarget();
  }

  /** HELPDESK_CHANNEL_ID + HELPDESK_SERVICE_URL, when set. */
  private configuredChannelTarget(): ChannelTarget | undefined {
    const configured = this.parts.configuredChannel;
    if (!configured) return undefined;
    return {
      key: conversationKey(configured.conversationId),
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
