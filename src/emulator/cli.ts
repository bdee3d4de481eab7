import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startEmulator } from './server';

/**
 * `npm run emulator -- --port 4000 --devices 100000 --reset-delay-ms 3000 --latency-ms 0 --tenant FILE --log`
 * Prints the URL it listens on, then serves until Ctrl+C.
 */
const USAGE = `Usage: node dist/src/emulator/cli.js [--port N] [--devices N] [--reset-delay-ms N]
       [--latency-ms N] [--tenant FILE] [--log]`;

function integer(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) {
    console.error(`--${name} expects a whole number, got '${raw}'.\n${USAGE}`);
    process.exit(2);
  }
  return Number(raw);
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        devices: { type: 'string' },
        'reset-delay-ms': { type: 'string' },
        'latency-ms': { type: 'string' },
        tenant: { type: 'string' },
        log: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const emulator = await startEmulator({
    port: integer('port', values.port, 4000),
    syntheticDevices: integer('devices', values.devices, 0),
    resetDelayMs: integer('reset-delay-ms', values['reset-delay-ms'], 3000),
    latencyMs: integer('latency-ms', values['latency-ms'], 0),
    log: values.log ?? false,
    ...(values.tenant ? { tenantFile: resolve(values.tenant) } : {}),
  });
  console.log(`Intune Graph emulator listening on ${emulator.url}`);
  console.log(
    `  tenant ${emulator.tenantId}; Graph base URLs ${emulator.url}/v1.0 and ${emulator.url}/beta`,
  );
  console.log('  any non-empty "Authorization: Bearer ..." is accepted. Ctrl+C stops it.');
  const stop = (): void => {
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`The emulator could not start: ${(error as Error).message}`);
  process.exit(1);
});
