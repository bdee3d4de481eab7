/**
 * domain/admin: status, one job for a card refresh, check setup, audit, notify here. What code
 * outside the folder may use.
 */
export { checkSetup, jobStatus, notifyHere, ownJob, recentAudit } from './deskAdmin';
