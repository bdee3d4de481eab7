/**
 * domain/context: what the operations share (core, desk and tracker contexts, Graph pause, read
 * budget). What code outside the folder may use.
 */
export type { CoreContext } from './coreContext';
export { boundTo } from './deskContext';
export type { DeskContext } from './deskContext';
export { ReadBudget } from './readBudget';
export {
  claim,
  GraphGate,
  isDue,
  leasedByOther,
  record,
  refreshOriginCard,
  settle,
} from './trackerContext';
export type { StepParts, TrackerContext } from './trackerContext';
