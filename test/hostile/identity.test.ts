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
      name: 'an aadObjectId that is a Graph path (../../me) is no identity',
      user: anonymous('../../../v1.0/me'),
      text: 'reset RM1104A7K2Q9',
      answer: NOT_TECHNICIAN,
      audited: { outcome: 'notTechnician' },
    },
    {
      name: 'an aadObjectId with a path and query after a real id is no identity',
      user: anonymous(`${DEMO_TENANT.users.meganBowen}/checkMemberGroups?x=`),
      text: 'status',
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
