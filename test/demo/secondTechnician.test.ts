import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PLAYGROUND } from '../../src/demo/playgroundConfig';
import {
  NothingToApproveError,
  pressAsSecondTechnician,
  SECOND_TECHNICIAN,
} from '../../src/demo/secondTechnician';
import { startDemoStack, type DemoStack } from '../../src/demo/stack';
import type { ResetJob } from '../../src/domain/shared/job';
import { DEMO_TENANT } from '../../src/emulator/demoTenant';
import { silentLogger } from '../../src/logger';
import { waitUntil } from '../support/waitUntil';

/** Polls a stored state (nothing else tells when the bot wrote it). */
const until = (what: string, check: () => Promise<boolean>, timeoutMs = 30_000) =>
  waitUntil(check, what, timeoutMs);

/**
 * The offline demo with APPROVAL=all: emulator, bot and the real Agents Playground. Adele
 * types "notify here" and "reset" through the Playground's conversation API (what its UI
 * does); Pick and Confirm go to the bot as Adele's presses; Megan's Approve is asked of the
 * Playground, as `npm run demo:approve` does.
 */
describe('demo: the second technician approves through the Agents Playground', function () {
  this.timeout(120_000);
  let stack: DemoStack;
  let dataDir: string;
  const adele = PLAYGROUND.currentUser;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'passcode-desk-demo-approval-'));
    stack = await startDemoStack({
      dataDir,
      playground: true,
      approval: 'all',
      resetDelayMs: 300,
      logger: silentLogger,
    });
  });
  after(async () => {
    await stack?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const documents = () => stack.app.stores.documents;

  async function playgroundMessage(conversationId: string, text: string, mention: boolean) {
    const mentionText = `<at>${PLAYGROUND.bot.name}</at>`;
    const response = await fetch(
      `${stack.playground!.url}/_conversation/v1/conversations/${encodeURIComponent(conversationId)}/messages`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          from: { id: adele.id },
          text: mention ? `${mentionText} ${text}` : text,
          textFormat: 'plain',
          ...(mention
            ? { mentions: [{ mentioned: { id: PLAYGROUND.bot.id }, text: mentionText }] }
            : {}),
        }),
      },
    );
    assert.equal(response.status, 200, await response.text());
  }

  /** Adele's press in her personal chat, as the Playground sends it to the bot. */
  async function adelePress(verb: string, data: Record<string, unknown>) {
    const response = await fetch(`${stack.app.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'invoke',
        name: 'adaptiveCard/action',
        id: `press-${verb}`,
        timestamp: new Date().toISOString(),
        channelId: 'msteams',
        serviceUrl: stack.playground!.connectorUrl,
        from: { id: adele.id, name: adele.name, aadObjectId: adele.aadObjectId },
        recipient: PLAYGROUND.bot,
        conversation: {
          id: PLAYGROUND.personalChatId,
          conversationType: 'personal',
          tenantId: PLAYGROUND.tenantId,
        },
        channelData: { tenant: { id: PLAYGROUND.tenantId } },
        locale: 'en-US',
        replyToId: 'results-card',
        value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
      }),
    });
    assert.equal(response.status, 200);
  }

  it('Megan Bowen approves in the channel; the passcode reaches Adele privately', async () => {
    await assert.rejects(
      pressAsSecondTechnician({ documents: documents(), verb: 'approve' }),
      NothingToApproveError,
    );
    await playgroundMessage(PLAYGROUND.team.channel.id, 'notify here', true);
    await until(
      'the helpdesk channel setting',
      async () => (await documents().list('settings')).length > 0,
    );
    await playgroundMessage(PLAYGROUND.personalChatId, 'reset RM1152D2H7J3', false);
    let pickId = '';
    await until('the results card', async () => {
      const search = (
        await documents().list<{ rows: Array<{ key: string; deviceId: string }> }>('picks')
      )[0];
      const row = search?.value.rows.find((r) => r.deviceId === DEMO_TENANT.devices.leeLumia650);
      pickId = search && row ? `${search.key}${row.key}` : '';
      return pickId !== '';
    });
    await adelePress('pick', { pickId });
    const pendingActionId = (await documents().list('pendingActions'))[0]!.key;
    await adelePress('confirm', { pendingActionId, ticketRef: 'INC0000001' });
    await until('the approval card in the channel', async () =>
      (await documents().list<ResetJob>('jobs')).some((j) => j.value.approval?.posted === true),
    );
    // A whole tracker cycle after the approval card: still nothing sent before the approval.
    await stack.app.tracker.runOnce();
    assert.equal(stack.emulator.resetCalls(DEMO_TENANT.devices.leeLumia650), 0);

    const pressed = await pressAsSecondTechnician({ documents: documents(), verb: 'approve' });
    assert.equal(SECOND_TECHNICIAN.name, 'Megan Bowen');
    assert.equal(pressed.device, 'LEE-LUMIA650');
    assert.match(JSON.stringify(pressed.card), /Approved by Megan Bowen/);

    await until('the passcode in Adele’s personal chat', async () => {
      const job = (await documents().list<ResetJob>('jobs'))[0]!.value;
      return job.delivery?.state === 'sent' && job.approval?.cardsUpdated === true;
    });
    const job = (await documents().list<ResetJob>('jobs'))[0]!.value;
    assert.equal(job.requester.aadObjectId, adele.aadObjectId);
    assert.equal(job.approval?.decision?.by?.aadObjectId, SECOND_TECHNICIAN.aadObjectId);
    assert.equal(stack.emulator.resetCalls(DEMO_TENANT.devices.leeLumia650), 1);
    await assert.rejects(
      pressAsSecondTechnician({ documents: documents(), verb: 'approve' }),
      NothingToApproveError,
      'nothing waits any more',
    );
  });
});
