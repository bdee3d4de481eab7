/** The domain's only source of "now", so tests can drive time. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export const addMs = (at: Date | string, ms: number): Date =>
  new Date((typeof at === 'string' ? Date.parse(at) : at.getTime()) + ms);

export const MINUTE_MS = 60_000;
