/**
 * The envelope every Bot Framework activity from Teams carries. A body without it can't
 * be answered (no conversation or service URL to answer to) or would reach the
 * handlers with wrong types, so the server refuses it with 400 before any processing.
 * No botbuilder import: this runs on the raw JSON body.
 */
export const MAX_ACTIVITY_DEPTH = 32;
const MAX_TYPE_LENGTH = 64;

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const nonEmptyString = (value: unknown): value is string =>
  typeof value === 'string' && value.trim() !== '';

/** A channel account (from, recipient) or conversation: an object with a string id. */
function accountProblem(value: unknown, name: string): string | undefined {
  if (!isObject(value) || !nonEmptyString(value.id)) return `${name}.id is missing`;
  for (const field of ['name', 'aadObjectId', 'tenantId', 'role', 'conversationType']) {
    if (value[field] !== undefined && value[field] !== null && typeof value[field] !== 'string') {
      return `${name}.${field} must be a string`;
    }
  }
  return undefined;
}

function isHttpUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

/** Deeper than `max` levels of objects/arrays (walked without recursion). */
function tooDeep(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (typeof node !== 'object' || node === null) continue;
    if (depth > max) return true;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return false;
}

const OPTIONAL_STRINGS = ['text', 'name', 'locale', 'replyToId', 'localTimezone', 'textFormat'];
const OPTIONAL_ARRAYS = ['entities', 'attachments', 'membersAdded', 'membersRemoved'];

/** Why `body` is not an activity this bot can take (undefined when it is one). */
export function activityShapeProblem(body: unknown): string | undefined {
  if (!isObject(body)) return 'the body must be a JSON object';
  if (tooDeep(body, MAX_ACTIVITY_DEPTH)) return `nested deeper than ${MAX_ACTIVITY_DEPTH} levels`;
  if (!nonEmptyString(body.type) || body.type.length > MAX_TYPE_LENGTH) return 'type is missing';
  if (!nonEmptyString(body.channelId)) return 'channelId is missing';
  if (!isHttpUrl(body.serviceUrl)) return 'serviceUrl must be an http(s) URL';
  const account =
    accountProblem(body.from, 'from') ??
    accountProblem(body.recipient, 'recipient') ??
    accountProblem(body.conversation, 'conversation');
  if (account) return account;
  for (const field of OPTIONAL_STRINGS) {
    if (body[field] !== undefined && body[field] !== null && typeof body[field] !== 'string') {
      return `${field} must be a string`;
    }
  }
  for (const field of OPTIONAL_ARRAYS) {
    const list = body[field];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list) || !list.every(isObject))
      return `${field} must be an array of objects`;
  }
  return channelDataProblem(body.channelData);
}

/** Teams' channelData: tenant, channel and team, each with a string id when present. */
function channelDataProblem(channelData: unknown): string | undefined {
  if (channelData === undefined || channelData === null) return undefined;
  if (!isObject(channelData)) return 'channelData must be an object';
  for (const field of ['tenant', 'channel', 'team']) {
    const part = channelData[field];
    if (part === undefined || part === null) continue;
    if (!isObject(part) || (part.id !== undefined && typeof part.id !== 'string')) {
      return `channelData.${field}.id must be a string`;
    }
  }
  return undefined;
}
