import { ENTRA_OBJECT_ID } from '../domain/access';

/**
 * The identities on an authenticated activity, checked before anything reads them: Teams
 * sends channelId "msteams", the same tenant in conversation.tenantId and
 * channelData.tenant.id, and ids of known shapes and sizes. An activity that differs
 * was not sent by Teams for this bot; it is refused with nothing kept but one bounded
 * audit entry. No botbuilder import: this reads the raw activity.
 */
export type ActivityRefusalReason = 'channelNotAllowed' | 'tenantMismatch' | 'malformedIds';

export interface ActivityIdentityProblem {
  reason: ActivityRefusalReason;
  /** The field that is wrong (a name from this file, never the value). */
  field: string;
  /** The channelId, when it is short and plain enough to be worth recording. */
  channelId?: string;
}

export const DEFAULT_ALLOWED_CHANNEL_IDS: readonly string[] = ['msteams'];

/**
 * Teams user and bot ids ("29:1…", "28:<app id>") are about 100 characters; conversation
 * ids ("a:1…", "19:…@thread.v2;messageid=…") a few hundred at most. Printable ASCII, no spaces.
 */
const ACCOUNT_ID = /^[A-Za-z0-9][\x21-\x7e]{0,255}$/;
const CONVERSATION_ID = /^[A-Za-z0-9][\x21-\x7e]{0,511}$/;
/** A channel name such as msteams, webchat, directline, emulator. */
const PLAIN_CHANNEL_ID = /^[a-z0-9-]{1,32}$/i;

type Json = Record<string, unknown>;
const objectOf = (value: unknown): Json =>
  typeof value === 'object' && value !== null ? (value as Json) : {};
const present = (value: unknown): value is string => typeof value === 'string' && value !== '';

/** Why `activity` is not what Teams sends (undefined when it is). */
export function activityIdentityProblem(
  activity: unknown,
  allowedChannelIds: readonly string[] = DEFAULT_ALLOWED_CHANNEL_IDS,
): ActivityIdentityProblem | undefined {
  const a = objectOf(activity);
  const channelId = typeof a.channelId === 'string' ? a.channelId : '';
  if (!allowedChannelIds.some((allowed) => allowed.toLowerCase() === channelId.toLowerCase())) {
    return {
      reason: 'channelNotAllowed',
      field: 'channelId',
      ...(PLAIN_CHANNEL_ID.test(channelId) ? { channelId } : {}),
    };
  }
  const from = objectOf(a.from);
  const recipient = objectOf(a.recipient);
  const conversation = objectOf(a.conversation);
  const tenant = objectOf(objectOf(a.channelData).tenant);
  const shapes: Array<[string, unknown, RegExp]> = [
    ['from.id', from.id, ACCOUNT_ID],
    ['from.aadObjectId', from.aadObjectId, ENTRA_OBJECT_ID],
    ['recipient.id', recipient.id, ACCOUNT_ID],
    ['conversation.id', conversation.id, CONVERSATION_ID],
    ['conversation.tenantId', conversation.tenantId, ENTRA_OBJECT_ID],
    ['channelData.tenant.id', tenant.id, ENTRA_OBJECT_ID],
  ];
  for (const [field, value, shape] of shapes) {
    if (present(value) && !shape.test(value)) return { reason: 'malformedIds', field };
  }
  if (
    present(conversation.tenantId) &&
    present(tenant.id) &&
    conversation.tenantId.toLowerCase() !== tenant.id.toLowerCase()
  ) {
    return { reason: 'tenantMismatch', field: 'conversation.tenantId' };
  }
  return undefined;
}

/** The tenant and Entra ids of a refused activity that are safe to record (validated). */
export function validatedIds(activity: unknown): { tenantId?: string; aadObjectId?: string } {
  const a = objectOf(activity);
  const aadObjectId = objectOf(a.from).aadObjectId;
  const tenantIds = [
    objectOf(a.conversation).tenantId,
    objectOf(objectOf(a.channelData).tenant).id,
  ];
  const tenantId = tenantIds.find((id): id is string => present(id) && ENTRA_OBJECT_ID.test(id));
  return {
    ...(tenantId ? { tenantId } : {}),
    ...(present(aadObjectId) && ENTRA_OBJECT_ID.test(aadObjectId) ? { aadObjectId } : {}),
  };
}
