import { metrics, type Meter } from '@opentelemetry/api';
import type { DeliveryKind, Metrics, ResetOutcome } from '../domain/ports';
import type { ThrottleScope } from '../intune/graphClient';

/** The domain's metrics plus what the Graph client reports. */
export interface AppMetrics extends Metrics {
  graphThrottled(scope: ThrottleScope): void;
}

export const METER_NAME = 'passcode-desk';

/** The instrument names as they appear in Application Insights (customMetrics). */
export const METRIC_NAMES = {
  resets: 'passcode_desk.resets',
  confirmToPasscode: 'passcode_desk.reset.confirm_to_passcode',
  graphThrottled: 'passcode_desk.graph.throttled',
  deliveriesFailed: 'passcode_desk.deliveries.failed',
} as const;

/** From "a device that is online" (seconds) to "one that checks in days later". */
const CONFIRM_TO_PASSCODE_BUCKETS_S = [
  5,
  10,
  20,
  30,
  60,
  120,
  300,
  600,
  1_800,
  3_600,
  4 * 3_600,
  24 * 3_600,
  72 * 3_600,
];

/**
 * Metrics as OpenTelemetry instruments on `meter`. Every attribute is an enum from a
 * fixed set (an outcome, a kind, a scope): nothing a person typed, no device, no
 * passcode, no token.
 */
export function createOtelMetrics(meter: Meter): AppMetrics {
  const resets = meter.createCounter(METRIC_NAMES.resets, {
    description: 'Passcode resets that reached a final state, by outcome',
  });
  const confirmToPasscode = meter.createHistogram(METRIC_NAMES.confirmToPasscode, {
    description: 'Time from the confirm to the passcode reaching the technician',
    unit: 's',
    advice: { explicitBucketBoundaries: CONFIRM_TO_PASSCODE_BUCKETS_S },
  });
  const throttled = meter.createCounter(METRIC_NAMES.graphThrottled, {
    description: 'Microsoft Graph answers 429 (throttled), each attempt counted',
  });
  const deliveriesFailed = meter.createCounter(METRIC_NAMES.deliveriesFailed, {
    description: 'Sends to Teams that failed (passcode or notification)',
  });
  return {
    resetFinished: (outcome: ResetOutcome) => resets.add(1, { outcome }),
    // Instances' clocks differ a little: never a negative duration.
    passcodeDelivered: (seconds: number) => confirmToPasscode.record(Math.max(0, seconds)),
    deliveryFailed: (kind: DeliveryKind, willRetry: boolean) =>
      deliveriesFailed.add(1, { kind, outcome: willRetry ? 'retrying' : 'gaveUp' }),
    graphThrottled: (scope: ThrottleScope) => throttled.add(1, { scope }),
  };
}

/**
 * Instruments on the global meter provider. Without one (no Application Insights) they
 * are no-ops; with one they must be created after it is registered (startTelemetry).
 */
export function globalAppMetrics(): AppMetrics {
  return createOtelMetrics(metrics.getMeter(METER_NAME));
}
