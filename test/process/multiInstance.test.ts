import assert from 'node:assert/strict';
import type { AuditEntry } from '../../src/domain/ports/audit';
import { BlobBots, DEVICE } from './support/blobBots';

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Two bot processes (node dist/src/index.js) share one Blob container. Instance A takes a
 * reset, tracks it under its lease, and is SIGKILLed before Intune finishes; instance B,
 * running all along, leaves the job alone while A's lease lives, takes it over once it
 * expired, and delivers the passcode exactly once.
 */
describe('process: two instances on one Blob store (STORAGE=blob, Azurite)', function () {
  this.timeout(60_000);
  let stack: BlobBots | undefined;

  afterEach(async () => {
    await stack?.close();
    stack = undefined;
  });

  it('SIGKILL of the tracking instance mid-reset: the other takes over after its lease expires and delivers exactly once', async () => {
    stack = await BlobBots.start();
    const s = stack;
    const a = await s.startBot();
    await s.requestReset(a);
    const tracked = await s.jobWhere(
      (j) => j.state === 'submitted' && !!j.trackedBy && !j.lease,
      'instance A to submit and track the reset',
    );
    assert.equal(s.emulator.resetCalls(DEVICE), 1);
    const ownerA = tracked.trackedBy!.owner;
    assert.ok(ownerA.includes(`:${a.pid}:`), `A names itself host:pid:suffix, got ${ownerA}`);

    const b = await s.startBot();
    // B runs its cycles meanwhile, yet A keeps the job: A renews its lease, B never takes it.
    const renewed = await s.jobWhere(
      (j) => j.trackedBy?.until !== tracked.trackedBy!.until,
      'instance A to renew its lease while B runs',
    );
    assert.equal(renewed.trackedBy?.owner, ownerA);

    assert.equal((await a.kill('SIGKILL')).signal, 'SIGKILL');
    // A write A had already sent may still land: read its last lease once that is over.
    await settle(500);
    const lastLease = (await s.job())?.trackedBy;
    assert.equal(lastLease?.owner, ownerA);

    s.emulator.completeReset(DEVICE);
    const passcode = await s.passcodeFromGraph();
    await s.connector.waitFor(
      () => s.deliveriesOf(passcode).length > 0,
      30_000,
      'the passcode delivery by instance B',
    );
    const delivered = await s.jobWhere((j) => j.delivery?.state === 'sent', 'the delivery record');
    assert.ok(
      delivered.trackedBy?.owner.includes(`:${b.pid}:`),
      `B tracks the job now, got ${delivered.trackedBy?.owner}`,
    );
    const sent = (await s.stores.audit.recent(200)).find(
      (e: AuditEntry) => e.action === 'deliver' && e.outcome === 'sent',
    );
    assert.ok(sent, 'the delivery is audited');
    assert.ok(
      Date.parse(sent.at) >= Date.parse(lastLease!.until),
      `B acted only after A's lease expired (${sent.at} < ${lastLease!.until})`,
    );

    // Give a duplicate (another cycle of B, a replayed send) the chance to happen.
    await settle(3_000);
    assert.equal(s.emulator.resetCalls(DEVICE), 1, 'exactly one resetPasscode on Intune');
    const deliveries = s.deliveriesOf(passcode);
    assert.equal(deliveries.length, 1, 'exactly one passcode message');
    // Put into a message posted (and stored) without it: never a post, which may be repeated.
    assert.equal(deliveries[0]!.kind, 'update');

    await b.kill('SIGTERM');
    assert.equal((await s.everythingStored()).includes(passcode), false, 'the passcode is stored');
    for (const bot of [a, b]) {
      assert.ok(bot.stdout.length > 0, 'the bot logged something');
      assert.equal((bot.stdout + bot.stderr).includes(passcode), false, 'the passcode is logged');
    }
  });
});
