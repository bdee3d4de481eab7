import assert from 'node:assert/strict';
import {
  mean,
  median,
  percentile,
  ratio,
  round,
  secondHalfSlope,
  slope,
  summarize,
} from '../../bench/stats';

describe('bench stats', () => {
  describe('percentile (nearest rank)', () => {
    const samples = [15, 20, 35, 40, 50];

    it('picks the nearest-rank element of the sorted samples', () => {
      assert.equal(percentile(samples, 30), 20);
      assert.equal(percentile(samples, 40), 20);
      assert.equal(percentile(samples, 50), 35);
      assert.equal(percentile(samples, 100), 50);
      assert.equal(percentile(samples, 0), 15);
    });

    it('does not depend on the input order and leaves the input alone', () => {
      const shuffled = [50, 15, 40, 35, 20];
      assert.equal(percentile(shuffled, 50), 35);
      assert.deepEqual(shuffled, [50, 15, 40, 35, 20]);
    });

    it('p99 of 1..1000 is 990 and p50 is 500', () => {
      const values = Array.from({ length: 1000 }, (_, i) => 1000 - i);
      assert.equal(percentile(values, 99), 990);
      assert.equal(median(values), 500);
    });

    it('is NaN without samples and refuses a percentile outside 0..100', () => {
      assert.ok(Number.isNaN(percentile([], 50)));
      assert.throws(() => percentile([1], 101), RangeError);
      assert.throws(() => percentile([1], -1), RangeError);
    });
  });

  it('summarize gives count, p50, p99, mean and max', () => {
    const s = summarize([4, 1, 3, 2]);
    assert.deepEqual(s, { count: 4, p50: 2, p99: 4, mean: 2.5, max: 4 });
    assert.equal(summarize([]).count, 0);
    assert.ok(Number.isNaN(mean([])));
  });

  describe('ratio', () => {
    it('divides measured by reference', () => {
      assert.equal(ratio(3, 2), 1.5);
      assert.equal(ratio(0, 5), 0);
    });

    it('is NaN for a missing or non-positive reference', () => {
      assert.ok(Number.isNaN(ratio(1, 0)));
      assert.ok(Number.isNaN(ratio(1, -2)));
      assert.ok(Number.isNaN(ratio(Number.NaN, 1)));
      assert.ok(Number.isNaN(ratio(1, Number.POSITIVE_INFINITY)));
    });
  });

  describe('trend (least-squares slope)', () => {
    it('recovers the slope of an exact line', () => {
      const points = Array.from({ length: 10 }, (_, x) => ({ x, y: 3 * x + 7 }));
      assert.equal(slope(points), 3);
    });

    it('is zero for a flat series and negative for a falling one', () => {
      assert.equal(slope([1, 2, 3, 4].map((x) => ({ x, y: 5 }))), 0);
      assert.ok(slope([1, 2, 3, 4].map((x) => ({ x, y: 10 - x }))) < 0);
    });

    it('is NaN with fewer than two distinct x', () => {
      assert.ok(Number.isNaN(slope([{ x: 1, y: 1 }])));
      assert.ok(
        Number.isNaN(
          slope([
            { x: 1, y: 1 },
            { x: 1, y: 2 },
          ]),
        ),
      );
    });

    it('secondHalfSlope ignores the warm-up half', () => {
      // Steep growth while warming up, then flat: the second half shows no trend.
      const points = [
        ...Array.from({ length: 10 }, (_, x) => ({ x, y: 100 + 20 * x })),
        ...Array.from({ length: 10 }, (_, i) => ({ x: 10 + i, y: 300 })),
      ];
      assert.ok(slope(points) > 10);
      assert.equal(secondHalfSlope(points), 0);
    });
  });

  it('round keeps 3 significant digits below 100 and integers above', () => {
    assert.equal(round(1.23456), 1.23);
    assert.equal(round(0.0012345), 0.00123);
    assert.equal(round(99.94), 99.9);
    assert.equal(round(1234.5), 1235);
    assert.ok(Number.isNaN(round(Number.NaN)));
  });
});
