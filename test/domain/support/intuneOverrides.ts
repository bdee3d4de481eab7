import type { Intune } from '../../../src/domain/ports/intune';
export { waitUntil as waitFor } from '../../support/waitUntil';

/** The real Intune with some methods replaced (to stand in for a crash or an outage inside a call). */
export function withOverrides(real: Intune, overrides: Partial<Intune>): Intune {
  return {
    searchDevices: (query, limit) => real.searchDevices(query, limit),
    getDevice: (id) => real.getDevice(id),
    resetPasscode: (id) => real.resetPasscode(id),
    getResetResult: (id) => real.getResetResult(id),
    getResetResults: (ids) => real.getResetResults(ids),
    checkPrerequisites: (tenantId, wanted) => real.checkPrerequisites(tenantId, wanted),
    checkMemberGroups: (userId, groupIds) => real.checkMemberGroups(userId, groupIds),
    ping: () => real.ping(),
    ...overrides,
  };
}

/** A promise that never settles: the process "died" at this point. */
export const never = <T>(): Promise<T> => new Promise<T>(() => undefined);

/** A latch a test awaits until the code under test reaches a point. */
export function latch(): { reached: Promise<void>; open: () => void } {
  let open!: () => void;
  const reached = new Promise<void>((resolve) => (open = resolve));
  return { reached, open };
}
