import type { DocumentStore } from '../ports';
import { isOpaqueId, newOpaqueId } from '../shared';

export const PICKS_COLLECTION = 'picks';

/** What a Pick button's opaque id stands for, bound to who searched and where. */
export interface PickRecord {
  tenantId: string;
  aadObjectId: string;
  conversationKey: string;
  deviceId: string;
  createdAt: string;
  expiresAt: string;
}

/** Who searched, where and until when: shared by every pick of one search. */
export type PickOwner = Omit<PickRecord, 'deviceId'>;

/**
 * The picks of one search, stored as ONE document (one store write per search, not one
 * per row: on Blob each write is an HTTP PUT). Keyed by the search's id; each row's
 * pick id is that search id followed by the row's own random part.
 */
interface SearchPicks extends PickOwner {
  rows: Array<{ key: string; deviceId: string }>;
}

/**
 * A pick id is still one 22-character opaque id (isOpaqueId): 11 random base64url
 * characters naming the search (66 bits), then 11 naming the row (66 bits). Forging
 * one means guessing both; and, as before, a pick only works for the technician, tenant
 * and conversation it was made for, until it expires.
 */
const PART_LENGTH = 11;
const randomPart = (): string => newOpaqueId().slice(0, PART_LENGTH);

export class PickRepository {
  constructor(private readonly store: DocumentStore) {}

  async get(pickId: string): Promise<PickRecord | undefined> {
    if (!isOpaqueId(pickId)) return undefined;
    const searchId = pickId.slice(0, PART_LENGTH);
    const rowKey = pickId.slice(PART_LENGTH);
    const search = (await this.store.get<SearchPicks>(PICKS_COLLECTION, searchId))?.value;
    if (search) {
      // A plain array lookup: a row key such as "constructor" never reaches a prototype.
      const row = Array.isArray(search.rows)
        ? search.rows.find((r) => r.key === rowKey)
        : undefined;
      if (!row) return undefined;
      const { rows: _rows, ...owner } = search;
      return { ...owner, deviceId: row.deviceId };
    }
    // A pick stored one per document by an earlier version (still valid for a few minutes).
    const single = (await this.store.get<PickRecord>(PICKS_COLLECTION, pickId))?.value;
    return typeof single?.deviceId === 'string' ? single : undefined;
  }

  /**
   * Stores the picks of one search (one write) and answers a pick id per device, in the
   * order given. No write at all when there is nothing to pick.
   */
  async createForSearch(owner: PickOwner, deviceIds: readonly string[]): Promise<string[]> {
    if (deviceIds.length === 0) return [];
    const searchId = randomPart();
    const keys = new Set<string>();
    while (keys.size < deviceIds.length) keys.add(randomPart());
    const rows = [...keys].map((key, i) => ({ key, deviceId: deviceIds[i] as string }));
    const picks: SearchPicks = { ...owner, rows };
    await this.store.put(PICKS_COLLECTION, searchId, picks, { ifNoneMatch: '*' });
    return rows.map((row) => `${searchId}${row.key}`);
  }
}
