import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for the Bot Framework connector (the Teams service URL): the endpoints the
 * SDK calls to create conversations and to send, reply to, update and delete activities.
 * It records every request so tests can see exactly what reached each conversation.
 */
export interface ConnectorRequest {
  method: string;
  path: string;
  /** Decoded conversation id from the path, when there is one. */
  conversationId?: string;
  /** Decoded activity id from the path, when there is one. */
  activityId?: string;
  kind: 'createConversation' | 'send' | 'reply' | 'update' | 'delete' | 'other';
  body: unknown;
  /** The raw body as received, for "this value appears nowhere" checks. */
  raw: string;
  authorization?: string;
  /** The activity id the stand-in answered with (send, reply, update). */
  responseId?: string;
  /** Teams did what was asked (posted, updated), whether or not the bot heard the answer. */
  applied?: boolean;
}

interface Failure {
  status: number;
  kind?: ConnectorRequest['kind'];
  remaining: number;
  afterApplying?: boolean;
  where?: (request: ConnectorRequest) => boolean;
}

export interface ActivityLike {
  type?: string;
  text?: string;
  id?: string;
  attachments?: Array<{ contentType?: string; content?: Record<string, unknown> }>;
  [key: string]: unknown;
}

export class ConnectorStandIn {
  readonly requests: ConnectorRequest[] = [];
  private readonly failures: Failure[] = [];
  private readonly holds: Array<(request: ConnectorRequest) => boolean> = [];
  private counter = 0;
  private waiters: Array<() => void> = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<ConnectorStandIn> {
    const ready: { standIn?: ConnectorStandIn } = {};
    const server = createServer((req, res) => void ready.standIn?.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    ready.standIn = new ConnectorStandIn(server, `http://127.0.0.1:${port}/`);
    return ready.standIn;
  }

  /**
   * The next `count` requests (of `kind`, if given) answer `status` with an error body.
   * `afterApplying`: Teams did it anyway (the message is posted or updated) and only the
   * answer is an error, as when a gateway answers 504 or the connection drops late.
   */
  fail(
    status: number,
    count = 1,
    kind?: ConnectorRequest['kind'],
    options: { afterApplying?: boolean; where?: (request: ConnectorRequest) => boolean } = {},
  ): void {
    this.failures.push({
      status,
      remaining: count,
      ...(kind ? { kind } : {}),
      ...(options.afterApplying ? { afterApplying: true } : {}),
      ...(options.where ? { where: options.where } : {}),
    });
  }

  /**
   * The next request matching `predicate` is applied (posted or updated) and never
   * answered: a send still in flight when the bot is killed.
   */
  holdNext(predicate: (request: ConnectorRequest) => boolean): void {
    this.holds.push(predicate);
  }

  /** The messages of a conversation as they show now (see shownIn), in order. */
  shown(conversationId: string): ActivityLike[] {
    return [...this.shownIn(conversationId).values()].map((raw) => JSON.parse(raw) as ActivityLike);
  }

  /**
   * What each message of a conversation shows now, by id: its post, replaced by each update
   * Teams applied to it (including those whose answer the bot never heard).
   */
  shownIn(conversationId: string): Map<string, string> {
    const shown = new Map<string, string>();
    for (const r of this.requests) {
      if (!r.applied || r.conversationId !== conversationId) continue;
      const typing = (r.body as { type?: unknown } | undefined)?.type === 'typing';
      if ((r.kind === 'send' || r.kind === 'reply') && r.responseId && !typing) {
        shown.set(r.responseId, r.raw);
      }
      if (r.kind === 'update' && r.activityId && shown.has(r.activityId)) {
        shown.set(r.activityId, r.raw);
      }
    }
    return shown;
  }

  /** Posts and replies into one conversation; typing indicators only when asked for. */
  private posted(conversationId: string, typing = false): ConnectorRequest[] {
    return this.requests.filter(
      (r) =>
        (r.kind === 'send' || r.kind === 'reply') &&
        r.conversationId === conversationId &&
        ((r.body as ActivityLike | undefined)?.type === 'typing') === typing,
    );
  }

  /** The id of the last message the bot posted into a conversation. */
  lastMessageId(conversationId: string): string | undefined {
    return this.posted(conversationId).at(-1)?.responseId;
  }

  /** Activities posted or replied into one conversation, in order (typing indicators aside). */
  sentTo(conversationId: string): ActivityLike[] {
    return this.posted(conversationId).map((r) => r.body as ActivityLike);
  }

  /** How many typing indicators the bot sent into one conversation. */
  typingIn(conversationId: string): number {
    return this.posted(conversationId, true).length;
  }

  updatesIn(conversationId: string): ConnectorRequest[] {
    return this.requests.filter((r) => r.kind === 'update' && r.conversationId === conversationId);
  }

  /** Resolves when `predicate` holds (checked after every request), or rejects after `timeoutMs`. */
  async waitFor(
    predicate: () => boolean,
    timeoutMs = 15_000,
    what = 'a connector request',
  ): Promise<void> {
    if (predicate()) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== check);
        reject(new Error(`Timed out waiting for ${what}`));
      }, timeoutMs);
      const check = (): void => {
        if (!predicate()) return;
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== check);
        resolve();
      };
      this.waiters.push(check);
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const request = this.classify(req.method ?? 'GET', path, raw, req.headers.authorization);
    this.requests.push(request);
    const hold = this.holds.findIndex((matches) => matches(request));
    const failure = this.failures.find(
      (f) =>
        f.remaining > 0 && (!f.kind || f.kind === request.kind) && (!f.where || f.where(request)),
    );
    if (hold >= 0) {
      this.holds.splice(hold, 1);
      this.apply(request);
      // Never answered: the socket closes when the bot dies or the stand-in closes.
    } else if (failure) {
      failure.remaining--;
      if (failure.afterApplying) this.apply(request);
      this.respond(res, failure.status, {
        error: { code: 'Forbidden', message: 'Stand-in failure' },
      });
    } else {
      request.applied = true;
      const [status, body] = this.answer(request);
      const id = (body as { id?: unknown }).id;
      if (typeof id === 'string' && request.kind !== 'createConversation') request.responseId = id;
      this.respond(res, status, body);
    }
    for (const waiter of [...this.waiters]) waiter();
  }

  private classify(
    method: string,
    path: string,
    raw: string,
    authorization?: string,
  ): ConnectorRequest {
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = raw;
    }
    const parts = path.split('/').filter(Boolean);
    // v3 / conversations / {conversationId} / activities / {activityId}
    const conversationId = parts[2] !== undefined ? decodeURIComponent(parts[2]) : undefined;
    const activityId = parts[4] !== undefined ? decodeURIComponent(parts[4]) : undefined;
    let kind: ConnectorRequest['kind'] = 'other';
    if (parts[0] === 'v3' && parts[1] === 'conversations') {
      if (parts.length === 2 && method === 'POST') kind = 'createConversation';
      else if (parts[3] === 'activities' && parts.length === 4 && method === 'POST') kind = 'send';
      else if (parts[3] === 'activities' && parts.length === 5) {
        kind =
          method === 'POST'
            ? 'reply'
            : method === 'PUT'
              ? 'update'
              : method === 'DELETE'
                ? 'delete'
                : 'other';
      }
    }
    return {
      method,
      path,
      kind,
      body,
      raw,
      ...(conversationId ? { conversationId } : {}),
      ...(activityId ? { activityId } : {}),
      ...(authorization ? { authorization } : {}),
    };
  }

  private answer(request: ConnectorRequest): [number, unknown] {
    switch (request.kind) {
      case 'createConversation': {
        const members =
          (request.body as { members?: Array<{ id?: string }> } | undefined)?.members ?? [];
        // Teams answers with the 1:1 chat between the bot and that user (one per user).
        return [201, { id: `a:personal-${members[0]?.id ?? 'unknown'}` }];
      }
      case 'send':
      case 'reply':
        return [201, { id: `m-${++this.counter}` }];
      case 'update':
        return [200, { id: request.activityId }];
      case 'delete':
        return [200, {}];
      default:
        return [404, { error: { code: 'NotFound', message: 'Not implemented by the stand-in' } }];
    }
  }

  /** Does what `request` asks without answering it (a later failure or silence follows). */
  private apply(request: ConnectorRequest): void {
    request.applied = true;
    const id = (this.answer(request)[1] as { id?: unknown }).id;
    if (typeof id === 'string' && request.kind !== 'createConversation') request.responseId = id;
  }

  private respond(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  }
}
