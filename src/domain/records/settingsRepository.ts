import type { DocumentStore } from '../ports';

export const SETTINGS_COLLECTION = 'settings';
const HELPDESK_CHANNEL_KEY = 'helpdeskChannel';

/** Where 'helpdeskChannel' notifications go, as an admin set it with "notify here". */
export interface HelpdeskChannelSetting {
  /** The bot layer's key of the stored Bot Framework conversation reference. */
  conversationKey: string;
  setBy: { aadObjectId: string; upn?: string };
  setAt: string;
}

/**
 * Settings people change at run time. The bot layer's Messenger reads the helpdesk
 * channel here first and falls back to the HELPDESK_CHANNEL_ID setting.
 */
export class SettingsRepository {
  constructor(private readonly store: DocumentStore) {}

  async getHelpdeskChannel(): Promise<HelpdeskChannelSetting | undefined> {
    return (await this.store.get<HelpdeskChannelSetting>(SETTINGS_COLLECTION, HELPDESK_CHANNEL_KEY))
      ?.value;
  }

  async setHelpdeskChannel(setting: HelpdeskChannelSetting): Promise<void> {
    await this.store.put(SETTINGS_COLLECTION, HELPDESK_CHANNEL_KEY, setting);
  }
}
