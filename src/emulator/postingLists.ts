import {
  EMPTY_SET,
  insertSorted,
  listSet,
  removeSorted,
  singleSet,
  type OrdinalSet,
} from './ordinalSets';

/**
 * Key → ascending device ordinals: the storage under both the exact-value and the
 * n-gram index. A key held by one device (most serial numbers, UPNs, ids) stores
 * the bare ordinal: an array per device would double the index's memory at 100k devices.
 */
export class PostingLists {
  private readonly lists = new Map<string, number | number[]>();

  add(key: string, ordinal: number): void {
    const held = this.lists.get(key);
    if (held === undefined) this.lists.set(key, ordinal);
    else if (typeof held !== 'number') insertSorted(held, ordinal);
    else if (held !== ordinal)
      this.lists.set(key, held < ordinal ? [held, ordinal] : [ordinal, held]);
  }

  remove(key: string, ordinal: number): void {
    const held = this.lists.get(key);
    if (held === undefined) return;
    if (typeof held === 'number') {
      if (held === ordinal) this.lists.delete(key);
      return;
    }
    if (!removeSorted(held, ordinal)) return;
    // Back to a bare ordinal, or gone: a key no device holds any more costs nothing.
    if (held.length === 1) this.lists.set(key, held[0]!);
    else if (held.length === 0) this.lists.delete(key);
  }

  get(key: string): OrdinalSet {
    const held = this.lists.get(key);
    if (held === undefined) return EMPTY_SET;
    return typeof held === 'number' ? singleSet(held) : listSet(held);
  }

  /** Number of keys; for tests that check the index forgets what devices no longer hold. */
  get keyCount(): number {
    return this.lists.size;
  }
}
