/**
 * domain/shared: the nouns every capability shares: device, job, actor, passcode (hidden), reset
 * result, text input rules. What code outside the folder may use.
 */
export type { Actor, ConversationKind, ConversationPointer, Role } from './actor';
export type { ActionState, Device } from './device';
export { isFinalState } from './job';
export type {
  Audience,
  DeviceSummary,
  JobState,
  NotificationKind,
  OutboxEntry,
  Person,
  ResetJob,
} from './job';
export { mapWithConcurrency } from './mapWithConcurrency';
export { isOpaqueId, newOpaqueId } from './opaqueId';
export { Passcode } from './passcode';
export type { ResetResult } from './resetResult';
export {
  cleanText,
  hasUnsafeCharacters,
  MAX_QUERY_LENGTH,
  MAX_TICKET_REF_LENGTH,
  neutralisedText,
  withoutInvisibleCharacters,
} from './textInput';
export { UserToken } from './userToken';
