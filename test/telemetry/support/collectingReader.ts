import {
  MeterProvider,
  MetricReader,
  type HistogramMetricData,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import { createOtelMetrics, type AppMetrics } from '../../../src/telemetry/appMetrics';

/** One data point as a test reads it. */
export interface Point {
  name: string;
  attributes: Record<string, unknown>;
  /** A counter's sum. */
  value?: number;
  /** A histogram's count and sum. */
  count?: number;
  sum?: number;
}

/** A reader that exports nowhere: the test collects on demand (the SDK's in-memory path). */
class CollectingReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

/**
 * createOtelMetrics on a real OpenTelemetry SDK MeterProvider (the one the Azure Monitor
 * distro registers), read back in memory instead of being exported.
 */
export class MetricsProbe {
  readonly metrics: AppMetrics;
  private readonly reader = new CollectingReader();
  private readonly provider = new MeterProvider({ readers: [this.reader] });

  constructor() {
    this.metrics = createOtelMetrics(this.provider.getMeter('passcode-desk-test'));
  }

  /** Everything recorded so far, as the SDK would hand it to an exporter. */
  async raw(): Promise<ResourceMetrics> {
    const { resourceMetrics, errors } = await this.reader.collect();
    if (errors.length > 0) throw errors[0];
    return resourceMetrics;
  }

  async points(): Promise<Point[]> {
    const points: Point[] = [];
    for (const scope of (await this.raw()).scopeMetrics) {
      for (const metric of scope.metrics) {
        for (const dataPoint of metric.dataPoints) {
          const base = { name: metric.descriptor.name, attributes: { ...dataPoint.attributes } };
          const value = dataPoint.value;
          if (typeof value === 'number') points.push({ ...base, value });
          else {
            const histogram = value as HistogramMetricData['dataPoints'][number]['value'];
            points.push({ ...base, count: histogram.count, sum: histogram.sum });
          }
        }
      }
    }
    return points;
  }

  /** The counter's value for exactly these attributes (0 when never recorded). */
  async counter(name: string, attributes: Record<string, unknown>): Promise<number> {
    const found = (await this.points()).find(
      (p) => p.name === name && sameAttributes(p.attributes, attributes),
    );
    return found?.value ?? 0;
  }

  shutdown(): Promise<void> {
    return this.provider.shutdown();
  }
}

function sameAttributes(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}
