import { DEMO_TENANT } from '../emulator/demoTenant';
import type { TenantData } from '../emulator/tenantData';
import { DEMO_TIMINGS } from './demoSettings';
import { PLAYGROUND } from './playgroundConfig';

export interface BannerInput {
  tenant: TenantData;
  playgroundUrl?: string;
  botUrl: string;
  emulatorUrl: string;
  dataDir: string;
  /** APPROVAL is on: say how the second technician approves. */
  approval?: boolean;
}

/** What `npm start` prints once everything listens: where to go and what to type. */
export function demoBanner(input: BannerInput): string {
  const deviceName = (id: string): string =>
    input.tenant.managedDevices.find((d) => d.id === id)?.deviceName ?? id;
  const userUpn = (id: string): string =>
    input.tenant.users.find((u) => u.id === id)?.userPrincipalName ?? id;
  const t = DEMO_TIMINGS;
  const tries: Array<[string, string]> = [
    [
      'reset lumia 950',
      `several phones match: Pick one, Confirm; the new passcode arrives here in about ${t.resetDelaySeconds} s`,
    ],
    ['', `and is hidden again after ${t.passcodeVisibleMinutes} minutes`],
    [
      `reset ${userUpn(DEMO_TENANT.users.alexWilber)}`,
      "every device of a user; the desktop can't be reset",
    ],
    [`reset ${deviceName(DEMO_TENANT.devices.failingReset)}`, 'Intune reports the reset failed'],
    [
      `reset ${deviceName(DEMO_TENANT.devices.neverChecksIn)}`,
      `never checks in: a reminder after ${t.reminderAfterMinutes} min, a timeout after ${t.resetTimeoutMinutes} min`,
    ],
    [
      `reset ${deviceName(DEMO_TENANT.devices.tooOld)}`,
      'too old a Windows 10 Mobile: not eligible',
    ],
    [
      `reset ${deviceName(DEMO_TENANT.devices.henriettaAndroidWorkProfile)}`,
      'Android work profile: a new work-profile passcode, privately',
    ],
    [
      `reset ${deviceName(DEMO_TENANT.devices.meganIPhone)}`,
      'iOS: Remove passcode (tick the line), then a notice with no secret',
    ],
    [
      `reset ${deviceName(DEMO_TENANT.devices.deviceAdminAndroid10)}`,
      'Android device administrator on Android 10: not eligible',
    ],
    ['check setup', 'the prerequisites of every platform served'],
    ['status', 'your recent resets'],
    ['help', 'everything else (commands work in Traditional Chinese too: 重設 lumia)'],
  ];
  const width = Math.max(...tries.map(([command]) => command.length)) + 3;
  const lines = [
    '',
    'Passcode Desk: offline demo. Nothing is configured, so nothing leaves this machine:',
    'Intune is the built-in emulator, Teams is the Microsoft 365 Agents Playground.',
    '',
    input.playgroundUrl
      ? `  Open ${input.playgroundUrl} in a browser.`
      : '  The Agents Playground is not installed (npm install with dev dependencies): connect a Bot Framework client to the bot below.',
    `  You are ${PLAYGROUND.currentUser.name} (helpdesk admin) of ${input.tenant.displayName}. In Personal Chat, type:`,
    '',
    ...tries.map(([command, what]) => `    ${command.padEnd(width)}${what}`),
    '',
    `  In "${PLAYGROUND.groupChat.name}" mention the bot first (type @Pass and pick Passcode Desk), e.g.`,
    '  "@Passcode Desk reset lumia 950": the passcode still comes to your Personal Chat, never to the group.',
    `  In the "${PLAYGROUND.team.channel.name}" channel, "@Passcode Desk notify here" makes it the helpdesk`,
    '  channel: failures and timeouts are then posted there too.',
    ...(input.approval
      ? [
          '',
          '  APPROVAL is on: run "notify here" in the channel first. A Confirm then waits for a second',
          `  technician; the approval card appears in the channel. The Playground types as ${PLAYGROUND.currentUser.name} only,`,
          `  so ${PLAYGROUND.users[0].name} approves from a second terminal: npm run demo:approve`,
          '  (or: npm run demo:approve -- --deny "reason"). The passcode still comes to your Personal Chat.',
        ]
      : []),
    '',
    `  Bot:       ${input.botUrl}/api/messages (authentication off: local development)`,
    `  Emulator:  ${input.emulatorUrl} (Graph v1.0 and beta, tenant ${input.tenant.tenantId})`,
    `  Data/logs: ${input.dataDir} (bot.log, playground.log; cleared at every start)`,
    '',
    'Press Ctrl+C to stop.',
    '',
  ];
  return lines.join('\n');
}
