import { IntuneError } from '../domain/ports';

const MAX_DETAIL = 240;

/** Things that must never reach a report even if a library puts them in an error message. */
const SECRET_PATTERNS: Array<[RegExp, string]> = [
  [/Bearer\s+[\w\-.~+/=]+/gi, 'Bearer [redacted]'],
  [/eyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]*/g, '[token]'],
  [
    /\b(sig|AccountKey|SharedAccessSignature|password|secret|client_secret|client_assertion|access_token|refresh_token|code)=([^&;\s"']+)/gi,
    '$1=[redacted]',
  ],
];

/** Redacts tokens, keys and the given secret values from a text, and keeps it short. */
export function redact(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join('[redacted]');
  }
  for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
  out = out.replace(/\s+/g, ' ').trim();
  return out.length > MAX_DETAIL ? `${out.slice(0, MAX_DETAIL - 3)}...` : out;
}

/** A one-line, secret-free description of a failure for a report's detail. */
export function errorDetail(error: unknown, secrets: readonly (string | undefined)[] = []): string {
  if (error instanceof IntuneError) {
    const status = error.status ? `${error.status} ` : '';
    return redact(`${status}${error.code}: ${error.message}`, secrets);
  }
  if (error instanceof Error) return redact(`${error.name}: ${error.message}`, secrets);
  return redact(String(error), secrets);
}

export class ReadinessTimeoutError extends Error {
  constructor(what: string, ms: number) {
    super(`${what}: no answer within ${ms} ms`);
    this.name = 'ReadinessTimeoutError';
  }
}

/** Rejects after `ms`; the work itself may go on in the background, its result unused. */
export function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ReadinessTimeoutError(what, ms)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
