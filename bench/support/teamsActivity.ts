import { randomUUID } from 'node:crypto';

/**
 * Activities shaped as Teams sends them to a bot (channelId msteams, the sender's
 * aadObjectId, conversation.tenantId, clientInfo locale), so the bot under test
 * walks its real path: tenant check, technician lookup, locale.
 */
export interface Technician {
  /** Teams user id (29:...). */
  userId: string;
  aadObjectId: string;
  name: string;
  tenantId: string;
  /** The technician's 1:1 conversation with the bot. */
  conversationId: string;
  locale: string;
}

export const BENCH_BOT_ID = '28:bench-bot';

export function makeTechnician(index: number, tenantId: string, runTag: string): Technician {
  const hex = index.toString(16).padStart(12, '0');
  return {
    userId: `29:bench-${runTag}-${index}`,
    aadObjectId: `be0c0000-0000-4000-8000-${hex}`,
    name: `Bench Technician ${index}`,
    tenantId,
    conversationId: `a:bench-${runTag}-${index}`,
    locale: index % 2 === 0 ? 'en-US' : 'zh-TW',
  };
}

function common(tech: Technician, serviceUrl: string): Record<string, unknown> {
  const now = new Date();
  return {
    id: `f:${randomUUID()}`,
    timestamp: now.toISOString(),
    localTimestamp: now.toISOString(),
    serviceUrl,
    channelId: 'msteams',
    from: { id: tech.userId, name: tech.name, aadObjectId: tech.aadObjectId },
    conversation: {
      conversationType: 'personal',
      tenantId: tech.tenantId,
      id: tech.conversationId,
    },
    recipient: { id: BENCH_BOT_ID, name: 'Passcode Desk' },
    locale: tech.locale,
    entities: [
      {
        type: 'clientInfo',
        locale: tech.locale,
        country: 'US',
        platform: 'Web',
        timezone: 'Asia/Taipei',
      },
    ],
    channelData: { tenant: { id: tech.tenantId } },
  };
}

export function messageActivity(
  tech: Technician,
  serviceUrl: string,
  text: string,
): Record<string, unknown> {
  return { ...common(tech, serviceUrl), type: 'message', textFormat: 'plain', text };
}

/** An Action.Execute press (Universal Actions), as Teams delivers it. */
export function cardActionInvoke(
  tech: Technician,
  serviceUrl: string,
  verb: string,
  data: unknown,
  replyToId?: string,
): Record<string, unknown> {
  return {
    ...common(tech, serviceUrl),
    type: 'invoke',
    name: 'adaptiveCard/action',
    ...(replyToId ? { replyToId } : {}),
    value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
  };
}

/** The first Action.Execute with this verb anywhere in a card (or any JSON), with its data. */
export function findExecuteAction(
  json: unknown,
  verb: string,
): { verb: string; data: unknown } | undefined {
  if (Array.isArray(json)) {
    for (const item of json) {
      const found = findExecuteAction(item, verb);
      if (found) return found;
    }
    return undefined;
  }
  if (!json || typeof json !== 'object') return undefined;
  const node = json as Record<string, unknown>;
  if (node.type === 'Action.Execute' && node.verb === verb) return { verb, data: node.data ?? {} };
  for (const value of Object.values(node)) {
    const found = findExecuteAction(value, verb);
    if (found) return found;
  }
  return undefined;
}
