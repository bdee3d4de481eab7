/** domain/search: device search and Pick. What code outside the folder may use. */
export {
  graphRefusal,
  pickDevice,
  readEligibleDevice,
  requesterOf,
  resetInProgress,
  searchDevices,
} from './deviceSearch';
