/**
 * domain/ports: the interfaces the domain owns: Intune, storage (+ ETag writes), messenger, clock,
 * metrics, audit entry, Graph errors. What code outside the folder may use.
 */
export type { AuditAction, AuditEntry } from './audit';
export { addMs, MINUTE_MS, systemClock } from './clock';
export type { Clock } from './clock';
export { isTransient, requestIdOf, retryAfterOf } from './graphErrors';
export { IntuneError, InvalidQueryError } from './intune';
export type {
  DeviceSearchResult,
  GraphCallInfo,
  Intune,
  PersonMatch,
  PinRecoverySource,
  PrerequisiteCheck,
  PrerequisiteId,
  PrerequisiteReport,
  ResetResultOrError,
} from './intune';
export { DeliveryError } from './messenger';
export type { Audience, Messenger, NotificationKind, SentMessage } from './messenger';
export { noMetrics } from './metrics';
export type { DeliveryKind, Metrics, ResetOutcome } from './metrics';
export { ConcurrencyError, PasscodeRefusedError } from './storage';
export type { AuditLog, DocumentStore, PutOptions, StoredDocument, Stores } from './storage';
export {
  lostEveryRace,
  putIfAbsent,
  putIfUnchanged,
  updateWithRetry,
  writeWithEtag,
} from './storeWrites';
export { hasUnsafeCharacters, mapWithConcurrency, MAX_QUERY_LENGTH, Passcode } from '../shared';
export type { ActionState, Device, ResetResult } from '../shared';
