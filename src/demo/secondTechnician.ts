import { CONVERSATIONS_COLLECTION, type StoredConversation } from '../bot/directory';
import { JOBS_COLLECTION } from '../domain/records';
import type { ResetJob } from '../domain/shared';
import type { DocumentStore } from '../domain/ports';
import { PLAYGROUND } from './playgroundConfig';

/**
 * The Agents Playground's UI types and presses as one person only (its `currentUser`, Adele
 * Vance); its conversation API takes any member as the sender. So in the offline demo the
 * second technician's press on an approval card is asked of the Playground from here: it
 * sends the bot the `adaptiveCard/action` invoke of Megan Bowen pressing Approve (or Deny)
 * on the card in the helpdesk channel. The bot decides as for any press (approver group,
 * not the requester, first decision wins) and updates the card in the channel.
 */
export const SECOND_TECHNICIAN = PLAYGROUND.users[0];

export interface PressResult {
  jobId: string;
  device: string;
  /** The card the bot answered with (what Megan would see). */
  card: unknown;
}

export class NothingToApproveError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NothingToApproveError';
  }
}

/** The newest reset waiting for approval whose card is out, and where that card is. */
async function waitingRequest(documents: DocumentStore) {
  const waiting = (await documents.list<ResetJob>(JOBS_COLLECTION))
    .map((doc) => doc.value)
    .filter((job) => job.state === 'awaitingApproval')
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const job = waiting[0];
  if (!job) {
    throw new NothingToApproveError(
      'No reset is waiting for approval: in the Playground, reset a device and press Confirm first.',
    );
  }
  if (!job.approval?.posted) {
    throw new NothingToApproveError(
      'The approval card of the newest reset is on its way: try again in a few seconds.',
    );
  }
  for (const card of job.approval.cards ?? []) {
    const conversation = await documents.get<StoredConversation>(
      CONVERSATIONS_COLLECTION,
      card.conversationKey,
    );
    if (conversation?.value.kind === 'channel')
      return { job, card, conversation: conversation.value };
  }
  throw new NothingToApproveError(
    'The approval card is not in a channel: type "@Passcode Desk notify here" in the Playground channel first, then start a new reset.',
  );
}

/** The Playground's own address, from the connector URL it gave the bot (…/_connector). */
export function playgroundBaseUrl(serviceUrl: string | undefined): string {
  const base = (serviceUrl ?? '').replace(/\/+$/, '').replace(/\/_connector$/, '');
  if (!/^https?:\/\//.test(base))
    throw new Error('The channel was not reached through the Playground');
  return base;
}

/**
 * Asks the Playground to send Megan's press: its API takes the pressing user (any member of
 * the conversation in its .m365agentsplayground.yml), builds the invoke as for a press in its
 * UI, sends it to the bot and shows the bot's answer in place of the card.
 */
export async function pressAsSecondTechnician(options: {
  documents: DocumentStore;
  verb: 'approve' | 'deny';
  reason?: string;
}): Promise<PressResult> {
  const { job, card, conversation } = await waitingRequest(options.documents);
  const reference = conversation.reference;
  const storedId = reference.conversation?.id ?? '';
  // The card is a new post in the channel (its thread is `<channel>;messageid=<card>`), or a
  // reply in the thread where "notify here" was typed (the stored conversation).
  const threads = [
    ...(storedId.includes(';messageid=') ? [storedId] : []),
    `${storedId.split(';')[0]};messageid=${card.messageId}`,
  ];
  let failure = '';
  for (const thread of threads) {
    const response = await fetch(
      `${playgroundBaseUrl(reference.serviceUrl)}/_conversation/v1/invoke`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          name: 'adaptiveCard/action',
          from: { id: SECOND_TECHNICIAN.id },
          conversation: { id: thread },
          replyToId: card.messageId,
          value: {
            action: {
              type: 'Action.Execute',
              verb: options.verb,
              data: { jobId: job.id, ...(options.reason ? { reason: options.reason } : {}) },
            },
            trigger: 'manual',
          },
        }),
      },
    );
    const body = (await response.json().catch(() => undefined)) as { value?: unknown } | undefined;
    if (response.ok && body?.value) {
      return { jobId: job.id, device: job.device.name, card: body.value };
    }
    failure = `${response.status} ${JSON.stringify(body ?? '').slice(0, 300)}`;
  }
  throw new Error(`The Playground refused the press: ${failure}`);
}
