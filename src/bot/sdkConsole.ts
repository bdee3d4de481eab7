import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger } from '../logger';

/**
 * The Bot Framework SDK writes some refusals straight to the console: CloudAdapter
 * `console.error`s every failed authentication with its stack, the token extractor prints
 * "jwt expired" errors and the signing keys it knows. Those are expected answers (a 401),
 * not faults, and raw multi-line text breaks the one-JSON-object-per-line log. While a
 * request is processed, such console lines go to the app's logger instead: one warn line
 * with the first line of the text (or the error's name and message), never a stack.
 */
const requestLogger = new AsyncLocalStorage<Logger>();
let installed = false;

const MAX_TEXT = 200;

function firstLine(value: unknown): string {
  return String(value).split('\n')[0]!.slice(0, MAX_TEXT);
}

function describe(args: unknown[]): { name?: string; message: string } {
  const [first] = args;
  if (first instanceof Error) return { name: first.name, message: firstLine(first.message) };
  return { message: firstLine(first) };
}

function install(): void {
  if (installed) return;
  installed = true;
  for (const level of ['error', 'warn'] as const) {
    const original = console[level].bind(console);
    console[level] = (...args: unknown[]): void => {
      const logger = requestLogger.getStore();
      if (!logger) return original(...args);
      logger.warn({ sdk: describe(args) }, 'The Bot Framework SDK reported a refusal or problem');
    };
  }
}

/** Runs `work` (one request's processing) with the SDK's console lines sent to `logger`. */
export function withSdkConsoleTo<T>(logger: Logger, work: () => Promise<T>): Promise<T> {
  install();
  return requestLogger.run(logger, work);
}
