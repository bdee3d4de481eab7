import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { REAL_TENANT_BEHAVIOUR } from './api';
import { startEmulator } from './server';

const optional = <K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> =>
  (value === undefined ? {} : { [key]: value }) as Partial<Record<K, V>>;

/**
 * `npm run emulator -- --port 4000 --devices 100000 --reset-delay-ms 3000 --latency-ms 0 --tenant FILE --log`
 * plus the real-Graph switches (api.ts GraphBehaviour). Prints the URL it listens on, then
 * serves until Ctrl+C.
 */
const USAGE = `Usage: node dist/src/emulator/cli.js [--port N] [--devices N] [--reset-delay-ms N]
       [--latency-ms N] [--tenant FILE] [--log]
       [--permissions NAME,NAME,...|token] [--list-rows-differ] [--passcode-only-on-beta]
       [--pin-recovery customProfile|settingsCatalog|identityProtection] [--mask-oma-values]
       [--real-tenant]   (all of the switches above but --permissions)`;

const PIN_RECOVERY_KINDS = ['customProfile', 'settingsCatalog', 'identityProtection'] as const;

function usageError(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

/** The permissions the app holds: a comma-separated list, or 'token' (the bearer token's roles/scp). */
function permissions(raw: string | undefined): readonly string[] | 'token' | undefined {
  if (raw === undefined) return undefined;
  if (raw.trim() === 'token') return 'token';
  const names = raw.split(',').map((s) => s.trim());
  if (names.some((n) => !/^[A-Za-z]+(\.[A-Za-z]+)+$/.test(n)))
    usageError(
      `--permissions expects permission names separated by commas, or token, got '${raw}'.`,
    );
  return names;
}

function pinRecovery(raw: string | undefined): (typeof PIN_RECOVERY_KINDS)[number] | undefined {
  if (raw === undefined) return undefined;
  const kind = PIN_RECOVERY_KINDS.find((k) => k === raw);
  return (
    kind ?? usageError(`--pin-recovery expects ${PIN_RECOVERY_KINDS.join(', ')}, got '${raw}'.`)
  );
}

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
        permissions: { type: 'string' },
        'list-rows-differ': { type: 'boolean' },
        'passcode-only-on-beta': { type: 'boolean' },
        'pin-recovery': { type: 'string' },
        'mask-oma-values': { type: 'boolean' },
        'real-tenant': { type: 'boolean' },
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
    ...(values['real-tenant'] ? REAL_TENANT_BEHAVIOUR : {}),
    ...(values['list-rows-differ'] ? { listRowsDiffer: true } : {}),
    ...(values['passcode-only-on-beta'] ? { passcodeOnlyOnBeta: true } : {}),
    ...(values['mask-oma-values'] ? { maskOmaValues: true } : {}),
    ...optional('pinRecovery', pinRecovery(values['pin-recovery'])),
    ...optional('permissions', permissions(values.permissions)),
  });
  console.log(`Intune Graph emulator listening on ${emulator.url}`);
  console.log(
    `  tenant ${emulator.tenantId}; Graph base URLs ${emulator.url}/v1.0 and ${emulator.url}/beta`,
  );
  console.log(
    values.permissions
      ? `  permissions enforced: ${values.permissions}. Ctrl+C stops it.`
      : '  any non-empty "Authorization: Bearer ..." is accepted. Ctrl+C stops it.',
  );
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
