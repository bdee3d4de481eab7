import assert from 'node:assert/strict';
import { GraphGate } from '../../../src/domain/context/trackerContext';
import { IntuneError } from '../../../src/domain/ports/intune';

describe('domain/trackerContext GraphGate.holdOff: Graph said wait → pause → reschedule', () => {
  const now = new Date('2026-01-05T09:00:00Z');
  const at = (seconds: number): Date => new Date(now.getTime() + seconds * 1000);

  it("pauses all of this instance's Graph calls for Retry-After and waits that long", () => {
    const gate = new GraphGate();
    const error = new IntuneError('slow down', 429, 'TooManyRequests', 'r1', 7);
    assert.equal(gate.holdOff(error, now, 1_000), 7_000);
    assert.equal(gate.isPaused(at(6)), true);
    assert.equal(gate.isPaused(at(7)), false);
  });

  it('takes 30 s for a throttle or a 503 that names no wait', () => {
    for (const status of [429, 503]) {
      const gate = new GraphGate();
      assert.equal(gate.holdOff(new IntuneError('busy', status, 'x'), now, 1_000), 30_000);
      assert.equal(gate.isPaused(at(29)), true);
    }
  });

  it("answers the caller's own wait, and pauses nothing, when Graph did not ask to wait", () => {
    for (const error of [new IntuneError('bad', 400, 'BadRequest'), new Error('socket hang up')]) {
      const gate = new GraphGate();
      assert.equal(gate.holdOff(error, now, 1_234), 1_234);
      assert.equal(gate.isPaused(now), false);
    }
  });
});
