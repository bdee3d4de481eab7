import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { Writable } from 'node:stream';
import { join } from 'node:path';
import { BlobServiceClient } from '@azure/storage-blob';
import type { AuditEntry } from '../../src/domain/ports/audit';
import { projectRoot } from '../../src/paths';
import { openBlobStores } from '../../src/store/blob/openBlobStores';
import { openSqliteStores } from '../../src/store/sqlite/openSqliteStores';
import { AUDIT_CSV_COLUMNS, csvCell, writeAuditCsv } from '../../src/tools/auditExport';
import { DEMO_TENANT, DeskRig } from '../domain/support/deskRig';
import { startAzurite, type Azurite } from '../support/azurite';

const SCRIPT = join(projectRoot(), 'dist', 'src', 'tools', 'auditExport.js');
const HEADER =
  'at,action,actorId,actorUpn,tenantId,deviceId,deviceName,jobId,outcome,ticketRef,graphRequestId,detail,requesterId,requesterUpn,actorName,requesterName,deviceOwner';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built tool with only the settings given (nothing leaks in from this shell). */
function runExport(env: Record<string, string>, args: string[] = []): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [SCRIPT, ...args],
      { env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'silent', ...env }, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** A strict RFC 4180 reader, independent of the writer under test. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let i = 0;
  while (i < text.length) {
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw new Error('unterminated quoted cell');
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            cell += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        cell += text[i++];
      }
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') {
        if (text[i] === '"') throw new Error(`bare quote at ${i}`);
        cell += text[i++];
      }
    }
    if (text[i] === ',') {
      row.push(cell);
      cell = '';
      i++;
    } else if (text.startsWith('\r\n', i)) {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i += 2;
    } else if (i < text.length) {
      throw new Error(`expected , or CRLF at ${i}`);
    }
  }
  if (cell !== '' || row.length > 0) throw new Error('last row lacks CRLF');
  return rows;
}

const ENTRIES: AuditEntry[] = [
  {
    at: '2025-04-01T08:00:00.000Z',
    action: 'search',
    actorId: 'a1',
    actorUpn: 'tech@contoso.com',
    tenantId: 't1',
    outcome: 'ok',
    detail: 'lumia, 950 "XL"',
  },
  {
    at: '2025-04-01T08:01:00.000Z',
    action: 'confirm',
    actorId: 'a2',
    actorUpn: '王小明@contoso.com',
    actorName: '王小明',
    tenantId: 't1',
    deviceId: 'd1',
    deviceName: '=HYPERLINK("http://evil","click")',
    deviceOwner: '@Adele, Vance',
    jobId: 'j1',
    outcome: 'accepted',
    ticketRef: '+INC-1',
    graphRequestId: 'g1',
    detail: 'line one\r\nline two',
  },
  { at: '2025-04-01T08:02:00.000Z', action: 'refused', actorId: '-a3', outcome: '@SUM(A1)' },
  {
    at: '2025-04-01T08:03:00.000Z',
    action: 'notify',
    actorId: 'system',
    outcome: '\tTab',
    detail: '\rCR',
    requesterId: 'a2',
    requesterUpn: '=tech@contoso.com',
    requesterName: '-Megan "Helpdesk" Bowen',
  },
];

const EXPECTED_ROWS = [
  [
    '2025-04-01T08:00:00.000Z',
    'search',
    'a1',
    'tech@contoso.com',
    't1',
    '',
    '',
    '',
    'ok',
    '',
    '',
    'lumia, 950 "XL"',
    '',
    '',
    '',
    '',
    '',
  ],
  [
    '2025-04-01T08:01:00.000Z',
    'confirm',
    'a2',
    '王小明@contoso.com',
    't1',
    'd1',
    `'=HYPERLINK("http://evil","click")`,
    'j1',
    'accepted',
    "'+INC-1",
    'g1',
    'line one\r\nline two',
    '',
    '',
    '王小明',
    '',
    "'@Adele, Vance",
  ],
  [
    '2025-04-01T08:02:00.000Z',
    'refused',
    "'-a3",
    '',
    '',
    '',
    '',
    '',
    "'@SUM(A1)",
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    '',
  ],
  [
    '2025-04-01T08:03:00.000Z',
    'notify',
    'system',
    '',
    '',
    '',
    '',
    '',
    "'\tTab",
    '',
    '',
    "'\rCR",
    'a2',
    "'=tech@contoso.com",
    '',
    `'-Megan "Helpdesk" Bowen`,
    '',
  ],
];

describe('audit:export', function () {
  describe('csvCell', function () {
    it('quotes per RFC 4180 and defuses formula starts', function () {
      assert.equal(csvCell(undefined), '');
      assert.equal(csvCell('plain'), 'plain');
      assert.equal(csvCell('a,b'), '"a,b"');
      // A semicolon-separated spreadsheet must not see a new cell (and a formula) after ';'.
      assert.equal(csvCell('x;=1+1'), '"x;=1+1"');
      assert.equal(csvCell('say "hi"'), '"say ""hi"""');
      assert.equal(csvCell('two\nlines'), '"two\nlines"');
      assert.equal(csvCell('=1+1'), "'=1+1");
      assert.equal(csvCell('=A1,"x"'), `"'=A1,""x"""`);
      assert.equal(csvCell('\rx'), `"'\rx"`);
      assert.equal(csvCell('a=b'), 'a=b');
      assert.deepEqual([...AUDIT_CSV_COLUMNS].join(','), HEADER);
    });
  });

  it('has a column for every field an audit entry carries', function () {
    // Exhaustive by type: a field added to AuditEntry does not compile here until it is listed.
    const everyField: Record<keyof AuditEntry, true> = {
      at: true,
      action: true,
      actorId: true,
      actorUpn: true,
      actorName: true,
      requesterId: true,
      requesterUpn: true,
      requesterName: true,
      tenantId: true,
      deviceId: true,
      deviceName: true,
      deviceOwner: true,
      jobId: true,
      outcome: true,
      ticketRef: true,
      graphRequestId: true,
      detail: true,
    };
    assert.deepEqual([...AUDIT_CSV_COLUMNS].sort(), Object.keys(everyField).sort());
  });

  describe('a real reset, delivered and hidden (domain rig: emulator, SQLite)', function () {
    let rig: DeskRig;
    afterEach(async () => {
      await rig.close();
    });

    it('exports who acted, whose reset and whose device, and never the passcode', async function () {
      rig = await DeskRig.start();
      const megan = rig.actor('meganBowen', { displayName: 'Megan Bowen' });
      const device = DEMO_TENANT.devices.leeLumia650;
      const job = await rig.startReset(megan, 'RM1152D2H7J3', device, 'INC-7');
      await rig.tick();
      for (let i = 0; i < 4 && rig.messenger.deliveries.length === 0; i++) await rig.tick(0.5);
      const passcode = rig.messenger.deliveries[0]?.passcode;
      assert.match(passcode ?? '', /^\d{6,8}$/, 'the reset was delivered');
      await rig.tick(rig.config.PASSCODE_VISIBLE_MINUTES + 1);
      assert.equal((await rig.job(job.id)).delivery?.state, 'hidden');

      let text = '';
      const sink = new Writable({
        write(chunk: Buffer, _encoding, done) {
          text += chunk.toString('utf8');
          done();
        },
      });
      await writeAuditCsv(rig.stores.audit, sink);
      const [header, ...rows] = parseCsv(text);
      const cell = (row: string[], column: string) => row[header!.indexOf(column)];
      const about = rows.filter((row) => cell(row, 'jobId') === job.id);
      const actions = about.map((row) => `${cell(row, 'action')}:${cell(row, 'outcome')}`);
      for (const expected of [
        'confirm:accepted',
        'submit:accepted',
        'deliver:sent',
        'hide:hidden',
      ]) {
        assert.ok(actions.includes(expected), `${expected} in ${actions.join(', ')}`);
      }
      const confirm = about.find((row) => cell(row, 'action') === 'confirm')!;
      assert.equal(cell(confirm, 'actorName'), 'Megan Bowen');
      for (const row of about) {
        assert.equal(cell(row, 'requesterName'), 'Megan Bowen', cell(row, 'action'));
        assert.equal(cell(row, 'deviceOwner'), job.device.ownerName || job.device.ownerUpn);
      }
      assert.ok(cell(confirm, 'deviceOwner'), 'the device has an owner');
      assert.equal(text.includes(passcode!), false, 'the passcode is in the export');
    });
  });

  describe('on SQLite', function () {
    let dataDir: string;

    beforeEach(async function () {
      dataDir = await mkdtemp(join(tmpdir(), 'passcode-desk-export-'));
      const stores = openSqliteStores<AuditEntry>(dataDir);
      for (const entry of ENTRIES) await stores.audit.append(entry);
      await stores.documents.close();
    });

    afterEach(async function () {
      await rm(dataDir, { recursive: true, force: true });
    });

    it('prints the whole log as CSV on stdout, oldest first', async function () {
      const run = await runExport({ DATA_DIR: dataDir, STORAGE: 'sqlite' });
      assert.equal(run.code, 0, run.stderr);
      assert.ok(run.stdout.startsWith(`${HEADER}\r\n`));
      assert.deepEqual(parseCsv(run.stdout), [HEADER.split(','), ...EXPECTED_ROWS]);
    });

    it('writes to --out FILE, with a BOM when asked, and nothing on stdout', async function () {
      const out = join(dataDir, 'export.csv');
      const run = await runExport({ DATA_DIR: dataDir }, ['--out', out, '--bom']);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.stdout, '');
      const text = await readFile(out, 'utf8');
      assert.ok(text.startsWith('\uFEFF'));
      assert.deepEqual(parseCsv(text.slice(1)), [HEADER.split(','), ...EXPECTED_ROWS]);
      assert.deepEqual(
        (await readdir(dataDir)).filter((f) => f.endsWith('.partial')),
        [],
      );
    });

    it('prints only the header for an empty log in a fresh DATA_DIR', async function () {
      const fresh = join(dataDir, 'fresh');
      const run = await runExport({ DATA_DIR: fresh });
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.stdout, `${HEADER}\r\n`);
    });

    it('exits 2 with a usage line for an unknown option, writing nothing', async function () {
      const run = await runExport({ DATA_DIR: dataDir }, ['--outt', 'x.csv']);
      assert.equal(run.code, 2);
      assert.match(run.stderr, /Usage: audit:export/);
      assert.equal(run.stdout, '');
      assert.equal(existsSync(join(dataDir, 'x.csv')), false);
    });

    it('exits 2 naming the setting when the configuration is invalid', async function () {
      const run = await runExport({ DATA_DIR: dataDir, STORAGE: 'floppy' });
      assert.equal(run.code, 2);
      assert.match(run.stderr, /STORAGE/);
      assert.equal(run.stdout, '');
    });
  });

  describe('on Azure Blob (Azurite)', function () {
    let azurite: Azurite;
    const container = 'export-test';

    before(async function () {
      azurite = await startAzurite();
    });

    after(async function () {
      await azurite.stop();
    });

    it('exports what the blob audit holds', async function () {
      const stores = await openBlobStores<AuditEntry>({
        containerName: container,
        connectionString: azurite.connectionString,
      });
      for (const entry of ENTRIES) await stores.audit.append(entry);
      try {
        const run = await runExport({
          STORAGE: 'blob',
          AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
          AZURE_STORAGE_CONTAINER: container,
        });
        assert.equal(run.code, 0, run.stderr);
        assert.deepEqual(parseCsv(run.stdout), [HEADER.split(','), ...EXPECTED_ROWS]);
      } finally {
        await BlobServiceClient.fromConnectionString(azurite.connectionString)
          .getContainerClient(container)
          .deleteIfExists();
      }
    });
  });
});
