/**
 * domain/desk: what the bot may ask (Desk) and its answers and refusals; the rules it applies:
 * platform eligibility table, approval policy, settings. What code outside the folder may use.
 */
export { needsApproval, platformKeyOf } from './approvalPolicy';
export { graphRefusal, refuse } from './desk';
export type {
  ActivityRefusal,
  ConfirmAnswer,
  DecisionAnswer,
  Desk,
  DeviceRow,
  PersonChoice,
  PickAnswer,
  Refusal,
  SearchAnswer,
  ShowPasscodeAnswer,
} from './desk';
export {
  enabledPlatforms,
  POLICY,
  QUICK_TRACKING_MS,
  retryBackoffMs,
  trackingAgeMs,
  trackingIntervalMs,
} from './deskSettings';
export type { DeskSettings } from './deskSettings';
export {
  checkedWhenPicked,
  evaluateEligibility,
  PLATFORM_RULES,
  platformRuleFor,
  prerequisitesOf,
  RESET_PLATFORM_KEYS,
  resetBehaviourOf,
  supportedRule,
} from './eligibility';
export type { EligibilityVerdict, ResetDelivery } from './eligibility';
