import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EmulatorHandle, EmulatorOptions, GraphBehaviour } from './api';
import { toGraphRequest, type GraphRequest, type GraphResponse } from './graphRequest';
import { execute } from './pipeline';
import { EmulatorState } from './state';
import { syntheticDevices } from './synthetic';
import { readTenantFile, resolveRelativeTimes } from './tenant';
import type { TenantData } from './tenantData';

export type { EmulatorHandle, EmulatorOptions } from './api';
export { readTenantFile } from './tenant';

const DEFAULT_RESET_DELAY_MS = 3000;
const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** Starts the Intune Graph emulator on 127.0.0.1 (port 0 = any free port, the default). */
export async function startEmulator(options: EmulatorOptions = {}): Promise<EmulatorHandle> {
  const now = options.now ?? Date.now;
  const source: TenantData = options.tenant ?? readTenantFile(options.tenantFile);
  const tenant = resolveRelativeTimes(source, now());
  if (options.syntheticDevices) {
    tenant.managedDevices.push(...syntheticDevices(options.syntheticDevices, now()));
  }
  const state = new EmulatorState(tenant, now, {
    latencyMs: options.latencyMs ?? 0,
    resetDelayMs: options.resetDelayMs ?? DEFAULT_RESET_DELAY_MS,
    log: options.log ?? false,
    deviceIndexes: options.deviceIndexes ?? true,
  });
  applyBehaviour(state, options);

  const server = createServer((req, res) => {
    serve(state, req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'InternalServerError', message: String(error) } }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  state.baseUrl = `http://127.0.0.1:${port}`;

  return {
    url: state.baseUrl,
    port,
    requests: state.requests,
    tenantId: state.tenantId,
    resetRequests: () => {
      state.requests.length = 0;
    },
    throttle: (count, retryAfterSeconds, pathPattern) =>
      state.faults.throttle(count, retryAfterSeconds, pathPattern),
    fault: (count, status, pathPattern, retryAfterSeconds) =>
      state.faults.fault(count, status, pathPattern, retryAfterSeconds),
    slow: (count, delayMs, pathPattern) => state.faults.slow(count, delayMs, pathPattern),
    hold: (count, pathPattern) => state.faults.hold(count, pathPattern),
    held: () => state.faults.heldCount(),
    release: () => state.faults.release(),
    setBehaviour: (change) => applyBehaviour(state, change),
    setLatency: (ms) => {
      state.latencyMs = Math.max(0, ms);
    },
    setResetDelay: (ms) => {
      state.resetDelayMs = Math.max(0, ms);
    },
    setResetOutcome: (deviceId, outcome) => {
      if (!state.devices.get(deviceId)) throw new Error(`Unknown device ${deviceId}`);
      state.resets.setNextOutcome(deviceId, outcome);
    },
    completeReset: (deviceId, resetState = 'done', errorCode) =>
      state.resets.complete(deviceId, resetState, errorCode),
    resetCalls: (deviceId) => state.resets.callCount(deviceId),
    close: () =>
      new Promise<void>((resolve, reject) => {
        state.faults.release();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function applyBehaviour(
  state: EmulatorState,
  change: Partial<Omit<GraphBehaviour, 'permissions'>> & {
    permissions?: GraphBehaviour['permissions'] | null;
  },
): void {
  const { permissions, listRowsDiffer, passcodeOnlyOnBeta, pinRecovery, maskOmaValues } = change;
  const behaviour = state.behaviour;
  if (permissions === null) delete behaviour.permissions;
  else if (permissions !== undefined)
    behaviour.permissions = permissions === 'token' ? 'token' : [...permissions];
  if (listRowsDiffer !== undefined) behaviour.listRowsDiffer = listRowsDiffer;
  if (passcodeOnlyOnBeta !== undefined) behaviour.passcodeOnlyOnBeta = passcodeOnlyOnBeta;
  if (pinRecovery !== undefined) behaviour.pinRecovery = pinRecovery;
  if (maskOmaValues !== undefined) behaviour.maskOmaValues = maskOmaValues;
}

async function serve(
  state: EmulatorState,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const headers = flattenHeaders(req);
  const body = await readBody(req);
  const request = toGraphRequest({
    method: req.method ?? 'GET',
    url: req.url ?? '/',
    headers,
    body: undefined,
    inBatch: false,
    ...(headers.authorization === undefined ? {} : { authorization: headers.authorization }),
  });
  const parsed = body.tooLarge ? undefined : parseJson(body.text);
  if (parsed?.ok) request.body = parsed.value;
  else {
    // Answered after the auth check, like every other problem with a request.
    request.problem ??= body.tooLarge
      ? { status: 413, message: 'The request body is too large.' }
      : {
          status: 400,
          message:
            'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.',
        };
  }
  const response = execute(state, request);
  const delayMs = state.latencyMs + state.faults.takeDelay(request.url);
  if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
  await state.faults.takeHold(request.url);
  write(res, request, response);
}

function write(res: ServerResponse, request: GraphRequest, response: GraphResponse): void {
  const headers: Record<string, string> = {
    'request-id': request.requestId,
    'client-request-id': request.clientRequestId,
    'Cache-Control': 'no-cache',
    ...(response.headers ?? {}),
  };
  if (response.body === undefined) {
    res.writeHead(response.status, headers);
    res.end();
    return;
  }
  const text = JSON.stringify(response.body);
  headers['Content-Type'] =
    'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';
  headers['Content-Length'] = String(Buffer.byteLength(text));
  res.writeHead(response.status, headers);
  res.end(text);
}

function flattenHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined)
      out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

async function readBody(req: IncomingMessage): Promise<{ text: string; tooLarge: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) tooLarge = true;
    else chunks.push(buffer);
  }
  return { text: Buffer.concat(chunks).toString('utf8'), tooLarge };
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}
