import type { Intune } from '../intune/intune';
import type { Logger } from '../logger';
import type { AuditLog } from '../store/ports';
import type { Actor, ConversationPointer } from './actor';
import type { AuditEntry } from './audit';
import type { AuditWriter } from './auditWriter';
import type { Authorization } from './authorization';
import type { Clock } from './clock';
import type { DeskSettings } from './deskSettings';
import type { DeviceLockRepository } from './deviceLockRepository';
import type { IntuneAccess } from './intuneAccess';
import type { JobRepository } from './jobRepository';
import type { Messenger } from './messenger';
import type { PendingActionRepository } from './pendingActionRepository';
import type { PickRepository } from './pickRepository';
import type { RateLimits } from './rateLimits';
import type { SettingsRepository } from './settingsRepository';

/** What the Desk's operations share. */
export interface DeskContext {
  settings: DeskSettings;
  intune: Intune;
  /** Which Intune a technician's action uses (the app's, or their own token's). */
  access: IntuneAccess;
  messenger: Messenger;
  clock: Clock;
  logger: Logger;
  audit: AuditWriter;
  auditLog: AuditLog<AuditEntry>;
  auth: Authorization;
  jobs: JobRepository;
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
