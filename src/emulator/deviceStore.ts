import { DeviceIndex, type AccessPath } from './deviceIndex';
import type { DeviceRecord } from './tenantData';

interface Entry {
  device: DeviceRecord;
  /** Position in tenant order; never reused, so index postings stay ascending and unambiguous. */
  ordinal: number;
}

/**
 * A tenant's managed devices in their natural order, with the indexes that let
 * $filter answer without reading them all. Every change to the device set goes
 * through add/update/remove, which keep the indexes in step: change an indexed
 * property of a stored record any other way and searches will not see it.
 */
export class DeviceStore {
  private readonly ordered: DeviceRecord[] = [];
  private readonly byId = new Map<string, Entry>();
  /** ordinal → device; holes where devices were removed. */
  private readonly byOrdinal: Array<DeviceRecord | undefined> = [];
  private readonly index = new DeviceIndex();

  /** Every device in tenant order (insertion order). */
  get all(): readonly DeviceRecord[] {
    return this.ordered;
  }

  get(id: string): DeviceRecord | undefined {
    return this.byId.get(id.toLowerCase())?.device;
  }

  /** Appends a device at the end of tenant order. */
  add(device: DeviceRecord): void {
    const key = device.id.toLowerCase();
    if (this.byId.has(key)) throw new Error(`duplicate device id ${device.id}`);
    const ordinal = this.byOrdinal.length;
    this.byId.set(key, { device, ordinal });
    this.byOrdinal.push(device);
    this.ordered.push(device);
    this.index.add(ordinal, device);
  }

  /**
   * Changes properties of a stored device in place (it keeps its place in tenant
   * order); a property given as undefined is removed. The id cannot change.
   */
  update(id: string, changes: Partial<DeviceRecord>): DeviceRecord {
    const entry = this.entry(id);
    if (changes.id !== undefined && changes.id.toLowerCase() !== entry.device.id.toLowerCase()) {
      throw new Error(`a device id cannot change (${entry.device.id})`);
    }
    this.index.remove(entry.ordinal, entry.device);
    const record = entry.device as Record<string, unknown>;
    for (const [property, value] of Object.entries(changes)) {
      if (value === undefined) delete record[property];
      else record[property] = value;
    }
    this.index.add(entry.ordinal, entry.device);
    return entry.device;
  }

  remove(id: string): DeviceRecord {
    const entry = this.entry(id);
    this.index.remove(entry.ordinal, entry.device);
    this.byId.delete(id.toLowerCase());
    this.byOrdinal[entry.ordinal] = undefined;
    this.ordered.splice(this.ordered.indexOf(entry.device), 1);
    return entry.device;
  }

  /**
   * Devices that may satisfy the path, lazily and in tenant order; undefined when
   * the indexes cannot narrow it. Callers still apply the filter's predicate.
   */
  candidates(path: AccessPath): Iterable<DeviceRecord> | undefined {
    const ordinals = this.index.candidates(path);
    if (!ordinals) return undefined;
    const byOrdinal = this.byOrdinal;
    return {
      *[Symbol.iterator]() {
        for (const ordinal of ordinals) {
          const device = byOrdinal[ordinal];
          if (device) yield device;
        }
      },
    };
  }

  /** Distinct keys per index (tests check that values no device holds are forgotten). */
  indexKeyCounts(): Record<string, number> {
    return this.index.keyCounts();
  }

  private entry(id: string): Entry {
    const entry = this.byId.get(id.toLowerCase());
    if (!entry) throw new Error(`unknown device ${id}`);
    return entry;
  }
}
