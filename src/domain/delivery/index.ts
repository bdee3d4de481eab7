/**
 * domain/delivery: the passcode to the requester privately, hidden on time; show passcode again.
 * What code outside the folder may use.
 */
export { hideIfDue } from './passcodeCopies';
export { deliverIfDue } from './passcodeDelivery';
export { showPasscode } from './passcodeView';
