import assert from 'node:assert/strict';
import type { ResetJob } from '../../../src/domain/shared/job';
import { POLICY } from '../../../src/domain/desk/deskSettings';
import type { Passcode } from '../../../src/domain/shared/passcode';
import type { SentMessage } from '../../../src/domain/ports/messenger';
import { RecordingMessenger } from '../../support/recordingMessenger';
import { DEMO_TENANT, DeskRig } from '../support/deskRig';

/** Phones of the demo tenant whose reset ends `done`. */
const COMPLETING = new Set([
  DEMO_TENANT.devices.alexLumia950,
  DEMO_TENANT.devices.lynneLumia950,
  DEMO_TENANT.devices.leeLumia650,
  DEMO_TENANT.devices.christieLumia950XL,
  DEMO_TENANT.devices.enricoLumia650,
  DEMO_TENANT.devices.alexLumia650,
  DEMO_TENANT.devices.obrienLumia,
  DEMO_TENANT.devices.wangLumia,
]);

/** Counts how many passcode sends run at the same moment (each takes a little real time). */
class OverlapMessenger extends RecordingMessenger {
  inFlight = 0;
  maxInFlight = 0;

  override async deliverPasscode(
    job: ResetJob,
    passcode: Passcode,
    message: SentMessage,
    options: { hideAt: string },
  ): Promise<void> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await new Promise((resolve) => setTimeout(resolve, 30));
      await super.deliverPasscode(job, passcode, message, options);
    } finally {
      this.inFlight--;
    }
  }
}

describe('domain: the tracker bounds its work', () => {
  let rig: DeskRig;
  afterEach(async () => {
    await rig.close();
  });

  it('reads many resets in one $batch and sends their passcodes at most POLICY.parallelJobs at a time', async () => {
    rig = await DeskRig.start();
    const messenger = new OverlapMessenger();
    const tracking = rig.instance('bounded', { messenger });
    const megan = rig.actor('meganBowen');
    const found = await rig.desk.search(megan, rig.group, 'lumia');
    assert.equal(found.kind, 'results');
    const rows = found.rows.filter((r) => r.pickId && COMPLETING.has(r.device.id));
    assert.ok(rows.length > POLICY.parallelJobs, `enough phones: ${rows.length}`);
    for (const row of rows) {
      const picked = await rig.desk.pick(megan, rig.group, row.pickId!);
      assert.equal(picked.kind, 'confirm');
      const confirmed = await rig.desk.confirm(megan, rig.group, picked.pendingActionId, undefined);
      assert.equal(confirmed.kind, 'accepted');
    }

    await rig.tick(0, tracking);
    const submitted = rows.reduce((n, r) => n + rig.emulator.resetCalls(r.device.id), 0);
    assert.equal(submitted, rows.length, 'each reset submitted once');

    const before = rig.emulator.requests.length;
    await rig.tick(1.5, tracking);
    const reads = rig.emulator.requests.slice(before);
    assert.equal(
      reads.filter((r) => !r.inBatch && r.url.endsWith('/$batch')).length,
      1,
      `one $batch for ${rows.length} devices: ${reads.map((r) => r.url).join(', ')}`,
    );
    assert.equal(messenger.deliveries.length, rows.length, 'every passcode delivered once');
    assert.ok(
      messenger.maxInFlight <= POLICY.parallelJobs,
      `at most ${POLICY.parallelJobs} sends at once, saw ${messenger.maxInFlight}`,
    );
    assert.ok(messenger.maxInFlight > 1, 'sends do run side by side');
  });
});
