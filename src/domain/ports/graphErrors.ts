import { IntuneError } from './intune';

/**
 * Worth trying again later: throttling, timeouts, Graph/server trouble and anything
 * that is not a Graph answer at all (network). A 4xx answer is Graph's final word.
 */
export function isTransient(error: unknown): boolean {
  if (!(error instanceof IntuneError)) return true;
  return error.status === 0 || error.status === 408 || error.status === 429 || error.status >= 500;
}

export const requestIdOf = (error: unknown): string | undefined =>
  error instanceof IntuneError ? error.requestId : undefined;

/** Seconds Graph asked us to wait, when it was throttling. */
export function retryAfterOf(error: unknown): number | undefined {
  if (!(error instanceof IntuneError)) return undefined;
  if (error.retryAfterSeconds !== undefined) return error.retryAfterSeconds;
  return error.isThrottled || error.status === 503 ? 30 : undefined;
}
