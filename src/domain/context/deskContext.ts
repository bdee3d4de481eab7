import type { AuditLog, AuditEntry } from '../ports';
import type { Actor, ConversationPointer } from '../shared';
import type { Authorization } from '../access';
import type { CoreContext } from './coreContext';
import type {
  DeviceLockRepository,
  PendingActionRepository,
  PickRepository,
  RateLimits,
  SettingsRepository,
} from '../records';

/**
 * The desk side's parts, composed in createDesk. Each operation takes only the parts it uses
 * (a Pick of them, named beside it), so its signature says what it touches.
 */
export interface DeskContext extends CoreContext {
  auditLog: AuditLog<AuditEntry>;
  auth: Authorization;
  picks: PickRepository;
  pendingActions: PendingActionRepository;
  deviceLocks: DeviceLockRepository;
  rateLimits: RateLimits;
  settingsStore: SettingsRepository;
  /** Starts the tracker's next cycle now (submission right after a confirm). */
  wakeTracker: () => void;
}

/** A record made for `actor` in conversation `where` belongs to them only. */
export function boundTo(
  record: { tenantId: string; aadObjectId: string; conversationKey?: string },
  actor: Actor,
  where?: ConversationPointer,
): boolean {
  return (
    record.tenantId === actor.tenantId &&
    record.aadObjectId === actor.aadObjectId &&
    (where === undefined || record.conversationKey === where.key)
  );
}
