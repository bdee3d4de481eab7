import { DEMO_TENANT } from '../emulator/demoTenant';

/**
 * The Agents Playground's mock Teams tenant (its `.m365agentsplayground.yml`), lined up
 * with the emulator's demo tenant: the same tenant id, and people whose aadObjectIds are
 * demo directory users, so role checks (checkMemberGroups) and "whose device" read true.
 * The committed .m365agentsplayground.yml is this text (a test keeps them equal).
 */
export interface PlaygroundPerson {
  /** Teams user id (29:...). */
  id: string;
  name: string;
  upn: string;
  aadObjectId: string;
  givenName: string;
  surname: string;
}

const person = (
  slug: string,
  aadObjectId: string,
  givenName: string,
  surname: string,
): PlaygroundPerson => ({
  id: `29:1demo-${slug}`,
  name: `${givenName} ${surname}`,
  upn: `${slug}@${DEMO_TENANT.domain}`,
  aadObjectId,
  givenName,
  surname,
});

export const PLAYGROUND = {
  tenantId: DEMO_TENANT.tenantId,
  bot: { id: '28:00000000-0000-0000-0000-00000000b071', name: 'Passcode Desk' },
  /** Who types in the playground: a helpdesk admin, so a technician too (nested group). */
  currentUser: person('adele.vance', DEMO_TENANT.users.adeleVance, 'Adele', 'Vance'),
  /** Exactly five others (the playground's schema insists); all are in the group chat and team. */
  users: [
    person('megan.bowen', DEMO_TENANT.users.meganBowen, 'Megan', 'Bowen'),
    person('lee.gu', DEMO_TENANT.users.leeGu, 'Lee', 'Gu'),
    person('nestor.wilke', DEMO_TENANT.users.nestorWilke, 'Nestor', 'Wilke'),
    person('alex.wilber', DEMO_TENANT.users.alexWilber, 'Alex', 'Wilber'),
    person('diego.siciliani', DEMO_TENANT.users.diegoSiciliani, 'Diego', 'Siciliani'),
  ],
  personalChatId: 'a:1demo-personal-chat-adele',
  groupChat: { id: '19:demo-helpdesk-group-chat@thread.v2', name: 'Helpdesk group chat' },
  team: {
    /** The General channel's conversation id is the team id. */
    id: '19:demo-it-helpdesk-general@thread.tacv2',
    name: 'IT Helpdesk',
    aadGroupId: DEMO_TENANT.groups.allStaff,
    channel: { id: '19:demo-helpdesk-notifications@thread.tacv2', name: 'Helpdesk notifications' },
  },
} as const;

/** A YAML single-quoted scalar (the style prettier keeps). */
const quote = (value: string): string => `'${value.replaceAll("'", "''")}'`;

function userYaml(p: PlaygroundPerson, indent: string): string {
  return [
    `id: ${quote(p.id)}`,
    `name: ${quote(p.name)}`,
    `userPrincipleName: ${quote(p.upn)}`,
    `aadObjectId: ${quote(p.aadObjectId)}`,
    `givenName: ${quote(p.givenName)}`,
    `surname: ${quote(p.surname)}`,
    `email: ${quote(p.upn)}`,
  ]
    .map((line, i) => (i === 0 ? line : indent + line))
    .join('\n');
}

/** The playground config file (schema 0.1.1; "userPrincipleName" is its spelling). */
export function playgroundConfigYaml(): string {
  const p = PLAYGROUND;
  return `# Microsoft 365 Agents Playground: the mock Teams tenant used by \`npm start\` and test/e2e.
# Generated from src/demo/playgroundConfig.ts; it mirrors the emulator's demo tenant
# (src/emulator/tenants/demo-tenant.json). Regenerate rather than edit by hand.
version: '0.1.1'
tenantId: ${quote(p.tenantId)}
bot:
  id: ${quote(p.bot.id)}
  name: ${quote(p.bot.name)}
currentUser:
  ${userYaml(p.currentUser, '  ')}
users:
${p.users.map((u) => `  - ${userYaml(u, '    ')}`).join('\n')}
personalChat:
  id: ${quote(p.personalChatId)}
groupChat:
  id: ${quote(p.groupChat.id)}
  name: ${quote(p.groupChat.name)}
team:
  id: ${quote(p.team.id)}
  name: ${quote(p.team.name)}
  aadGroupId: ${quote(p.team.aadGroupId)}
  channels:
    - id: ${quote(p.team.channel.id)}
      name: ${quote(p.team.channel.name)}
`;
}
