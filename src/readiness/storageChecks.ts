import { randomUUID } from 'node:crypto';
import type { Config } from '../config';
import type { DocumentStore, StoredDocument } from '../domain/ports';
import { errorDetail, withTimeout } from './errorDetail';
import { item, type ReadinessItem, type ReadinessParams } from './report';

/** The store to probe, or how to open it (then the check closes it again). */
export type DocumentsSource = DocumentStore | (() => Promise<DocumentStore>);

export type StorageSettings = Pick<Config, 'STORAGE' | 'DATA_DIR' | 'AZURE_STORAGE_CONTAINER'>;

/** Where probe documents go; nothing else uses it. */
export const PROBE_COLLECTION = 'doctor';

class ProbeMismatch extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProbeMismatch';
  }
}

/** Why what was read back is not what was written; undefined when it is. */
function readBackProblem(
  read: StoredDocument<{ writtenAt: string }> | undefined,
  etag: string,
  writtenAt: string,
): string | undefined {
  if (!read) return 'the probe document was written but cannot be read back';
  if (read.etag !== etag || read.value.writtenAt !== writtenAt)
    return 'the probe document read back differs from what was written';
  return undefined;
}

async function roundTrip(documents: DocumentStore): Promise<void> {
  const key = `probe-${randomUUID()}`;
  const value = { probe: true, writtenAt: new Date().toISOString() };
  const etag = await documents.put(PROBE_COLLECTION, key, value, { ifNoneMatch: '*' });
  let problem: string | undefined;
  let deleted = false;
  try {
    problem = readBackProblem(
      await documents.get<typeof value>(PROBE_COLLECTION, key),
      etag,
      value.writtenAt,
    );
  } finally {
    // Clean up even when the read threw.
    deleted = await documents.delete(PROBE_COLLECTION, key);
  }
  if (problem) throw new ProbeMismatch(problem);
  if (!deleted) throw new ProbeMismatch('the probe document could not be deleted');
  if (await documents.get(PROBE_COLLECTION, key))
    throw new ProbeMismatch('the probe document is still there after its delete');
}

/** The store answers (ping), and a probe document survives write, read and delete. */
export async function storageItems(
  source: DocumentsSource,
  settings: StorageSettings,
  timeoutMs: number,
  secrets: readonly (string | undefined)[],
): Promise<ReadinessItem[]> {
  const blob = settings.STORAGE === 'blob';
  const params: ReadinessParams = blob
    ? { storage: 'blob', container: settings.AZURE_STORAGE_CONTAINER }
    : { storage: 'sqlite', dataDir: settings.DATA_DIR };
  const keys = {
    fixKey: blob ? 'readiness.fix.storage.blob' : 'readiness.fix.storage.sqlite',
    params,
  };
  const reachable = { ...keys, titleKey: 'readiness.check.storage.reachable' };
  const written = { ...keys, titleKey: 'readiness.check.storage.roundTrip' };

  let documents: DocumentStore;
  try {
    documents =
      typeof source === 'function' ? await withTimeout(source(), timeoutMs, 'Storage') : source;
  } catch (error) {
    return [
      item(
        'storage.reachable',
        'storage',
        'fail',
        reachable,
        `cannot open: ${errorDetail(error, secrets)}`,
      ),
      item('storage.roundTrip', 'storage', 'skip', written, 'the store did not open'),
    ];
  }
  try {
    const items: ReadinessItem[] = [];
    try {
      await withTimeout(documents.ping(), timeoutMs, 'Storage');
      items.push(item('storage.reachable', 'storage', 'pass', reachable));
    } catch (error) {
      items.push(
        item('storage.reachable', 'storage', 'fail', reachable, errorDetail(error, secrets)),
      );
    }
    try {
      await withTimeout(roundTrip(documents), timeoutMs, 'Storage');
      items.push(item('storage.roundTrip', 'storage', 'pass', written));
    } catch (error) {
      items.push(
        item('storage.roundTrip', 'storage', 'fail', written, errorDetail(error, secrets)),
      );
    }
    return items;
  } finally {
    if (typeof source === 'function') await documents.close().catch(() => undefined);
  }
}
