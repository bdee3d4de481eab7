import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { Request, Response, Server } from 'restify';
import { silentLogger } from '../../src/logger';
import { createServer, listen, shutdownServer, TurnGate } from '../../src/server';
import { personalChat, TeamsActivities, teamsUser } from '../support/teamsActivities';
import { BlobBots, DEVICE } from './support/blobBots';
import type { BotProcess } from './support/botProcess';

/** Rejects when `promise` takes longer than `ms`: a bound, not a measurement. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

describe('process: graceful stop on SIGTERM (node dist/src/index.js, STORAGE=blob)', function () {
  this.timeout(150_000);
  let stack: BlobBots | undefined;

  afterEach(async () => {
    await stack?.close();
    stack = undefined;
  });

  it('mid-tracking: exits 0 promptly, gives its lease back, and the other instance takes the job at once and delivers once', async () => {
    stack = await BlobBots.start();
    const s = stack;
    // A long lease on A (2 minutes), quick cycles on B: taking over "at once" and "after
    // expiry" are far apart, even on a busy machine.
    const a = await s.startBot({ TRACKER_INTERVAL_SECONDS: '30' });
    await s.requestReset(a);
    const tracked = await s.jobWhere(
      (j) => j.state === 'submitted' && !!j.trackedBy && !j.lease,
      'instance A to submit and track the reset',
    );
    const leaseA = tracked.trackedBy!;
    assert.ok(leaseA.owner.includes(`:${a.pid}:`));
    const b = await s.startBot({ TRACKER_INTERVAL_SECONDS: '1' });
    // B runs whole cycles meanwhile but leaves A's job alone.
    await b.trackerCycles(2);
    assert.equal((await s.job())?.trackedBy?.owner, leaseA.owner);

    const exit = await within(a.kill('SIGTERM'), 30_000, 'stopping on SIGTERM');
    assert.deepEqual(exit, { code: 0, signal: null }, a.stderr);
    assert.match(a.stdout, /"released":1,.*"msg":"Released job leases"/);
    assert.notEqual((await s.job())?.trackedBy?.owner, leaseA.owner, 'A gave its lease back');

    const takenOver = await s.jobWhere(
      (j) => !!j.trackedBy?.owner.includes(`:${b.pid}:`),
      'instance B to track the job',
    );
    assert.ok(
      Date.now() < Date.parse(leaseA.until),
      `B took the job over before A's lease would have expired (${leaseA.until})`,
    );
    // Still the same reset, not restarted: B may already have read Graph's "pending".
    assert.ok(['submitted', 'pending'].includes(takenOver.state), takenOver.state);

    s.emulator.completeReset(DEVICE);
    const passcode = await s.passcodeFromGraph();
    await s.connector.waitFor(() => s.deliveriesOf(passcode).length > 0, 60_000, 'the delivery');
    // A duplicate would have happened by the end of B's next two cycles.
    await b.trackerCycles(2);
    assert.equal(s.deliveriesOf(passcode).length, 1, 'exactly one passcode message');
    assert.equal(s.emulator.resetCalls(DEVICE), 1);
    await expectCleanStop(b);
  });

  it('idle: answers /readyz 200, then exits 0 on SIGTERM and on SIGINT', async () => {
    stack = await BlobBots.start();
    const s = stack;
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const bot = await s.startBot();
      const ready = await fetch(`${bot.url}/readyz`);
      assert.deepEqual([ready.status, await ready.json()], [200, { status: 'ready' }]);
      const exit = await within(bot.kill(signal), 30_000, `stopping on ${signal}`);
      assert.deepEqual(exit, { code: 0, signal: null }, bot.stderr);
    }
  });

  async function expectCleanStop(bot: BotProcess): Promise<void> {
    const exit = await within(bot.kill('SIGTERM'), 30_000, 'stopping on SIGTERM');
    assert.deepEqual(exit, { code: 0, signal: null }, bot.stderr);
  }
});

describe('server: stopping (restify on loopback)', () => {
  const activities = new TeamsActivities('http://127.0.0.1:9/', 'tenant');
  const user = teamsUser('00000000-0000-4000-8000-000000000001', 'Megan Bowen');
  let server: Server | undefined;

  afterEach(async () => {
    server?.close();
    (server?.server as { closeAllConnections?: () => void } | undefined)?.closeAllConnections?.();
    server = undefined;
  });

  /** A server whose turns wait until the test lets them finish. */
  async function serverWithHeldTurns(turns: TurnGate) {
    const held: Array<() => void> = [];
    let started = 0;
    server = createServer({
      turns,
      logger: silentLogger,
      readiness: [{ name: 'store', ping: async () => undefined }],
      processMessage: async (_req: Request, res: Response) => {
        started++;
        await new Promise<void>((resolve) => held.push(resolve));
        res.send(200, { finished: true });
      },
    });
    const url = await listen(server, 0, '127.0.0.1');
    const post = () =>
      fetch(`${url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(activities.message(user, personalChat(user), 'status')),
      });
    const until = async (predicate: () => boolean) => {
      while (!predicate()) await new Promise((resolve) => setTimeout(resolve, 10));
    };
    return { url, held, post, startedCount: () => started, until };
  }

  it('answers 503 to new messages and to /readyz once stopping, while a turn in flight runs to the end', async () => {
    const turns = new TurnGate();
    const rig = await serverWithHeldTurns(turns);
    assert.equal((await fetch(`${rig.url}/readyz`)).status, 200);
    const inFlight = rig.post();
    await rig.until(() => rig.startedCount() === 1);

    turns.stop();
    const ready = await fetch(`${rig.url}/readyz`);
    assert.deepEqual([ready.status, await ready.json()], [503, { status: 'stopping' }]);
    const refused = await rig.post();
    assert.equal(refused.status, 503);
    assert.equal(refused.headers.get('retry-after'), '5');
    assert.equal(rig.startedCount(), 1, 'the refused message never reached the bot');

    const stopped = shutdownServer(server!, turns, 10_000);
    rig.held.shift()?.();
    const finished = await inFlight;
    assert.deepEqual([finished.status, await finished.json()], [200, { finished: true }]);
    assert.equal(await stopped, true, 'every turn finished');
    await assert.rejects(fetch(`${rig.url}/healthz`), 'no longer listening');
  });

  it('stops listening at once and cuts off a turn still running after the grace period', async () => {
    const turns = new TurnGate();
    const rig = await serverWithHeldTurns(turns);
    const port = (server!.address() as AddressInfo).port;
    const hung = rig.post();
    await rig.until(() => rig.startedCount() === 1);
    const stopped = shutdownServer(server!, turns, 300);
    await assert.rejects(fetch(`http://127.0.0.1:${port}/healthz`), 'no new connections');
    assert.equal(await stopped, false, 'a turn was still running');
    await assert.rejects(hung, 'the hung turn was cut off');
    rig.held.shift()?.();
  });
});
