import type { Logger } from '../logger';
import { globalAppMetrics, type AppMetrics } from './appMetrics';
import { stripOutgoingQuery } from './redaction';

export interface Telemetry {
  /** Instruments for the domain and the Graph client (no-ops when telemetry is off). */
  metrics: AppMetrics;
  /** Flushes what is buffered and stops exporting. */
  shutdown(): Promise<void>;
}

/**
 * With APPLICATIONINSIGHTS_CONNECTION_STRING: OpenTelemetry exporting to Application
 * Insights (requests, dependencies, exceptions, the app's metrics). Call it before
 * anything else is loaded, so the HTTP instrumentation sees every module; the meters
 * are created after the provider is registered (they would be no-ops otherwise).
 * Without it: nothing is loaded and every instrument is a no-op.
 */
export async function startTelemetry(
  connectionString: string | undefined,
  logger: Logger,
): Promise<Telemetry> {
  if (!connectionString) return { metrics: globalAppMetrics(), shutdown: async () => undefined };
  // Loaded only when configured (it takes about a second). require, not import(): the
  // CommonJS build, sharing the one @opentelemetry/api copy the app itself uses.
  type AzureMonitor = typeof import('@azure/monitor-opentelemetry');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const monitor = require('@azure/monitor-opentelemetry') as AzureMonitor;
  // A subset of HttpInstrumentationConfig (@opentelemetry/instrumentation-http).
  const http = { enabled: true, requestHook: stripOutgoingQuery };
  monitor.useAzureMonitor({
    azureMonitorExporterOptions: { connectionString },
    instrumentationOptions: { http },
  });
  logger.info('Telemetry is exported to Application Insights');
  return { metrics: globalAppMetrics(), shutdown: () => monitor.shutdownAzureMonitor() };
}
