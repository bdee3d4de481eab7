import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { startDemoStack, type DemoStack } from '../../src/demo/stack';
import { PLAYGROUND } from '../../src/demo/playgroundConfig';
import { DEMO_TENANT } from '../../src/emulator/demoTenant';
import { t } from '../../src/i18n';
import { createLogger } from '../../src/logger';
import { projectRoot } from '../../src/paths';

/**
 * The whole product as a technician sees it: emulator + bot + the Microsoft 365 Agents
 * Playground, driven in headless Chromium. Saves the README screenshots as it goes.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** test-results/screenshots by default; `npm run screenshots` refreshes the README's copies. */
const SHOTS = process.env.SCREENSHOT_DIR ?? join(projectRoot(), 'test-results', 'screenshots');
const WAIT = { timeout: 60_000 };
/** The team channel's tree item, named as the playground shows it. */
const CHANNEL = `${PLAYGROUND.team.name} - ${PLAYGROUND.team.channel.name}`;
const en = (key: string, params?: Record<string, string | number>): string => t('en', key, params);

describe('e2e: Agents Playground → bot → Intune emulator', function () {
  let dataDir: string;
  let stack: DemoStack;
  let browser: Browser;
  let page: Page;
  const logs: string[] = [];

  before(async function () {
    assert.ok(
      existsSync(CHROMIUM),
      `Chromium not found at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`,
    );
    mkdirSync(SHOTS, { recursive: true });
    dataDir = mkdtempSync(join(tmpdir(), 'passcode-desk-e2e-'));
    stack = await startDemoStack({
      dataDir,
      // Long enough to see (and photograph) the waiting card; short enough for CI.
      resetDelayMs: 5_000,
      logger: createLogger('info', { write: (line: string) => void logs.push(line) }),
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 2000 } });
    await page.goto(stack.playground!.url);
    await chatBox().waitFor(WAIT);
  });

  after(async function () {
    await browser?.close().catch(() => undefined);
    await stack?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  /** The message box; in a channel the first one starts a new post (the others reply). */
  const chatBox = (): Locator => page.locator('[data-lexical-editor=true]').first();
  /** The newest card (adaptive card bubble) that shows `text`. */
  const card = (text: string | RegExp): Locator =>
    page.locator('.ac-adaptiveCard').filter({ hasText: text }).last();
  /** A card with a little of the chat around it (not below: the client puts notices there). */
  async function shoot(locator: Locator, name: string, mask: Locator[] = []): Promise<void> {
    await locator.scrollIntoViewIfNeeded();
    const box = await locator.boundingBox();
    assert.ok(box, `${name}: the card is not visible`);
    const margin = 10;
    await page.screenshot({
      path: join(SHOTS, name),
      // A passcode never goes into a snapshot, even an emulator's.
      mask,
      clip: {
        x: box.x - margin,
        y: box.y - margin,
        width: box.width + 2 * margin,
        height: box.height + margin,
      },
    });
  }

  async function send(text: string, options: { mentionBot?: boolean } = {}): Promise<void> {
    await chatBox().click();
    if (options.mentionBot) {
      await page.keyboard.type('@Pass');
      await page.getByRole('menuitem', { name: PLAYGROUND.bot.name }).click(WAIT);
      await page.keyboard.type(' ');
    }
    await page.keyboard.type(text);
    await page.keyboard.press('Enter');
  }

  /** Chats and channels are tree items named as in .m365agentsplayground.yml. */
  async function openChat(name: string): Promise<void> {
    await page.getByRole('treeitem', { name, exact: true }).click(WAIT);
    await chatBox().waitFor(WAIT);
  }

  /** The device the emulator saw exactly one resetPasscode for, and its passcode from Graph. */
  async function resetDeviceAndPasscode(
    exclude: string[] = [],
  ): Promise<{ id: string; passcode: string }> {
    const reset = Object.values(DEMO_TENANT.devices).filter(
      (id) => !exclude.includes(id) && stack.emulator.resetCalls(id) > 0,
    );
    assert.equal(reset.length, 1, `expected one reset device, got ${reset.join(', ')}`);
    const id = reset[0]!;
    assert.equal(stack.emulator.resetCalls(id), 1, 'resetPasscode must be called exactly once');
    const response = await fetch(
      `${stack.emulator.url}/v1.0/deviceManagement/managedDevices/${id}`,
      {
        headers: { Authorization: 'Bearer e2e-test' },
      },
    );
    assert.equal(response.status, 200);
    const device = (await response.json()) as {
      deviceActionResults?: Array<{
        actionName: string;
        actionState: string;
        passcode?: string | null;
      }>;
    };
    const result = device.deviceActionResults?.find((r) => r.actionName === 'resetPasscode');
    assert.equal(result?.actionState, 'done');
    assert.ok(result?.passcode, 'the emulator generated a passcode');
    return { id, passcode: result.passcode };
  }

  it('answers help', async function () {
    await openChat('Personal Chat');
    await send('help');
    const help = card(en('help.title'));
    await help.waitFor(WAIT);
    await help.getByText(en('help.cmd.checkSetup')).first().waitFor(WAIT);
    // The common commands are buttons, not text to retype.
    for (const key of ['reset', 'status', 'checkSetup', 'help']) {
      await help.getByRole('button', { name: en(`help.button.${key}`), exact: true }).waitFor(WAIT);
    }
    await shoot(help, 'help.png');
  });

  it('checks the tenant prerequisites from the help card button: all pass on the demo tenant', async function () {
    await card(en('help.title'))
      .getByRole('button', { name: en('help.button.checkSetup'), exact: true })
      .click(WAIT);
    const setup = card(en('setup.title'));
    await setup.getByText(en('setup.allPassed')).waitFor(WAIT);
    assert.match(await setup.innerText(), new RegExp(stack.emulator.tenantId));
    await shoot(setup, 'check-setup.png');
  });

  it('resets a phone in Personal Chat: results → Pick → Confirm → waiting → the passcode Intune generated', async function () {
    await send('reset lumia 950');
    const results = card(en('results.titleMany', { query: 'lumia 950' }));
    await results
      .getByRole('button', { name: en('results.pick') })
      .first()
      .waitFor(WAIT);
    // One compact row per device: owner · OS/version · last check-in on one line, no fact labels.
    const rowsText = await results.innerText();
    assert.match(rowsText, / · Windows 10\.0\.\d+\.\d+ · checked in /, rowsText);
    assert.ok(!rowsText.includes(en('common.model')), rowsText);
    await shoot(results, 'results.png');
    await results
      .getByRole('button', { name: en('results.pick') })
      .first()
      .click();

    const confirmButton = page
      .getByRole('button', { name: en('confirm.confirm'), exact: true })
      .last();
    await confirmButton.waitFor(WAIT);
    const confirm = card(en('confirm.whatHappens'));
    await shoot(confirm, 'confirm.png');
    await confirmButton.click();

    const waiting = card(en('waiting.title'));
    await waiting.waitFor(WAIT);
    await shoot(waiting, 'waiting.png');

    const passcodeCard = card(
      new RegExp(escape(en('passcode.title', { device: '' }).replace('…', ''))),
    );
    await passcodeCard.waitFor(WAIT);
    const shown = (await passcodeCard.innerText()).match(
      new RegExp(`${escape(en('passcode.label'))}\\s+(\\S+)`),
    )?.[1];
    const { passcode } = await resetDeviceAndPasscode();
    assert.equal(shown, passcode, 'the card shows the passcode Intune (the emulator) generated');
    await shoot(passcodeCard, 'passcode.png', [passcodeCard.getByText(passcode, { exact: true })]);

    const logged = logs.join('\n');
    assert.ok(logs.length > 0);
    assert.equal(logged.includes(passcode), false, 'the passcode must not reach the logs');
  });

  it('in a group chat (with an @mention) says "sent privately" and delivers to Personal Chat only', async function () {
    const earlier = Object.values(DEMO_TENANT.devices).filter(
      (id) => stack.emulator.resetCalls(id) > 0,
    );
    await openChat(PLAYGROUND.groupChat.name);
    await send('reset Irvin IDOL 4S', { mentionBot: true });
    const results = card(en('results.titleOne', { query: 'Irvin IDOL 4S' }));
    await results
      .getByRole('button', { name: en('results.pick') })
      .first()
      .click(WAIT);
    await page
      .getByRole('button', { name: en('confirm.confirm'), exact: true })
      .last()
      .click(WAIT);

    const sent = card(en('sent.privately', { name: PLAYGROUND.currentUser.name }));
    await sent.waitFor(WAIT);
    await shoot(sent, 'group-chat-sent-privately.png');
    const { passcode } = await resetDeviceAndPasscode(earlier);
    assert.equal(
      (await page.locator('body').innerText()).includes(passcode),
      false,
      'no passcode in the group chat',
    );

    await openChat('Personal Chat');
    const delivered = card(/Irvin IDOL 4S/).filter({ hasText: en('passcode.label') });
    await delivered.waitFor(WAIT);
    assert.match(await delivered.innerText(), new RegExp(`\\b${passcode}\\b`));

    // The whole window, as a technician sees it, for the README.
    await page.setViewportSize({ width: 1280, height: 900 });
    await delivered.scrollIntoViewIfNeeded();
    await page.screenshot({
      path: join(SHOTS, 'playground.png'),
      mask: [delivered.getByText(passcode, { exact: true })],
    });
    await page.setViewportSize({ width: 1280, height: 2000 });
  });

  it('in a team channel (with an @mention) says "sent privately" and delivers to Personal Chat only', async function () {
    const earlier = Object.values(DEMO_TENANT.devices).filter(
      (id) => stack.emulator.resetCalls(id) > 0,
    );
    const device = 'Patti IDOL 4S';
    await openChat(CHANNEL);
    await send(`reset ${device}`, { mentionBot: true });
    const results = card(en('results.titleOne', { query: device }));
    await results
      .getByRole('button', { name: en('results.pick') })
      .first()
      .click(WAIT);
    await page
      .getByRole('button', { name: en('confirm.confirm'), exact: true })
      .last()
      .click(WAIT);

    const sent = card(en('sent.privately', { name: PLAYGROUND.currentUser.name }));
    await sent.waitFor(WAIT);
    const { passcode } = await resetDeviceAndPasscode(earlier);
    const inChannel = async (): Promise<boolean> =>
      (await page.locator('body').innerText()).includes(passcode);
    assert.equal(await inChannel(), false, 'no passcode in the channel');
    await shoot(sent, 'channel-sent-privately.png', [page.getByText(passcode)]);

    await openChat('Personal Chat');
    const delivered = card(en('passcode.title', { device })).filter({
      hasText: en('passcode.label'),
    });
    await delivered.waitFor(WAIT);
    const shown = (await delivered.innerText()).match(
      new RegExp(`${escape(en('passcode.label'))}\\s+(\\S+)`),
    )?.[1];
    assert.equal(shown, passcode, 'Personal Chat shows the passcode Intune generated');

    // Back in the channel once the passcode is delivered: still nothing there.
    await openChat(CHANNEL);
    await sent.waitFor(WAIT);
    assert.equal(await inChannel(), false, 'no passcode in the channel after delivery');
  });

  it('posts a failed reset to the helpdesk channel an admin chose with "notify here"', async function () {
    await openChat(CHANNEL);
    await send('notify here', { mentionBot: true });
    await page.getByText(en('notifyHere.done')).first().waitFor(WAIT);

    await openChat('Personal Chat');
    const device = 'Isaiah Lumia 950 XL';
    await send(`reset ${device}`);
    const results = card(en('results.titleOne', { query: device }));
    await results
      .getByRole('button', { name: en('results.pick') })
      .first()
      .click(WAIT);
    await page
      .getByRole('button', { name: en('confirm.confirm'), exact: true })
      .last()
      .click(WAIT);
    await card(en('notification.failed.title', { device })).waitFor(WAIT);

    await openChat(CHANNEL);
    const notice = card(
      en('notification.channelIntro', { requester: PLAYGROUND.currentUser.name }),
    );
    await notice.getByText(en('notification.failed.title', { device })).waitFor(WAIT);
    await shoot(notice, 'channel-notice.png');

    // One message per event: in Personal Chat the updated card is the only "failed" card.
    await openChat('Personal Chat');
    const failedCards = page
      .locator('.ac-adaptiveCard')
      .filter({ hasText: en('notification.failed.title', { device }) });
    await failedCards.first().waitFor(WAIT);
    assert.equal(await failedCards.count(), 1, 'the failure is shown once in Personal Chat');
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
