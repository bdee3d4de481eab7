/**
 * domain/tracking: the tracker: submission, result reads and their priority, leases, housekeeping.
 * What code outside the folder may use.
 */
export { Tracker } from './tracker';
export { defaultInstanceId } from './trackingLease';
