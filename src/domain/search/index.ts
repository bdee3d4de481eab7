/**
 * domain/search: device search, each row decided by the platform eligibility table (desk/) and
 * given a Pick id; Pick itself is reset/'s. What code outside the folder may use.
 */
export { searchDevices, staleness } from './deviceSearch';
