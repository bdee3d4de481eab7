import { type DocumentStore, type StoredDocument, putIfUnchanged } from '../ports';
import type { DeviceSummary } from '../shared';

export const PENDING_ACTIONS_COLLECTION = 'pendingActions';

/** A confirm card's server side: single use, bound to one technician and conversation. */
export interface PendingAction {
  id: string;
  tenantId: string;
  requester: { aadObjectId: string; upn?: string; name?: string; locale: string };
  conversationKey: string;
  deviceId: string;
  device: DeviceSummary;
  /** The device's eligibility row (platform key), for APPROVAL by platform. */
  platform?: string;
  createdAt: string;
  expiresAt: string;
  /** Set by the confirm that won; the job it created. */
  usedAt?: string;
  jobId?: string;
  cancelledAt?: string;
}

export type PendingActionDocument = StoredDocument<PendingAction>;

export class PendingActionRepository {
  constructor(private readonly store: DocumentStore) {}

  get(id: string): Promise<PendingActionDocument | undefined> {
    return this.store.get<PendingAction>(PENDING_ACTIONS_COLLECTION, id);
  }

  async create(action: PendingAction): Promise<void> {
    await this.store.put(PENDING_ACTIONS_COLLECTION, action.id, action, { ifNoneMatch: '*' });
  }

  /** The atomic claim: undefined when another confirm or cancel changed it first. */
  replace(
    doc: PendingActionDocument,
    next: PendingAction,
  ): Promise<PendingActionDocument | undefined> {
    return putIfUnchanged(this.store, PENDING_ACTIONS_COLLECTION, doc, next);
  }
}
