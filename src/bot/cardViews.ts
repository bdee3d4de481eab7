import { createHash } from 'node:crypto';
import { writeWithEtag, type DocumentStore } from '../domain/ports';
import type { CardSpec } from './views/cardSpec';

export const CARD_VIEWS_COLLECTION = 'cardViews';
const MAX_WRITE_ATTEMPTS = 5;

/** What one person should see on one card: a fixed card, or a job's live state. */
export type CardView =
  { kind: 'card'; spec: CardSpec } | { kind: 'job'; jobId: string; fallback: CardSpec };

/**
 * Per card message in a group chat or channel: the card everyone sees and the requester's
 * own view, so a Universal Actions `refresh` can show each their card. It never holds a
 * passcode (passcode cards are 1:1 only and are never stored).
 */
export interface StoredCardViews {
  requesterAadObjectId: string;
  base?: CardView;
  requester?: CardView;
  updatedAt: string;
}

function viewsKey(conversationKey: string, messageId: string): string {
  return `v-${createHash('sha256').update(`${conversationKey}|${messageId}`).digest('hex').slice(0, 40)}`;
}

export class CardViewStore {
  constructor(private readonly documents: DocumentStore) {}

  async recall(conversationKey: string, messageId: string): Promise<StoredCardViews | undefined> {
    return (
      await this.documents.get<StoredCardViews>(
        CARD_VIEWS_COLLECTION,
        viewsKey(conversationKey, messageId),
      )
    )?.value;
  }

  /** Records the card as sent to everyone (and, until they act, the requester's view too). */
  async rememberBase(
    conversationKey: string,
    messageId: string,
    requesterAadObjectId: string,
    view: CardView,
  ): Promise<void> {
    await this.update(conversationKey, messageId, requesterAadObjectId, { base: view });
  }

  async rememberRequesterView(
    conversationKey: string,
    messageId: string,
    requesterAadObjectId: string,
    view: CardView,
  ): Promise<void> {
    await this.update(conversationKey, messageId, requesterAadObjectId, { requester: view });
  }

  private async update(
    conversationKey: string,
    messageId: string,
    requesterAadObjectId: string,
    change: Pick<StoredCardViews, 'base' | 'requester'>,
  ): Promise<void> {
    const key = viewsKey(conversationKey, messageId);
    // Conditional on what was read: a turn on one instance and the tracker on another may
    // record the two views of one card at the same moment, and neither may be lost.
    await writeWithEtag<StoredCardViews>(
      this.documents,
      CARD_VIEWS_COLLECTION,
      key,
      (stored) => {
        const existing = stored?.value;
        // A card belongs to whoever it was first recorded for; someone else acting on it
        // (a search from a shared search box, say) gets an answer but doesn't become its owner.
        if (existing && existing.requesterAadObjectId !== requesterAadObjectId) return undefined;
        return {
          ...existing,
          ...change,
          requesterAadObjectId,
          updatedAt: new Date().toISOString(),
        };
      },
      MAX_WRITE_ATTEMPTS,
    );
  }
}
