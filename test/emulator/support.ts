import type { EmulatorHandle } from '../../src/emulator/api';

export const AUTH = 'Bearer emulator-test-token';

export interface Reply {
  status: number;
  headers: Headers;
  // Graph JSON is loosely typed; tests read it structurally.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export interface CallOptions {
  method?: string;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  /** Leave the Authorization header out. */
  anonymous?: boolean;
}

/** A real HTTP call to the emulator; `path` is relative to its base URL or absolute. */
export async function call(
  emulator: EmulatorHandle,
  path: string,
  options: CallOptions = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (!options.anonymous) headers.Authorization ??= AUTH;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['Content-Type'] = 'application/json';
  }
  const url = path.startsWith('http') ? path : `${emulator.url}${path}`;
  const response = await fetch(url, {
    method: options.method ?? 'GET',
    headers,
    ...(body === undefined ? {} : { body }),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? JSON.parse(text) : undefined,
  };
}

/** `$filter` query string for a managedDevices list, encoded as a client would. */
export function devicesWhere(filter: string, version = 'beta', extra = ''): string {
  return `/${version}/deviceManagement/managedDevices?$filter=${encodeURIComponent(filter)}${extra}`;
}

/** Ids of the devices in a list reply. */
export function ids(reply: Reply): string[] {
  return (reply.body.value as Array<{ id: string }>).map((d) => d.id);
}

/** A clock tests move by hand, so reset progress needs no sleeping. */
export class ManualClock {
  constructor(public ms = Date.parse('2026-03-01T09:00:00Z')) {}
  readonly now = (): number => this.ms;
  advance(ms: number): void {
    this.ms += ms;
  }
}
