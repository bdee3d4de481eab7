import type { ActionState } from './device';
import type { Passcode } from './passcode';

/** The resetPasscode entry of a device's deviceActionResults. */
export interface ResetResult {
  actionState: ActionState;
  startDateTime?: string;
  lastUpdatedDateTime?: string;
  /** Int32 in Graph; Microsoft documents no meanings. */
  errorCode?: number;
  /** Present only when actionState is done (and Graph returned one). */
  passcode?: Passcode;
}
