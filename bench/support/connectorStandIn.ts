import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A Bot Framework connector stand-in on 127.0.0.1: the bots under test send their
 * replies and proactive messages here (activity.serviceUrl). It answers like the
 * Teams connector (200/201 with `{id}`) and keeps only what the bench needs: counts,
 * and the last few activities per conversation so a driver can read the card a
 * reply carried (pick ids, confirm actions).
 */
export interface StandInActivity {
  type?: string;
  id?: string;
  text?: string;
  attachments?: Array<{ contentType?: string; content?: unknown }>;
  [key: string]: unknown;
}

export interface ConnectorStandIn {
  url: string;
  /** Activities received (sends, replies, updates), all conversations. */
  received(): number;
  /** 1:1 conversations created (proactive passcode deliveries start with this). */
  conversationsCreated(): number;
  /** The most recent activities posted or updated in a conversation, oldest first. */
  recent(conversationId: string): StandInActivity[];
  /** Called for every activity posted or updated (delivery-lag measurements). */
  onActivity?: (conversationId: string, activity: StandInActivity) => void;
  close(): Promise<void>;
}

const KEPT_PER_CONVERSATION = 4;
const KEPT_CONVERSATIONS = 5_000;
const ACTIVITY_PATH = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/?]+))?\/?(?:\?.*)?$/;
const CONVERSATIONS_PATH = /^\/v3\/conversations\/?(?:\?.*)?$/;

export async function startConnectorStandIn(): Promise<ConnectorStandIn> {
  const recentByConversation = new Map<string, StandInActivity[]>();
  let received = 0;
  let created = 0;
  let nextId = 1;

  const keep = (conversationId: string, activity: StandInActivity): void => {
    let list = recentByConversation.get(conversationId);
    if (!list) {
      if (recentByConversation.size >= KEPT_CONVERSATIONS) {
        const oldest = recentByConversation.keys().next();
        if (!oldest.done) recentByConversation.delete(oldest.value);
      }
      list = [];
      recentByConversation.set(conversationId, list);
    }
    list.push(activity);
    if (list.length > KEPT_PER_CONVERSATION) list.shift();
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readJson(req);
    const path = req.url ?? '/';
    const activityMatch = ACTIVITY_PATH.exec(path);
    if (activityMatch && (req.method === 'POST' || req.method === 'PUT')) {
      const conversationId = decodeURIComponent(activityMatch[1] ?? '');
      const activity = (body ?? {}) as StandInActivity;
      const id = req.method === 'PUT' ? (activityMatch[2] ?? `${nextId++}`) : `act-${nextId++}`;
      received++;
      keep(conversationId, { ...activity, id });
      standIn.onActivity?.(conversationId, activity);
      return answer(res, req.method === 'POST' ? 201 : 200, { id });
    }
    if (activityMatch && req.method === 'DELETE') return answer(res, 200, {});
    if (CONVERSATIONS_PATH.test(path) && req.method === 'POST') {
      created++;
      return answer(res, 201, { id: `a:standin-${nextId++}`, activityId: `act-${nextId++}` });
    }
    return answer(res, 404, { error: { code: 'NotFound', message: `${req.method} ${path}` } });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => answer(res, 500, { error: { code: 'StandInFailure' } }));
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  const standIn: ConnectorStandIn = {
    url: `http://127.0.0.1:${port}/`,
    received: () => received,
    conversationsCreated: () => created,
    recent: (conversationId) => [...(recentByConversation.get(conversationId) ?? [])],
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  return standIn;
}

function answer(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}
