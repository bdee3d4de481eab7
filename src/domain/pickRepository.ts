import type { DocumentStore } from '../store/ports';

export const PICKS_COLLECTION = 'picks';

/** What a Pick button's opaque id stands for, bound to who searched and where. */
export interface PickRecord {
  tenantId: string;
  aadObjectId: string;
  conversationKey: string;
  deviceId: string;
  createdAt: string;
  expiresAt: string;
}

export class PickRepository {
  constructor(private readonly store: DocumentStore) {}

  async get(pickId: string): Promise<PickRecord | undefined> {
    return (await this.store.get<PickRecord>(PICKS_COLLECTION, pickId))?.value;
  }

  async create(pickId: string, pick: PickRecord): Promise<void> {
    await this.store.put(PICKS_COLLECTION, pickId, pick, { ifNoneMatch: '*' });
  }
}
