/**
 * domain/approval: second-person approval: approve, deny, expiry. What code outside the folder may
 * use.
 */
export { decideApproval, MAX_DENY_REASON_LENGTH } from './approvalDecisions';
export { advanceApproval } from './approvalTracking';
