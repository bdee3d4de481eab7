/**
 * What the domain reports for dashboards and alerts. Every argument is an enum or a
 * number: there is no parameter through which a passcode, a token, a device name or a
 * person could reach telemetry. src/telemetry implements it with OpenTelemetry; the
 * default does nothing.
 */
export type ResetOutcome = 'done' | 'failed' | 'canceled' | 'notSupported' | 'timedOut';

/** What a failed send to Teams was carrying. */
export type DeliveryKind = 'passcode' | 'notification';

export interface Metrics {
  /** A reset reached its final state (counted once per job, by the instance that stored it). */
  resetFinished(outcome: ResetOutcome): void;
  /** The passcode reached the requester's 1:1 chat, `seconds` after the reset was confirmed. */
  passcodeDelivered(seconds: number): void;
  /** A send to Teams failed; `willRetry` is false when it was the last try. */
  deliveryFailed(kind: DeliveryKind, willRetry: boolean): void;
}

export const noMetrics: Metrics = {
  resetFinished: () => undefined,
  passcodeDelivered: () => undefined,
  deliveryFailed: () => undefined,
};
