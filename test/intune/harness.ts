import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  EmulatorHandle,
  EmulatorOptions,
  EmulatorRequestRecord,
} from '../../src/emulator/api';
import { readTenantFile, startEmulator } from '../../src/emulator/server';
import { DevTokenSource, type TokenSource } from '../../src/intune/credentials';
import { GraphIntune, type GraphIntuneOptions } from '../../src/intune/graphIntune';

export { readTenantFile };

/** Fast settings for tests: no base back-off, Retry-After is still honoured. */
export const FAST: Partial<GraphIntuneOptions> = {
  retryDelaySeconds: 0,
  maxRetries: 3,
  requestTimeoutMs: 5000,
};

export interface Rig {
  emulator: EmulatorHandle;
  intune: GraphIntune;
  /** Requests that went over the wire (not $batch sub-requests). */
  topLevel(): EmulatorRequestRecord[];
  subRequests(): EmulatorRequestRecord[];
}

export async function startRig(
  emulatorOptions: EmulatorOptions = {},
  intuneOptions: Partial<GraphIntuneOptions> = {},
  tokenSource?: TokenSource,
): Promise<Rig> {
  const emulator = await startEmulator(emulatorOptions);
  const intune = new GraphIntune({
    ...FAST,
    ...intuneOptions,
    baseUrl: emulator.url,
    tokenSource: tokenSource ?? new DevTokenSource(emulator.url),
  });
  return {
    emulator,
    intune,
    topLevel: () => emulator.requests.filter((r) => !r.inBatch),
    subRequests: () => emulator.requests.filter((r) => r.inBatch),
  };
}

export interface RecordedRequest {
  method: string;
  url: string;
  authorization?: string;
  body: string;
}

export interface StandIn {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/**
 * A hand-written Graph stand-in on loopback, for behaviour the emulator rightly
 * does not have (a Graph that ignores a filter, a foreign nextLink). It records
 * every request and answers with `answer` ('hang': not at all).
 */
export async function startStandIn(
  answer: (request: RecordedRequest, origin: string) => { status: number; body?: unknown } | 'hang',
): Promise<StandIn> {
  const requests: RecordedRequest[] = [];
  let origin = '';
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        body: Buffer.concat(chunks).toString('utf8'),
        ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
      };
      requests.push(recorded);
      const answered = answer(recorded, origin);
      if (answered === 'hang') return; // never answers; close() drops the connection
      const { status, body } = answered;
      res.writeHead(status, body === undefined ? {} : { 'Content-Type': 'application/json' });
      res.end(body === undefined ? undefined : JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: origin,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
