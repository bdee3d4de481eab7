import { startEmulator, readTenantFile } from '../../src/emulator/server';
import { benchPhones } from '../support/benchPhones';
import { announceReady, serveRpc } from '../support/child';

/**
 * The Intune Graph emulator in its own process, so its CPU time (serving Graph to the
 * bot, building a 100,000-device tenant) is not charged to the process being measured.
 * Options come as JSON in BENCH_EMULATOR (see EmulatorTargetOptions).
 */
export interface EmulatorTargetOptions {
  syntheticDevices?: number;
  benchPhones?: number;
  resetDelayMs?: number;
  latencyMs?: number;
}

export interface RequestCounts {
  topLevel: number;
  inBatch: number;
  /** Top-level requests whose path is $batch. */
  batches: number;
  byStatus: Record<string, number>;
}

async function main(): Promise<void> {
  const options = JSON.parse(process.env.BENCH_EMULATOR ?? '{}') as EmulatorTargetOptions;
  const tenant = readTenantFile();
  if (options.benchPhones)
    tenant.managedDevices.push(...benchPhones(options.benchPhones, Date.now()));
  const emulator = await startEmulator({
    tenant,
    ...(options.syntheticDevices ? { syntheticDevices: options.syntheticDevices } : {}),
    resetDelayMs: options.resetDelayMs ?? 3000,
    latencyMs: options.latencyMs ?? 0,
  });

  serveRpc(
    {
      setLatency: (ms) => emulator.setLatency(Number(ms)),
      setResetDelay: (ms) => emulator.setResetDelay(Number(ms)),
      /** Counts since the last clear, then clears (the log would otherwise grow without end). */
      takeRequestCounts: (): RequestCounts => {
        const counts: RequestCounts = { topLevel: 0, inBatch: 0, batches: 0, byStatus: {} };
        for (const request of emulator.requests) {
          if (request.inBatch) counts.inBatch++;
          else {
            counts.topLevel++;
            if (request.url.includes('$batch')) counts.batches++;
          }
          counts.byStatus[request.status] = (counts.byStatus[request.status] ?? 0) + 1;
        }
        emulator.resetRequests();
        return counts;
      },
      completeResets: (ids) => {
        for (const id of ids as string[]) emulator.completeReset(id);
        return (ids as string[]).length;
      },
      resetCalls: (ids) => (ids as string[]).reduce((sum, id) => sum + emulator.resetCalls(id), 0),
    },
    () => emulator.close(),
  );
  announceReady({ url: emulator.url, tenantId: emulator.tenantId });
}

main().catch((error: unknown) => {
  console.error('emulator target failed:', error);
  process.exit(1);
});
