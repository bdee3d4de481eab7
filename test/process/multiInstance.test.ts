import assert from 'node:assert/strict';
import type { AuditEntry } from '../../src/domain/ports/audit';
import { BlobBots, DEVICE } from './support/blobBots';

/**
 * Two bot processes (node dist/src/index.js) share one Blob container. Instance A takes a
 * reset, tracks it under its lease, and is SIGKILLed before Intune finishes; instance B,
 * running all along, leaves the job alone while A's lease lives, takes it over once it
 * expired, and delivers the passcode exactly once.
 */
describe('process: two instances on one Blob store (STORAGE=blob, Azurite)', function () {
  this.timeout(150_000);
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
    // A write A had already sent may still land after its death: the lease B must respect
    // is the last one of A's the store shows before B takes the job over.
    let lastLease = renewed.trackedBy!;
    await s.jobWhere((j) => {
      if (j.trackedBy?.owner === ownerA) lastLease = j.trackedBy;
      return j.trackedBy?.owner !== ownerA;
    }, 'instance B to take the job over once A is gone');

    s.emulator.completeReset(DEVICE);
    const passcode = await s.passcodeFromGraph();
    await s.connector.waitFor(
      () => s.deliveriesOf(passcode).length > 0,
      60_000,
      'the passcode delivery by instance B',
    );
    const delivered = await s.jobWhere((j) => j.delivery?.state === 'sent', 'the delivery record');
    assert.ok(
      delivered.trackedBy?.owner.includes(`:${b.pid}:`),
      `B tracks the job now, got ${delivered.trackedBy?.owner}`,
    );
    // The audit entry is written after the job records the delivery: wait for it too.
    const sent = await s.auditWhere(
      (e: AuditEntry) => e.action === 'deliver' && e.outcome === 'sent',
      'the delivery to be audited',
    );
    assert.ok(
      Date.parse(sent.at) >= Date.parse(lastLease.until),
      `B acted only after A's lease expired (${sent.at} < ${lastLease.until})`,
    );

    // A duplicate (another cycle of B, a replayed send) would have happened by the end of
    // B's next two cycles, which read the job as the delivery stored it.
    await b.trackerCycles(2);
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
