import assert from 'node:assert/strict';
import type { ResetJob } from '../../src/domain/shared/job';
import { personalChat } from '../support/teamsActivities';
import { DEMO_TENANT, PEOPLE, TeamsHarness } from '../support/teamsHarness';
import { waitUntil as until } from '../support/waitUntil';

/**
 * One slow Graph call holds only its own job. The emulator answers one technician's
 * resetPasscode POST 25 s late (the Graph client waits up to 30 s, as in production);
 * meanwhile another technician's confirmed reset is submitted, read and delivered.
 */
const SLOW = { id: DEMO_TENANT.devices.alexLumia950, serial: 'RM1104A7K2Q9' };
const OTHER = { id: DEMO_TENANT.devices.kioskLumia, serial: 'RM1104X8Y1Z5' };
const SLOW_POST_MS = 25_000;

describe('server: one slow resetPasscode POST holds only its own job', function () {
  this.timeout(180_000);
  let h: TeamsHarness;

  before(async () => {
    h = await TeamsHarness.start({ graphTimeoutMs: 30_000 });
  });
  after(async () => {
    await h?.close();
  });

  const jobFor = async (deviceId: string) =>
    (await h.app.stores.documents.list<ResetJob>('jobs'))
      .map((doc) => doc.value)
      .find((job) => job.device.id === deviceId);

  const postsFor = (deviceId: string) =>
    h.emulator.requests.filter(
      (r) => r.method === 'POST' && r.url.includes(`${deviceId}/resetPasscode`),
    ).length;

  it('another technician is submitted, read and delivered while the slow POST still waits', async () => {
    h.emulator.slow(1, SLOW_POST_MS, new RegExp(`${SLOW.id}/resetPasscode`));
    await h.confirmReset(PEOPLE.megan, personalChat(PEOPLE.megan), SLOW.serial);
    await until(() => postsFor(SLOW.id) === 1, 'the slow POST to start', 60_000);

    await h.confirmReset(PEOPLE.lee, personalChat(PEOPLE.lee), OTHER.serial);
    const lee = personalChat(PEOPLE.lee).conversationId;
    await until(() => postsFor(OTHER.id) === 1, "the other technician's POST", 60_000);
    await until(
      () =>
        h.connector.shown(lee).some((a) => JSON.stringify(a).includes('"fontType":"Monospace"')),
      "the other technician's passcode",
      60_000,
    );
    // A state, not a measurement: the slow job is still waiting for its POST's answer.
    const slowJob = await jobFor(SLOW.id);
    assert.equal(slowJob?.state, 'submitting', 'the slow POST is still unanswered');
    assert.equal(postsFor(SLOW.id), 1, 'the slow reset was not sent twice');

    // The slow job goes on by itself once Graph answers: submitted once, then delivered.
    const megan = personalChat(PEOPLE.megan).conversationId;
    await until(
      () =>
        h.connector.shown(megan).some((a) => JSON.stringify(a).includes('"fontType":"Monospace"')),
      'the slow reset delivered after all',
      SLOW_POST_MS + 60_000,
    );
    assert.equal(postsFor(SLOW.id), 1);
  });
});
