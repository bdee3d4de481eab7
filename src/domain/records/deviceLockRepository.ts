import { type DocumentStore, MINUTE_MS, lostEveryRace, writeWithEtag } from '../ports';
import { isFinalState } from '../shared';
import type { JobRepository } from './jobRepository';

export const DEVICE_LOCKS_COLLECTION = 'deviceLocks';

/** "This device has a reset running": the guard that makes one active job per device atomic. */
export interface DeviceLock {
  deviceId: string;
  jobId: string;
  requesterId: string;
  requesterName?: string;
  since: string;
}

/**
 * A lock whose job is missing is normally left by a confirm that crashed between
 * taking the lock and storing the job; it may also be a confirm still running, so
 * it only counts as stale after this long.
 */
const ORPHAN_LOCK_GRACE_MS = 2 * MINUTE_MS;
const MAX_ATTEMPTS = 5;

export class DeviceLockRepository {
  constructor(
    private readonly store: DocumentStore,
    private readonly jobs: JobRepository,
  ) {}

  /** The lock of a reset still running on this device, if any. */
  async active(deviceId: string, now: Date): Promise<DeviceLock | undefined> {
    const doc = await this.store.get<DeviceLock>(DEVICE_LOCKS_COLLECTION, deviceId);
    if (!doc) return undefined;
    return (await this.isHeld(doc.value, now)) ? doc.value : undefined;
  }

  /** Takes the device for `lock.jobId`, or answers the lock of the reset already running. */
  async acquire(
    lock: DeviceLock,
    now: Date,
  ): Promise<{ acquired: true } | { acquired: false; holder: DeviceLock }> {
    let holder: DeviceLock | undefined;
    try {
      await writeWithEtag<DeviceLock>(
        this.store,
        DEVICE_LOCKS_COLLECTION,
        lock.deviceId,
        async (current) => {
          holder = current && (await this.isHeld(current.value, now)) ? current.value : undefined;
          return holder ? undefined : lock;
        },
        MAX_ATTEMPTS,
      );
    } catch (error) {
      if (!lostEveryRace(error)) throw error;
      // Lost every race: someone keeps taking it, so it is held.
      const latest = await this.store.get<DeviceLock>(DEVICE_LOCKS_COLLECTION, lock.deviceId);
      return { acquired: false, holder: latest?.value ?? lock };
    }
    return holder ? { acquired: false, holder } : { acquired: true };
  }

  /** Gives the device back when the confirm that took it could not create its job. */
  async release(deviceId: string, jobId: string): Promise<void> {
    const current = await this.store.get<DeviceLock>(DEVICE_LOCKS_COLLECTION, deviceId);
    if (current?.value.jobId !== jobId) return;
    await this.store
      .delete(DEVICE_LOCKS_COLLECTION, deviceId, { ifMatch: current.etag })
      .catch(() => false);
  }

  private async isHeld(lock: DeviceLock, now: Date): Promise<boolean> {
    const job = await this.jobs.get(lock.jobId);
    if (job) return !isFinalState(job.value.state);
    return now.getTime() - Date.parse(lock.since) < ORPHAN_LOCK_GRACE_MS;
  }
}
