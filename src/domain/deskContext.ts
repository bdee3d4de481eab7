import type { AuditLog } from '../store/ports';
import type { Actor, ConversationPointer } from './actor';
import type { AuditEntry } from './audit';
import type { Authorization } from './authorization';
import type { CoreContext } from './coreContext';
import type { DeviceLockRepository } from './deviceLockRepository';
import type { PendingActionRepository } from './pendingActionRepository';
import type { PickRepository } from './pickRepository';
import type { RateLimits } from './rateLimits';
import type { SettingsRepository } from './settingsRepository';

/** What the Desk's operations share. */
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
