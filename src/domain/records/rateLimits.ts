import { type DocumentStore, MINUTE_MS, lostEveryRace, writeWithEtag } from '../ports';
import type { Actor } from '../shared';
import { refuse, type Refusal, type DeskSettings } from '../desk';

export const RATE_WINDOWS_COLLECTION = 'rateWindows';

const HOUR_MS = 60 * MINUTE_MS;
/** Conflicting writers each win one round, so this bounds the confirms racing for one window. */
const MAX_ATTEMPTS = 50;

/** The confirms counted against one limit: the job each became and when. */
interface RateWindow {
  slots: Array<{ jobId: string; at: string }>;
}

interface Limit {
  key: string;
  max: number;
  windowMs: number;
  refusal: 'rateLimited' | 'tenantRateLimited';
}

/**
 * Resets allowed per technician per hour and per tenant per minute. A confirm takes a
 * slot in each window with an ETag-conditional write before its job exists, so
 * confirms pressed all at once, on one instance or on several sharing the store,
 * never get past a limit together. A confirm that fails later gives its slots back.
 */
export class RateLimits {
  constructor(
    private readonly store: DocumentStore,
    private readonly settings: DeskSettings,
  ) {}

  /** Takes a slot for `jobId` in both windows, or answers the refusal (nothing taken). */
  async reserve(actor: Actor, jobId: string, now: Date): Promise<Refusal | undefined> {
    const [technician, tenant] = this.limitsFor(actor);
    const mine = await this.take(technician, jobId, now);
    if (mine) return mine;
    const ours = await this.take(tenant, jobId, now);
    if (ours) await this.giveBack(technician.key, jobId);
    return ours;
  }

  /** Gives back the slots of a confirm that did not become a job. */
  async release(actor: Actor, jobId: string): Promise<void> {
    for (const limit of this.limitsFor(actor)) await this.giveBack(limit.key, jobId);
  }

  private limitsFor(actor: Actor): [Limit, Limit] {
    const tenant = actor.tenantId.toLowerCase();
    return [
      {
        key: `technician|${tenant}|${actor.aadObjectId.toLowerCase()}`,
        max: this.settings.RESETS_PER_TECHNICIAN_PER_HOUR,
        windowMs: HOUR_MS,
        refusal: 'rateLimited',
      },
      {
        key: `tenant|${tenant}`,
        max: this.settings.RESETS_PER_TENANT_PER_MINUTE,
        windowMs: MINUTE_MS,
        refusal: 'tenantRateLimited',
      },
    ];
  }

  private async take(limit: Limit, jobId: string, now: Date): Promise<Refusal | undefined> {
    const at = now.getTime();
    let refusal: Refusal | undefined;
    try {
      await writeWithEtag<RateWindow>(
        this.store,
        RATE_WINDOWS_COLLECTION,
        limit.key,
        (current) => {
          const counted = (current?.value.slots ?? [])
            .filter((slot) => at - Date.parse(slot.at) < limit.windowMs)
            .sort((a, b) => a.at.localeCompare(b.at));
          refusal = undefined;
          if (counted.length >= limit.max) {
            // The window frees a slot when the oldest counted confirm leaves it.
            const oldest = Date.parse(counted[counted.length - limit.max]?.at ?? now.toISOString());
            refusal = refuse(limit.refusal, {
              retryAfterMinutes: Math.max(1, Math.ceil((oldest + limit.windowMs - at) / MINUTE_MS)),
              limit: limit.max,
            });
            return undefined;
          }
          return { slots: [...counted, { jobId, at: now.toISOString() }] };
        },
        MAX_ATTEMPTS,
      );
    } catch (error) {
      if (!lostEveryRace(error)) throw error;
      // Lost every race: the window is that busy, so it counts as full (fail closed).
      return refuse(limit.refusal, { retryAfterMinutes: 1, limit: limit.max });
    }
    return refusal;
  }

  private async giveBack(key: string, jobId: string): Promise<void> {
    await writeWithEtag<RateWindow>(
      this.store,
      RATE_WINDOWS_COLLECTION,
      key,
      (current) =>
        current?.value.slots.some((slot) => slot.jobId === jobId)
          ? { slots: current.value.slots.filter((slot) => slot.jobId !== jobId) }
          : undefined,
      MAX_ATTEMPTS,
    ).catch((error: unknown) => {
      // Lost every race: the slot simply ages out of its window.
      if (!lostEveryRace(error)) throw error;
    });
  }
}
