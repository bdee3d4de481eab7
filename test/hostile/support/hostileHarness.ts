import assert from 'node:assert/strict';
import type { AuditEntry } from '../../../src/domain/ports/audit';
import type { Clock } from '../../../src/domain/ports/clock';
import type { ActivityLike } from '../../support/connectorStandIn';
import { personalChat } from '../../support/teamsActivities';
import {
  cardOf,
  cardText,
  PEOPLE,
  TeamsHarness,
  type TeamsHarnessOptions,
} from '../../support/teamsHarness';
import { hostileTenant } from './hostileTenant';
export { waitUntil } from '../../support/waitUntil';

/** The app's clock, moved forward by tests (expiry) while time otherwise runs normally. */
export class MovableClock implements Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  advanceMinutes(minutes: number): void {
    this.offsetMs += minutes * 60_000;
  }
}

/** The whole bot on real parts (see TeamsHarness) with the hostile tenant in the emulator. */
export function startHostile(options: TeamsHarnessOptions = {}): Promise<TeamsHarness> {
  return TeamsHarness.start({
    ...options,
    emulator: { tenant: hostileTenant(), ...options.emulator },
  });
}

const READ_ONLY_POSTS = /\/checkMemberGroups$|\/\$batch$/;

/** Graph requests that change something (anything but GETs, group checks and read batches). */
export function graphWrites(h: TeamsHarness): string[] {
  return h.emulator.requests
    .filter((r) => r.method !== 'GET' && !READ_ONLY_POSTS.test(r.url.split('?')[0] ?? ''))
    .map((r) => `${r.method} ${r.url}`);
}

/** Every reset POST Graph accepted, for any device. */
export function resetPosts(h: TeamsHarness): number {
  return h.emulator.requests.filter((r) => r.method === 'POST' && /resetPasscode/.test(r.url))
    .length;
}

/** After an attack: a normal `help` still answers and /healthz says the process is alive. */
export async function assertHealthy(h: TeamsHarness): Promise<void> {
  const health = await fetch(`${h.app.url}/healthz`);
  assert.equal(health.status, 200, '/healthz after the attack');
  const replies = await h.say(
    h.activities.message(PEOPLE.megan, personalChat(PEOPLE.megan), 'help'),
  );
  assert.match(repliesText(replies), /What I can do/, 'a normal help still answers');
}

/**
 * Runs one attack and checks what every case promises: exactly `writes` Graph writes
 * happened (none, unless the case is a legitimate reset carrying hostile data) and the
 * process is still healthy.
 */
export async function guarded(
  h: TeamsHarness,
  attack: () => Promise<void>,
  options: { writes?: number } = {},
): Promise<void> {
  const before = graphWrites(h).length;
  await attack();
  // A reset is sent by the tracker after the turn: count the writes once a whole cycle has
  // run after the attack (what it started has ended), not right after the answer.
  await h.app.tracker.runOnce();
  const writes = graphWrites(h).slice(before);
  assert.equal(writes.length, options.writes ?? 0, `Graph writes: ${writes.join(', ')}`);
  await assertHealthy(h);
}

/** What a person reads in the cards of some replies. */
export function repliesText(replies: ActivityLike[]): string {
  return replies.map((reply) => cardText(cardOf(reply))).join('\n');
}

/** The newest audit entries, newest first. */
export function recentAudit(h: TeamsHarness, count = 20): Promise<AuditEntry[]> {
  return h.app.stores.audit.recent(count);
}

/** Every log line is one JSON object on one line, with no raw terminal escapes. */
export function assertLogsWellFormed(h: TeamsHarness): void {
  for (const line of h.logs) {
    const body = line.replace(/\n$/, '');
    // eslint-disable-next-line no-control-regex
    assert.ok(!/[\r\n\u001b]/.test(body), `a log line holds a raw control character: ${body}`);
    assert.doesNotThrow(() => JSON.parse(body), `not one JSON line: ${body}`);
  }
}
