import type { AppendBlobClient, ContainerClient } from '@azure/storage-blob';
import { assertLimit } from '../auditSupport';
import type { AuditLog } from '../../domain/ports';
import { serializeForStore } from '../serialize';
import { downloadText, statusOf } from './blobIo';

const FOLDER = 'audit/';

/**
 * AuditLog on Azure Blob Storage: one append blob per UTC day (`audit/YYYY-MM-DD.jsonl`),
 * one JSON line per entry. Append blocks are atomic, so several instances can append
 * to the same day without interleaving inside a line. The day is the append time, so
 * file order is append order. (An append blob holds at most 50,000 blocks: 50,000
 * entries a day.)
 */
export class BlobAuditLog<E> implements AuditLog<E> {
  /** The day blob this instance already knows exists, to skip the create call. */
  private knownDay: string | undefined;

  constructor(
    private readonly container: ContainerClient,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async append(entry: E): Promise<void> {
    const line = `${serializeForStore(entry, 'audit')}\n`;
    const day = this.now().toISOString().slice(0, 10);
    const blob = this.container.getAppendBlobClient(`${FOLDER}${day}.jsonl`);
    if (this.knownDay !== day) {
      await createIfMissing(blob);
      this.knownDay = day;
    }
    try {
      await blob.appendBlock(line, Buffer.byteLength(line));
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
      // Removed behind our back (e.g. retention): start the day again.
      await createIfMissing(blob);
      await blob.appendBlock(line, Buffer.byteLength(line));
    }
  }

  async recent(limit: number): Promise<E[]> {
    assertLimit(limit);
    const newestFirst: E[] = [];
    if (limit === 0) return newestFirst;
    const days = (await this.dayBlobNames()).reverse();
    for (const name of days) {
      const entries = await this.readDay(name);
      for (let i = entries.length - 1; i >= 0 && newestFirst.length < limit; i--) {
        newestFirst.push(entries[i]!);
      }
      if (newestFirst.length >= limit) break;
    }
    return newestFirst;
  }

  async *all(): AsyncIterable<E> {
    for (const name of await this.dayBlobNames()) {
      yield* await this.readDay(name);
    }
  }

  /** Oldest first: ISO dates sort as text. */
  private async dayBlobNames(): Promise<string[]> {
    const names: string[] = [];
    for await (const item of this.container.listBlobsFlat({ prefix: FOLDER })) {
      if (item.name.endsWith('.jsonl')) names.push(item.name);
    }
    return names.sort();
  }

  private async readDay(name: string): Promise<E[]> {
    const found = await downloadText(this.container.getBlobClient(name));
    if (!found) return [];
    return found.text
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as E);
  }
}

async function createIfMissing(blob: AppendBlobClient): Promise<void> {
  try {
    // Never truncate a day another instance already started.
    await blob.create({
      conditions: { ifNoneMatch: '*' },
      blobHTTPHeaders: { blobContentType: 'application/x-ndjson; charset=utf-8' },
    });
  } catch (error) {
    if (statusOf(error) !== 409) throw error;
  }
}
