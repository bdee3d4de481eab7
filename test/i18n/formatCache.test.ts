import assert from 'node:assert/strict';
import { formatTime, LOCALES } from '../../src/i18n';

/** The options formatTime uses, spelled out here so the uncached reference is independent. */
const TIME_FORMAT: Intl.DateTimeFormatOptions = {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZoneName: 'short',
};

const uncached = (locale: string, iso: string, timeZone: string): string =>
  new Intl.DateTimeFormat(locale, { ...TIME_FORMAT, timeZone }).format(new Date(iso));

/** Counts Intl.DateTimeFormat constructions while `run` runs (every caller in src builds through the global). */
function countBuilds(run: () => void): number {
  const original = Intl.DateTimeFormat;
  let built = 0;
  class Counting extends original {
    constructor(...args: ConstructorParameters<typeof Intl.DateTimeFormat>) {
      super(...args);
      built++;
    }
  }
  (Intl as { DateTimeFormat: typeof Intl.DateTimeFormat }).DateTimeFormat =
    Counting as typeof Intl.DateTimeFormat;
  try {
    run();
  } finally {
    (Intl as { DateTimeFormat: typeof Intl.DateTimeFormat }).DateTimeFormat = original;
  }
  return built;
}

describe('i18n: formatTime keeps its formatters', () => {
  const ZONES = ['UTC', 'Asia/Taipei', 'America/New_York', 'Europe/Berlin', 'Asia/Kolkata'];
  const TIMES = [
    '2026-11-24T10:00:00.000Z',
    '2026-03-29T01:30:00.000Z',
    '2026-07-01T23:59:59.000Z',
  ];

  it('formats exactly as a new Intl.DateTimeFormat would, in en and zh-TW, for several time zones', () => {
    for (const locale of LOCALES) {
      for (const zone of ZONES) {
        for (const iso of TIMES) {
          const expected = uncached(locale, iso, zone);
          assert.equal(formatTime(locale, iso, zone), expected, `${locale} ${zone} ${iso}`);
          assert.equal(formatTime(locale, iso, zone), expected, `${locale} ${zone} ${iso} (again)`);
        }
      }
      const iso = TIMES[0]!;
      assert.equal(formatTime(locale, iso), uncached(locale, iso, 'UTC'), 'no zone: UTC');
      assert.equal(formatTime(locale, iso, ''), uncached(locale, iso, 'UTC'), 'empty zone: UTC');
      assert.equal(formatTime(locale, iso, 'Not/AZone'), uncached(locale, iso, 'UTC'), 'bad zone');
    }
  });

  it('builds one formatter per locale and time zone, not one per call', () => {
    const built = countBuilds(() => {
      for (let i = 0; i < 50; i++) {
        formatTime('en', TIMES[i % TIMES.length], 'Pacific/Chatham');
        formatTime('zh-TW', TIMES[i % TIMES.length], 'Pacific/Chatham');
      }
    });
    assert.ok(built <= 2, `built ${built} formatters for 100 calls`);
  });

  it('keeps at most 64 formatters and drops the least recently used first', () => {
    const zones = Intl.supportedValuesOf('timeZone').slice(0, 65);
    assert.equal(zones.length, 65);
    const [first, second, ...rest] = zones as [string, string, ...string[]];
    const iso = TIMES[0]!;
    const fill = rest.slice(0, 62); // first + second + 62 more = a full cache of 64
    const last = rest[62]!;
    countBuilds(() => {
      for (const zone of [first, second, ...fill]) formatTime('en', iso, zone);
    });
    assert.equal(
      countBuilds(() => formatTime('en', iso, first)),
      0,
      'the first zone is still cached (and now the most recently used)',
    );
    assert.equal(
      countBuilds(() => formatTime('en', iso, last)),
      1,
      'a 65th zone is built and takes the place of the least recently used',
    );
    assert.equal(
      countBuilds(() => formatTime('en', iso, first)),
      0,
      'recently used: kept',
    );
    assert.equal(
      countBuilds(() => formatTime('en', iso, second)),
      1,
      'least recently used: dropped',
    );
  });
});
