import type { AuditEntry, PrerequisiteReport } from '../../domain/ports';
import { SYSTEM_ACTOR } from '../../domain/audit';
import type { ResetJob } from '../../domain/shared';
import { readinessLocale } from '../../readiness/messages';
import type { ReadinessReport } from '../../readiness/report';
import { itemFix, itemTitle, STATUS_SYMBOLS } from '../../readiness/renderText';
import { formatTime, plainMarkdown, t } from '../../i18n';
import type { CardSpec, ViewContext } from './cardSpec';
import { errorCodeOf, jobTicketFacts, owner, type Fact } from './facts';

const COMMANDS = ['reset', 'status', 'showPasscode', 'checkSetup', 'audit', 'notifyHere', 'help'];

/** GRAPH_AUTH=delegated only. */
const SIGN_IN_COMMANDS = ['signIn', 'signOut'];

function commandFacts(ctx: ViewContext, signIn = false): Fact[] {
  return [...COMMANDS, ...(signIn ? SIGN_IN_COMMANDS : [])].map((c) => ({
    title: t(ctx.locale, `help.cmd.${c}`),
    value: t(ctx.locale, `help.desc.${c}`),
  }));
}

/** The common commands as buttons: each sends its command as the technician's message. */
const BUTTON_COMMANDS = ['reset', 'status', 'checkSetup', 'help'] as const;

function commandButtons(ctx: ViewContext): Array<{ title: string; command: string }> {
  return BUTTON_COMMANDS.map((c) => ({
    title: t(ctx.locale, `help.button.${c}`),
    command: t(ctx.locale, `help.buttonCommand.${c}`),
  }));
}

export function welcomeSpec(ctx: ViewContext): CardSpec {
  return {
    name: 'welcome',
    data: {
      title: t(ctx.locale, 'welcome.title'),
      intro: t(ctx.locale, 'welcome.intro'),
      tryIt: t(ctx.locale, 'welcome.try'),
      groupNote: t(ctx.locale, 'welcome.groupNote'),
      buttons: commandButtons(ctx),
      commands: commandFacts(ctx),
    },
  };
}

/** The command list; `unknown` adds "I didn't understand that" on top. */
export function helpSpec(
  ctx: ViewContext,
  options: { unknown?: boolean; signIn?: boolean } = {},
): CardSpec {
  return {
    name: 'help',
    data: {
      title: t(ctx.locale, 'help.title'),
      intro: options.unknown ? t(ctx.locale, 'help.unknown') : '',
      buttons: commandButtons(ctx),
      commands: commandFacts(ctx, options.signIn),
      languages: t(ctx.locale, 'help.languages'),
    },
  };
}

/** For an approver, the others' resets waiting for approval come first. */
export function statusSpec(
  ctx: ViewContext,
  jobs: ResetJob[],
  awaitingApproval: ResetJob[] = [],
  ticketUrlTemplate?: string,
): CardSpec {
  const waiting = awaitingApproval.map((job) => ({
    name: t(ctx.locale, 'status.awaitingApproval', { device: job.device.name }),
    facts: [
      {
        title: t(ctx.locale, 'common.requestedBy'),
        value: plainMarkdown(job.requester.name || job.requester.upn || job.requester.aadObjectId),
      },
      {
        title: t(ctx.locale, 'common.requestedAt'),
        value: formatTime(ctx.locale, job.createdAt, ctx.timeZone),
      },
      ...jobTicketFacts(ctx, job, ticketUrlTemplate),
    ],
  }));
  return {
    name: 'status',
    data: {
      title: t(ctx.locale, 'status.title'),
      empty: jobs.length === 0 ? t(ctx.locale, 'status.empty') : '',
      rows: [
        ...waiting,
        ...jobs.map((job) => {
          const whose = owner(job.device.ownerName, job.device.ownerUpn);
          const facts: Fact[] = [
            // Two "Lumia 950"s read apart by their owner.
            ...(whose
              ? [{ title: t(ctx.locale, 'common.owner'), value: plainMarkdown(whose) }]
              : []),
            { title: t(ctx.locale, 'common.state'), value: t(ctx.locale, `jobState.${job.state}`) },
            {
              title: t(ctx.locale, 'common.requestedAt'),
              value: formatTime(ctx.locale, job.createdAt, ctx.timeZone),
            },
          ];
          facts.push(...jobTicketFacts(ctx, job, ticketUrlTemplate));
          const code = job.state === 'done' ? undefined : errorCodeOf(ctx, job);
          if (code)
            facts.push({ title: t(ctx.locale, 'common.errorCode'), value: plainMarkdown(code) });
          return { name: plainMarkdown(job.device.name), facts };
        }),
      ],
    },
  };
}

/** Parts already safe for card markdown (escaped values or messages from t()), joined. */
const joined = (parts: Array<string | undefined>): string =>
  parts.filter((part): part is string => !!part).join(' · ');

const literal = (value: string | undefined): string | undefined =>
  value ? plainMarkdown(value) : undefined;

/** Who acted, by name: Teams' display name, else the UPN, else the tracker ("system") or id. */
function actorLabel(ctx: ViewContext, entry: AuditEntry): string {
  if (entry.actorName) return plainMarkdown(entry.actorName);
  if (entry.actorUpn) return plainMarkdown(entry.actorUpn);
  if (entry.actorId === SYSTEM_ACTOR) {
    const whose = entry.requesterName || entry.requesterUpn;
    return whose
      ? t(ctx.locale, 'audit.systemFor', { requester: whose })
      : t(ctx.locale, 'audit.system');
  }
  return plainMarkdown(entry.actorId);
}

/**
 * One row per entry: time to the second, who (by name), what, which device and whose, the
 * outcome; under it, small, the ids (UPN and object id, ticket, Graph request-id).
 */
export function auditSpec(
  ctx: ViewContext,
  entries: AuditEntry[],
  options: { cappedNote?: string } = {},
): CardSpec {
  return {
    name: 'audit',
    data: {
      title: t(ctx.locale, 'audit.title', { count: entries.length }),
      cappedNote: options.cappedNote ?? '',
      empty: entries.length === 0 ? t(ctx.locale, 'audit.empty') : '',
      rows: entries.map((entry) => ({
        line: joined([
          literal(formatTime(ctx.locale, entry.at, ctx.timeZone, { seconds: true })),
          actorLabel(ctx, entry),
          t(ctx.locale, `audit.action.${entry.action}`),
          entry.deviceName && entry.deviceOwner
            ? t(ctx.locale, 'audit.deviceOf', {
                device: entry.deviceName,
                owner: entry.deviceOwner,
              })
            : literal(entry.deviceName),
          literal(entry.outcome),
        ]),
        ids: joined(
          [
            entry.actorId === SYSTEM_ACTOR ? undefined : entry.actorUpn,
            entry.actorId === SYSTEM_ACTOR ? undefined : entry.actorId,
            entry.ticketRef,
            entry.graphRequestId,
          ].map(literal),
        ),
      })),
    },
  };
}

export const PIN_RESET_SERVICE_CONSENT_URL =
  'https://login.windows.net/common/oauth2/authorize?response_type=code&client_id=b8456c59-1230-44c7-a4a2-99b085333e84&resource=https%3A%2F%2Fgraph.windows.net&redirect_uri=https%3A%2F%2Fcred.microsoft.com&prompt=admin_consent';
export const PIN_RESET_CLIENT_CONSENT_URL =
  'https://login.windows.net/common/oauth2/authorize?response_type=code&client_id=9115dd05-fad5-4f9c-acc7-305d08b1b04e&resource=https%3A%2F%2Fcred.microsoft.com%2F&redirect_uri=ms-appx-web%3A%2F%2FMicrosoft.AAD.BrokerPlugin%2F9115dd05-fad5-4f9c-acc7-305d08b1b04e&prompt=admin_consent';

export const enablePinRecoveryOmaUri = (tenantId: string): string =>
  `./Device/Vendor/MSFT/PassportForWork/${tenantId}/Policies/EnablePinRecovery`;

/** Each prerequisite, passed or missing with its one-line fix, plus the consent links and OMA-URI. */
export function setupSpec(
  ctx: ViewContext,
  report: PrerequisiteReport,
  environment?: ReadinessReport,
): CardSpec {
  const readinessLang = readinessLocale(ctx.locale);
  return {
    name: 'setup',
    data: {
      environmentTitle: t(ctx.locale, 'setup.environment'),
      // No `detail` here: it can name the app id or the data folder; `npm run doctor` shows it.
      environment: (environment?.items ?? []).map((entry) => ({
        outcome: `${STATUS_SYMBOLS[entry.status]} ${t(ctx.locale, `setup.status.${entry.status}`)}`,
        label: itemTitle(entry, readinessLang),
        fix: itemFix(entry, readinessLang) ?? '',
      })),
      title: t(ctx.locale, 'setup.title'),
      tenantLine: t(ctx.locale, 'setup.tenant', { tenantId: report.tenantId }),
      summary: t(ctx.locale, report.allPassed ? 'setup.allPassed' : 'setup.someFailed'),
      summaryColor: report.allPassed ? 'Good' : 'Attention',
      checks: report.checks.map((check) => ({
        outcome: t(ctx.locale, check.passed ? 'setup.passed' : 'setup.failed'),
        label: t(ctx.locale, `setup.check.${check.id}`),
        fix: check.passed ? '' : t(ctx.locale, `setup.fix.${check.id}`),
        detail: check.detail ? t(ctx.locale, 'setup.detail', { detail: check.detail }) : '',
      })),
      omaUriLabel: t(ctx.locale, 'setup.omaUriLabel'),
      omaUri: enablePinRecoveryOmaUri(report.tenantId),
      consentServiceTitle: t(ctx.locale, 'setup.consentService'),
      consentServiceUrl: PIN_RESET_SERVICE_CONSENT_URL,
      consentClientTitle: t(ctx.locale, 'setup.consentClient'),
      consentClientUrl: PIN_RESET_CLIENT_CONSENT_URL,
    },
  };
}

/** "Which reset?" when `show passcode <device>` matches several of the actor's jobs. */
export function chooseJobSpec(ctx: ViewContext, jobs: ResetJob[]): CardSpec {
  return {
    name: 'chooseJob',
    data: {
      title: t(ctx.locale, 'showPasscode.chooseTitle'),
      chooseTitle: t(ctx.locale, 'showPasscode.choose'),
      rows: jobs.map((job) => ({
        jobId: job.id,
        line: `${plainMarkdown(job.device.name)} · ${formatTime(ctx.locale, job.finishedAt ?? job.createdAt, ctx.timeZone)}`,
      })),
    },
  };
}
