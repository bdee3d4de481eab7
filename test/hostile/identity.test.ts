import assert from 'node:assert/strict';
import { CONVERSATIONS_COLLECTION, USERS_COLLECTION } from '../../src/bot/directory';
import { personalChat, TeamsActivities, type TeamsUser } from '../support/teamsActivities';
import { DEMO_TENANT, PEOPLE, type TeamsHarness } from '../support/teamsHarness';
import { guarded, recentAudit, repliesText, startHostile } from './support/hostileHarness';

/**
 * Who is asking: an activity without an Entra identity, with an identity that is no
 * object id, without a tenant or from a tenant outside ALLOWED_TENANT_IDS gets no
 * device data, and every refusal is audited.
 */
const FOREIGN_TENANT = 'f0f0f0f0-0000-4000-8000-000000000bad';
const NOT_TECHNICIAN = /Only helpdesk technicians can do this\./;
const NOT_ENABLED = /Passcode Desk isn't enabled for your organization\./;
/** What any device answer would show for this query. */
const DEVICE_DATA = /Lumia|Alex Wilber|RM1104A7K2Q9”:/;

const anonymous = (aadObjectId?: string): TeamsUser =>
  ({ id: '29:1anonymous', name: 'Anonymous', aadObjectId }) as TeamsUser;

interface IdentityCase {
  name: string;
  user: TeamsUser;
  activities?: () => TeamsActivities;
  text: string;
  answer: RegExp;
  audited: { outcome: string; tenantId?: string };
  /** Strip the tenant from the activity. */
  noTenant?: boolean;
}

function identityCases(h: () => TeamsHarness): IdentityCase[] {
  const foreign = () => new TeamsActivities(h().activities.serviceUrl, FOREIGN_TENANT);
  return [
    {
      name: 'no from.aadObjectId: a search gets no device data',
      user: anonymous(),
      text: 'reset RM1104A7K2Q9',
      answer: NOT_TECHNICIAN,
      audited: { outcome: 'notTechnician' },
    },
    {
      name: 'no from.aadObjectId: show passcode is refused',
      user: anonymous(),
      text: 'show passcode lumia',
      answer: NOT_TECHNICIAN,
      audited: { outcome: 'notTechnician' },
    },
    {
      name: 'no tenant on the activity',
      user: PEOPLE.megan,
      text: 'reset RM1104A7K2Q9',
      answer: NOT_ENABLED,
      audited: { outcome: 'tenantNotAllowed', tenantId: '' },
      noTenant: true,
    },
    {
      name: 'a tenant outside ALLOWED_TENANT_IDS searches',
      user: PEOPLE.megan,
      activities: foreign,
      text: 'reset RM1104A7K2Q9',
      answer: NOT_ENABLED,
      audited: { outcome: 'tenantNotAllowed', tenantId: FOREIGN_TENANT },
    },
    {
      name: "a tenant outside ALLOWED_TENANT_IDS asks for the admin's audit log",
      user: PEOPLE.adele,
      activities: foreign,
      text: 'audit 50',
      answer: NOT_ENABLED,
      audited: { outcome: 'tenantNotAllowed', tenantId: FOREIGN_TENANT },
    },
  ];
}

function describeIdentity(
  title: string,
  env: Record<string, string>,
  only: (c: IdentityCase) => boolean = () => true,
): void {
  describe(title, function () {
    this.timeout(30_000);
    let h: TeamsHarness;

    before(async () => {
      h = await startHostile({ env });
    });
    after(async () => {
      await h?.close();
    });

    for (const c of identityCases(() => h).filter(only)) {
      it(c.name, async () => {
        await guarded(h, async () => {
          const activities = c.activities?.() ?? h.activities;
          const activity = activities.message(c.user, personalChat(c.user), c.text);
          if (c.noTenant) {
            delete (activity.conversation as Record<string, unknown>).tenantId;
            activity.channelData = {};
          }
          const graphBefore = h.emulator.requests.length;
          const text = repliesText(await h.say(activity));
          assert.match(text, c.answer);
          assert.ok(!DEVICE_DATA.test(text), `device data in a refusal: ${text}`);
          const asked = h.emulator.requests.slice(graphBefore).map((r) => r.url);
          assert.deepEqual(asked, [], 'Graph was not asked (no search, no group check)');
          const entry = (await recentAudit(h, 5)).find((e) => e.action === 'refused');
          assert.equal(entry?.outcome, c.audited.outcome);
          if (c.audited.tenantId !== undefined) assert.equal(entry?.tenantId, c.audited.tenantId);
          if (c.audited.tenantId === FOREIGN_TENANT) {
            for (const collection of [CONVERSATIONS_COLLECTION, USERS_COLLECTION]) {
              const kept = await h.app.stores.documents.list<{ tenantId?: string }>(collection);
              assert.ok(
                !kept.some((doc) => doc.value.tenantId === FOREIGN_TENANT),
                `nothing about a foreign tenant is kept in ${collection}`,
              );
            }
          }
        });
      });
    }
  });
}

describeIdentity('hostile: identity and tenant (HELPDESK_GROUP_IDS set)', {});

// The offline demo makes every local user a technician: still not someone without an identity.
describeIdentity(
  'hostile: identity (local development, no HELPDESK_GROUP_IDS: everyone is a technician)',
  { HELPDESK_GROUP_IDS: '', ADMIN_GROUP_IDS: '' },
  (c) => c.audited.outcome === 'notTechnician',
);

type Activity = Record<string, unknown>;
type Bend = (activity: Activity) => void;
const LONG_ID = 'f'.repeat(60_000);

interface DoorCase {
  name: string;
  bend: Bend;
  outcome: 'channelNotAllowed' | 'tenantMismatch' | 'malformedIds';
  /** The field named in the audit detail. */
  field: string;
}

const account = (a: Activity, key: string) => a[key] as Record<string, unknown>;

const DOOR_CASES: DoorCase[] = [
  {
    name: 'channelId webchat (not msteams)',
    bend: (a) => (a.channelId = 'webchat'),
    outcome: 'channelNotAllowed',
    field: 'channelId',
  },
  {
    name: 'channelId holding a forged log line',
    bend: (a) => (a.channelId = 'msteams\n{"level":30,"msg":"ok"}'),
    outcome: 'channelNotAllowed',
    field: 'channelId',
  },
  {
    name: 'conversation.tenantId and channelData.tenant.id disagree',
    bend: (a) => (a.channelData = { tenant: { id: FOREIGN_TENANT } }),
    outcome: 'tenantMismatch',
    field: 'conversation.tenantId',
  },
  {
    name: 'a 60,000-character from.aadObjectId',
    bend: (a) => (account(a, 'from').aadObjectId = LONG_ID),
    outcome: 'malformedIds',
    field: 'from.aadObjectId',
  },
  {
    name: 'an aadObjectId that is a Graph path (../../me)',
    bend: (a) => (account(a, 'from').aadObjectId = '../../../v1.0/me'),
    outcome: 'malformedIds',
    field: 'from.aadObjectId',
  },
  {
    name: 'an aadObjectId with a path and query after a real id',
    bend: (a) =>
      (account(a, 'from').aadObjectId = `${DEMO_TENANT.users.meganBowen}/checkMemberGroups?x=`),
    outcome: 'malformedIds',
    field: 'from.aadObjectId',
  },
  {
    name: 'a 10,000-character from.id',
    bend: (a) => (account(a, 'from').id = `29:${'x'.repeat(10_000)}`),
    outcome: 'malformedIds',
    field: 'from.id',
  },
  {
    name: 'a conversation id with spaces and a line break',
    bend: (a) => (account(a, 'conversation').id = 'a:1 forged\nline'),
    outcome: 'malformedIds',
    field: 'conversation.id',
  },
  {
    name: 'a tenant id that is no GUID in both places',
    bend: (a) => {
      account(a, 'conversation').tenantId = 'contoso.onmicrosoft.com';
      a.channelData = { tenant: { id: 'contoso.onmicrosoft.com' } };
    },
    outcome: 'malformedIds',
    field: 'conversation.tenantId',
  },
];

/** Every document the bot keeps, as a count per collection. */
async function storedCounts(h: TeamsHarness): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const collection of [CONVERSATIONS_COLLECTION, USERS_COLLECTION, 'botstate', 'picks']) {
    counts[collection] = (await h.app.stores.documents.list(collection)).length;
  }
  return counts;
}

describe('hostile: activities Teams would not send are refused at the door', function () {
  this.timeout(30_000);
  let h: TeamsHarness;

  before(async () => {
    h = await startHostile();
  });
  after(async () => {
    await h?.close();
  });

  for (const c of DOOR_CASES) {
    it(`${c.name}: no answer, nothing kept, one bounded audit entry (${c.outcome})`, async () => {
      await guarded(h, async () => {
        // A user the bot has never met, so "nothing kept" is visible in the directory.
        const stranger = {
          id: '29:1door-stranger',
          name: 'Door Stranger',
          aadObjectId: DEMO_TENANT.users.diegoSiciliani,
        };
        const activity = h.activities.message(stranger, personalChat(stranger), 'reset lumia');
        c.bend(activity);
        const stored = await storedCounts(h);
        const graphBefore = h.emulator.requests.length;
        const auditBefore = (await recentAudit(h, 1000)).length;
        const replies = await h.say(activity);
        assert.deepEqual(replies, [], 'no answer');
        assert.equal(h.emulator.requests.length, graphBefore, 'Graph was not asked');
        assert.deepEqual(await storedCounts(h), stored, 'nothing kept');
        const audit = await recentAudit(h, 1000);
        assert.equal(audit.length, auditBefore + 1, 'exactly one audit entry');
        const entry = audit[0]!;
        assert.equal(entry.action, 'refused');
        assert.equal(entry.outcome, c.outcome);
        assert.equal(
          entry.detail,
          `message: ${c.field}${c.name.startsWith('channelId webchat') ? ' (webchat)' : ''}`,
        );
        assert.ok(JSON.stringify(entry).length < 400, `bounded: ${JSON.stringify(entry).length}`);
        assert.doesNotMatch(JSON.stringify(entry), /xxxxxxxx|ffffffffffffffff|forged|\.\.\//);
      });
    });
  }

  it('an invoke (card press) whose tenants disagree is answered 403, nothing pressed', async () => {
    await guarded(h, async () => {
      const place = personalChat(PEOPLE.megan);
      const activity = h.activities.invoke(
        PEOPLE.megan,
        place,
        'pick',
        { pickId: 'AAAAAAAAAAAAAAAAAAAAAA' },
        'm-x',
      );
      activity.channelData = { tenant: { id: FOREIGN_TENANT } };
      const graphBefore = h.emulator.requests.length;
      const result = await h.post(activity);
      assert.equal(result.status, 403, JSON.stringify(result.body));
      assert.equal(h.emulator.requests.length, graphBefore);
      assert.equal((await recentAudit(h, 1))[0]?.outcome, 'tenantMismatch');
    });
  });

  it('the same message from msteams with matching tenants is answered (the door lets Teams in)', async () => {
    await guarded(h, async () => {
      const activity = h.activities.message(PEOPLE.megan, personalChat(PEOPLE.megan), 'help');
      assert.match(repliesText(await h.say(activity)), /What I can do/);
    });
  });
});

describe('hostile: ALLOWED_CHANNEL_IDS lets another channel in', function () {
  this.timeout(30_000);
  let h: TeamsHarness;

  before(async () => {
    h = await startHostile({ env: { ALLOWED_CHANNEL_IDS: 'msteams,webchat' } });
  });
  after(async () => {
    await h?.close();
  });

  it('a webchat help is answered; a directline one is still refused', async () => {
    const webchat = h.activities.message(PEOPLE.megan, personalChat(PEOPLE.megan), 'help');
    webchat.channelId = 'webchat';
    assert.match(repliesText(await h.say(webchat)), /What I can do/);
    const directline = h.activities.message(PEOPLE.megan, personalChat(PEOPLE.megan), 'help');
    directline.channelId = 'directline';
    assert.deepEqual(await h.say(directline), []);
    assert.equal((await recentAudit(h, 1))[0]?.outcome, 'channelNotAllowed');
  });
});
