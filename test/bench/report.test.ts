import assert from 'node:assert/strict';
import {
  check,
  checksTable,
  formatValue,
  judge,
  markdownTable,
  renderBenchmarksMarkdown,
  type BenchResults,
} from '../../bench/report';

describe('bench report', () => {
  describe('judge / check', () => {
    it('applies each comparator at and around the limit', () => {
      assert.equal(judge(1.5, '<=', 1.5), true);
      assert.equal(judge(1.51, '<=', 1.5), false);
      assert.equal(judge(10, '<', 10), false);
      assert.equal(judge(9.99, '<', 10), true);
      assert.equal(judge(0.6, '>=', 0.6), true);
      assert.equal(judge(0.59, '>=', 0.6), false);
      assert.equal(judge(1, '==', 1), true);
      assert.equal(judge(2, '==', 1), false);
    });

    it('never passes a figure that was not measured', () => {
      assert.equal(judge(Number.NaN, '<=', 1), false);
      assert.equal(judge(Number.POSITIVE_INFINITY, '>=', 1), false);
    });

    it('check records the verdict and keeps a note only when given', () => {
      const miss = check('S', 'p99 vs echo', 2, '<=', 1.5, '×', 'bounded by the store');
      assert.equal(miss.pass, false);
      assert.equal(miss.note, 'bounded by the store');
      assert.equal('note' in check('S', 'x', 1, '<=', 1.5, '×'), false);
    });
  });

  it('formatValue rounds, adds the unit and says n/a for missing figures', () => {
    assert.equal(formatValue(1.23456, '×'), '1.23×');
    assert.equal(formatValue(12.5, '%'), '12.5%');
    assert.equal(formatValue(1234567, 'bytes'), '1,234,567 bytes');
    assert.equal(formatValue(Number.NaN, 'ms'), 'n/a');
    assert.equal(formatValue('text'), 'text');
  });

  it('markdownTable renders a header, a rule and escaped cells', () => {
    const text = markdownTable(['A', 'B'], [['x|y', 2.3456]]);
    assert.equal(text, '| A | B |\n|---|---|\n| x\\|y | 2.35 |');
  });

  it('markdownTable shows figures that were not measured as n/a, also after a JSON round trip', () => {
    const rows = JSON.parse(JSON.stringify([['a', Number.NaN, Number.POSITIVE_INFINITY]])) as Array<
      Array<string | number | null>
    >;
    assert.equal(markdownTable(['A', 'B', 'C'], rows).split('\n')[2], '| a | n/a | n/a |');
  });

  it('checksTable shows each figure next to its target with PASS or MISS', () => {
    const text = checksTable([
      check('Memory', 'RSS vs echo', 1.2, '<=', 1.5, '×'),
      check('Tracking', 'budget share', 12, '<', 10, '%'),
    ]);
    const lines = text.split('\n');
    assert.equal(lines.length, 4);
    assert.equal(lines[2], '| Memory | RSS vs echo | 1.2× | <= 1.5× | PASS |');
    assert.equal(lines[3], '| Tracking | budget share | 12% | < 10% | MISS |');
  });

  it('renders the whole page: method, machine, verdict count, sections, skipped and findings', () => {
    const results: BenchResults = {
      startedAt: '2026-11-24T10:00:00.000Z',
      durationSeconds: 420.4,
      mode: 'full',
      soakSeconds: 90,
      machine: {
        cpus: [
          { model: 'Test CPU', speedMHz: 2000 },
          { model: 'Test CPU', speedMHz: 2100 },
        ],
        cpuCount: 2,
        totalMemoryBytes: 4 * 1024 ** 3,
        freeMemoryBytesAtStart: 3 * 1024 ** 3,
        node: 'v20.20.2',
        platform: 'linux',
        arch: 'x64',
        osRelease: '6.1',
      },
      sections: [
        {
          title: 'Cold start',
          checks: [check('Cold start', 'spawn to ready vs echo', 1.8, '<=', 2, '×')],
          tables: [{ title: 'Times', columns: ['Bot', 'ms'], rows: [['app', 512]] }],
          notes: ['polls /readyz'],
          data: {},
        },
      ],
      skipped: [{ section: 'Memory', reason: 'app did not start' }],
    };
    const page = renderBenchmarksMarkdown(
      results,
      '## How it was measured\n\nLike this.',
      '## Findings\n\nThat.',
    );
    assert.match(page, /^# Benchmarks\n/);
    assert.match(page, /420 s, memory soak 90 s/);
    assert.match(page, /Like this\./);
    assert.match(page, /\| CPUs \(os\.cpus\(\)\) \| 2: 2 × Test CPU @ 2100 MHz \|/);
    assert.match(page, /\| Memory \| 4096 MiB total, 3072 MiB free at start \|/);
    assert.match(page, /\| Node\.js \| v20\.20\.2 \|/);
    assert.match(page, /## Results: 1 of 1 targets met/);
    assert.match(page, /\| Cold start \| spawn to ready vs echo \| 1\.8× \| <= 2× \| PASS \|/);
    assert.match(page, /\*\*Memory\*\* did not run: app did not start/);
    assert.match(page, /### Times\n\n\| Bot \| ms \|/);
    assert.match(page, /- polls \/readyz/);
    assert.ok(page.trimEnd().endsWith('That.'));
  });
});
