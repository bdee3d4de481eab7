/**
 * domain/reset: pick, confirm and cancel of a reset (ticket policy, device lock, rate limits).
 * What code outside the folder may use.
 */
export { pickDevice } from './pickDevice';
export { cancelReset, confirmReset } from './resetRequests';
