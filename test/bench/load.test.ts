import assert from 'node:assert/strict';
import { runClosedLoop } from '../../bench/load';
import { findExecuteAction } from '../../bench/support/teamsActivity';

describe('bench load driver and card reading', () => {
  it('runClosedLoop stops at maxRequests and counts failures apart from latencies', async () => {
    let calls = 0;
    const result = await runClosedLoop({
      concurrency: 4,
      durationMs: 60_000,
      maxRequests: 10,
      send: async (_worker, sequence) => {
        calls++;
        await Promise.resolve();
        if (sequence === 1) throw new Error('boom');
      },
    });
    assert.equal(calls, 10);
    assert.equal(result.errors, 4);
    assert.equal(result.firstError, 'boom');
    assert.equal(result.latenciesMs.length, 6);
    assert.equal(result.concurrency, 4);
  });

  it('runClosedLoop lets a worker stop when it has no work left, and runs warm-ups unmeasured', async () => {
    const queues = [[1, 2, 3], [4]];
    const seen: number[] = [];
    let warmups = 0;
    const result = await runClosedLoop({
      concurrency: 2,
      durationMs: 60_000,
      maxRequests: 100,
      warmupPerWorker: 2,
      hasWork: (worker) => (queues[worker]?.length ?? 0) > 0,
      send: async (worker, sequence) => {
        if (sequence < 0) {
          warmups++;
          return;
        }
        seen.push(queues[worker]!.shift()!);
      },
    });
    assert.equal(warmups, 4);
    assert.deepEqual(seen.sort(), [1, 2, 3, 4]);
    assert.equal(result.latenciesMs.length, 4);
  });

  it('findExecuteAction finds the first Action.Execute with the verb anywhere in a card', () => {
    const card = {
      body: [
        { type: 'TextBlock', text: 'x' },
        {
          type: 'Container',
          items: [
            {
              type: 'ActionSet',
              actions: [{ type: 'Action.Execute', verb: 'pick', data: { pickId: 'a' } }],
            },
          ],
        },
        {
          type: 'ActionSet',
          actions: [{ type: 'Action.Execute', verb: 'pick', data: { pickId: 'b' } }],
        },
      ],
      actions: [{ type: 'Action.Submit', verb: 'confirm', data: {} }],
    };
    assert.deepEqual(findExecuteAction({ value: card }, 'pick'), {
      verb: 'pick',
      data: { pickId: 'a' },
    });
    assert.equal(findExecuteAction(card, 'confirm'), undefined);
    assert.equal(findExecuteAction(undefined, 'pick'), undefined);
  });
});
