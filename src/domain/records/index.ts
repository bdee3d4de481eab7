/**
 * domain/records: what the desk keeps: jobs and their transitions, pending confirms, picks, device
 * locks, rate windows, settings. What code outside the folder may use.
 */
export { isOurAction } from './actionOwnership';
export { DeviceLockRepository } from './deviceLockRepository';
export { toDeviceSummary } from './deviceSummary';
export { JobRepository, JOBS_COLLECTION } from './jobRepository';
export type { JobDocument } from './jobRepository';
export { canTransition, jobStateFor, transition } from './jobTransitions';
export { PENDING_ACTIONS_COLLECTION, PendingActionRepository } from './pendingActionRepository';
export type { PendingAction, PendingActionDocument } from './pendingActionRepository';
export { PickRepository, PICKS_COLLECTION } from './pickRepository';
export { RateLimits } from './rateLimits';
export { SettingsRepository } from './settingsRepository';
