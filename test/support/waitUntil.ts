import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Polls until `condition` holds: tests wait for the state they need, never for a fixed time.
 * The timeout is only an upper bound, generous for a busy 2-core machine.
 */
export async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await sleep(20);
  }
}
