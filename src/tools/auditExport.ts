import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { ConfigError, loadConfig } from '../config';
import type { AuditEntry, AuditLog } from '../domain/ports';
import { createLogger } from '../logger';
import { openStores } from '../store/openStores';

/**
 * `npm run audit:export [-- --out FILE] [--bom]`: the whole audit log, oldest first,
 * as CSV (RFC 4180) on stdout or in FILE. Cells that a spreadsheet would run as a
 * formula get a leading apostrophe (CSV injection).
 */
export const AUDIT_CSV_COLUMNS = [
  'at',
  'action',
  'actorId',
  'actorUpn',
  'tenantId',
  'deviceId',
  'deviceName',
  'jobId',
  'outcome',
  'ticketRef',
  'graphRequestId',
  'detail',
  'requesterId',
  'requesterUpn',
  // Added later, so at the end: the columns a spreadsheet or script already reads keep their places.
  'actorName',
  'requesterName',
  'deviceOwner',
] as const satisfies readonly (keyof AuditEntry)[];

const USAGE = 'Usage: audit:export [--out FILE] [--bom]';
const FORMULA_START = /^[=+\-@\t\r]/;
// `;` too: spreadsheets set to split on semicolons would otherwise start a new cell (and a formula) there.
const NEEDS_QUOTES = /[",;\r\n]/;

export function csvCell(value: unknown): string {
  let text = value === undefined || value === null ? '' : String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRow(cells: readonly unknown[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

export function auditCsvRow(entry: AuditEntry): string {
  return csvRow(AUDIT_CSV_COLUMNS.map((column) => entry[column]));
}

/** Writes header and rows, honouring backpressure; returns the number of entries. */
export async function writeAuditCsv(
  audit: AuditLog<AuditEntry>,
  out: Writable,
  options: { bom?: boolean } = {},
): Promise<number> {
  // A BOM makes Excel read UTF-8 (zh-TW names) correctly.
  await write(out, `${options.bom ? '\uFEFF' : ''}${csvRow(AUDIT_CSV_COLUMNS)}`);
  let count = 0;
  for await (const entry of audit.all()) {
    await write(out, auditCsvRow(entry));
    count++;
  }
  return count;
}

async function write(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

class UsageError extends Error {}

async function main(argv: string[]): Promise<void> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: {
        out: { type: 'string' },
        bom: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${USAGE}`);
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (args.out === '') throw new UsageError(`--out needs a file name\n${USAGE}`);

  // This tool never calls Graph: a loopback Graph URL lifts the Graph-credential
  // requirement, so a machine holding only the storage settings can export.
  const config = loadConfig({ ...process.env, GRAPH_BASE_URL: 'http://127.0.0.1' });
  // Logs go to stderr: stdout may be the CSV itself.
  const logger = createLogger(config.LOG_LEVEL, pino.destination(2));
  const stores = await openStores(config, logger);
  try {
    if (args.out === undefined) {
      const count = await writeAuditCsv(stores.audit, process.stdout, { bom: args.bom });
      logger.info({ count }, 'Audit exported to stdout');
      return;
    }
    // Write beside the target and rename, so a failed export never leaves half a file.
    const partial = `${args.out}.partial`;
    const file = createWriteStream(partial, { encoding: 'utf8' });
    try {
      const count = await writeAuditCsv(stores.audit, file, { bom: args.bom });
      file.end();
      await once(file, 'finish');
      await rename(partial, args.out);
      logger.info({ count, file: args.out }, 'Audit exported');
    } catch (error) {
      file.destroy();
      await rm(partial, { force: true });
      throw error;
    }
  } finally {
    await stores.documents.close();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    () => {
      process.exitCode = 0;
    },
    (error: unknown) => {
      const usage = error instanceof UsageError || error instanceof ConfigError;
      process.stderr.write(`audit:export: ${(error as Error).message ?? String(error)}\n`);
      process.exitCode = usage ? 2 : 1;
    },
  );
}
