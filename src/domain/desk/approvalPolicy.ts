import type { Device } from '../shared';
import type { DeskSettings } from './deskSettings';
import { platformRuleFor } from './eligibility';

/** The key of the eligibility row the device falls under (the first that matches), if any. */
export function platformKeyOf(device: Device): string | undefined {
  return platformRuleFor(device)?.platform;
}

/**
 * Whether a reset of a device on `platform` waits for a second person (APPROVAL). With a
 * platform list, an unknown platform needs approval: the rule fails closed.
 */
export function needsApproval(
  settings: Pick<DeskSettings, 'APPROVAL'>,
  platform: string | undefined,
): boolean {
  const approval = settings.APPROVAL;
  if (approval === 'off') return false;
  if (approval === 'all') return true;
  return platform === undefined || approval.includes(platform);
}
