import type { Device, DeviceSummary, ResetJob } from '../../domain/shared';
import { formatTime, plainMarkdown, t } from '../../i18n';
import type { ViewContext } from './cardSpec';
import { describeIntuneCode } from './errorCodes';

export interface Fact {
  title: string;
  value: string;
}

export const ADMIN_CENTER_DEVICE_URL =
  'https://intune.microsoft.com/#view/Microsoft_Intune_Devices/DeviceSettingsMenuBlade/~/overview/mdmDeviceId/';

export function adminCenterUrl(deviceId: string): string {
  return `${ADMIN_CENTER_DEVICE_URL}${encodeURIComponent(deviceId)}`;
}

/** Values come from Intune, Teams or the technician: shown literally, never as markdown. */
const fact = (ctx: ViewContext, labelKey: string, value: string): Fact => ({
  title: t(ctx.locale, labelKey),
  value: plainMarkdown(value),
});

/** A time from the job, in the reader's locale and time zone. */
const timeFact = (ctx: ViewContext, labelKey: string, iso: string): Fact =>
  fact(ctx, labelKey, formatTime(ctx.locale, iso, ctx.timeZone));

/** "Alex Wilber (alex.wilber@…)", or whichever of the two there is. */
export function owner(
  name: string | null | undefined,
  upn: string | null | undefined,
): string | undefined {
  if (name && upn && name !== upn) return `${name} (${upn})`;
  return name || upn || undefined;
}

function model(
  manufacturer: string | null | undefined,
  name: string | null | undefined,
): string | undefined {
  if (manufacturer && name && !name.toLowerCase().startsWith(manufacturer.toLowerCase())) {
    return `${manufacturer} ${name}`;
  }
  return name || manufacturer || undefined;
}

/** Owner, model, OS version, serial and last check-in of a device (present fields only). */
export function deviceFacts(
  ctx: ViewContext,
  device: Device,
  include: { serial?: boolean; name?: boolean } = {},
): Fact[] {
  const facts: Fact[] = [];
  if (include.name) facts.push(fact(ctx, 'common.device', device.deviceName));
  const who = owner(device.userDisplayName, device.userPrincipalName ?? device.emailAddress);
  facts.push(fact(ctx, 'common.owner', who ?? t(ctx.locale, 'common.unknown')));
  const what = model(device.manufacturer, device.model);
  if (what) facts.push(fact(ctx, 'common.model', what));
  if (device.osVersion) {
    const os = device.operatingSystem
      ? `${device.operatingSystem} ${device.osVersion}`
      : device.osVersion;
    facts.push(fact(ctx, 'common.osVersion', os));
  }
  if (include.serial && device.serialNumber)
    facts.push(fact(ctx, 'common.serial', device.serialNumber));
  facts.push(
    fact(
      ctx,
      'common.lastCheckIn',
      device.lastSyncDateTime
        ? formatTime(ctx.locale, device.lastSyncDateTime, ctx.timeZone)
        : t(ctx.locale, 'common.never'),
    ),
  );
  return facts;
}

export function summaryFacts(ctx: ViewContext, device: DeviceSummary): Fact[] {
  const facts = [fact(ctx, 'common.device', device.name)];
  const who = owner(device.ownerName, device.ownerUpn);
  if (who) facts.push(fact(ctx, 'common.owner', who));
  if (device.model) facts.push(fact(ctx, 'common.model', device.model));
  if (device.serialNumber) facts.push(fact(ctx, 'common.serial', device.serialNumber));
  return facts;
}

/**
 * The ticket reference, as a link when TICKET_URL_TEMPLATE is set: `{ticket}` becomes the
 * URL-encoded reference (brackets too, so the markdown link cannot be cut short).
 */
export function ticketFact(ctx: ViewContext, ticketRef: string, urlTemplate?: string): Fact {
  const label = plainMarkdown(ticketRef);
  if (!urlTemplate) return { title: t(ctx.locale, 'common.ticket'), value: label };
  const url = urlTemplate
    .replaceAll('{ticket}', encodeURIComponent(ticketRef))
    .replace(/[()<>\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  return { title: t(ctx.locale, 'common.ticket'), value: `[${label}](${url})` };
}

/** The ticket fact of a job, if it has a ticket. */
export const jobTicketFacts = (ctx: ViewContext, job: ResetJob, urlTemplate?: string): Fact[] =>
  job.ticketRef ? [ticketFact(ctx, job.ticketRef, urlTemplate)] : [];

/** Device, owner, requester, request time, state, ticket: the body of every job card. */
export function jobFacts(
  ctx: ViewContext,
  job: ResetJob,
  extra: { failure?: boolean; ticketUrlTemplate?: string } = {},
): Fact[] {
  const facts = summaryFacts(ctx, job.device);
  const requester = job.requester.name || job.requester.upn;
  if (requester) facts.push(fact(ctx, 'common.requestedBy', requester));
  facts.push(timeFact(ctx, 'common.requestedAt', job.submittedAt ?? job.createdAt));
  facts.push(fact(ctx, 'common.state', t(ctx.locale, `jobState.${job.state}`)));
  facts.push(...jobTicketFacts(ctx, job, extra.ticketUrlTemplate));
  if (extra.failure) {
    const none = t(ctx.locale, 'common.notApplicable');
    // Only a real code: Intune reports 0 while nothing went wrong (reminders, timeouts).
    const code = errorCodeOf(ctx, job);
    if (code) facts.push(fact(ctx, 'common.errorCode', code));
    facts.push(timeFact(ctx, 'common.time', job.finishedAt ?? job.updatedAt));
    facts.push(fact(ctx, 'common.requestId', job.graphRequestId ?? none));
  }
  return facts;
}

/**
 * Intune's error code with its meaning when known; else why Graph refused or lost the job
 * (e.g. "403 Forbidden", "404 deviceNotFound"); else nothing (0 is no error).
 */
export function errorCodeOf(ctx: ViewContext, job: ResetJob): string | undefined {
  const intune = describeIntuneCode(ctx.locale, job.errorCode);
  if (intune) return intune;
  if (!job.failure) return undefined;
  return [job.failure.status, job.failure.code].filter((part) => part !== undefined).join(' ');
}
