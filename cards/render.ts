import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GlobalSettings, Template } from 'adaptivecards-templating';
import { projectRoot } from '../src/paths';

/**
 * Expands the Adaptive Card templates in /cards with data. Templates hold no
 * user-facing text: every string arrives already localized in the data.
 */
export const CARD_NAMES = [
  'welcome',
  'help',
  'searchPrompt',
  'results',
  'noMatch',
  'confirm',
  'approval',
  'waiting',
  'sentPrivately',
  'passcode',
  'passcodeHidden',
  'failure',
  'reminder',
  'timeout',
  'setup',
  'status',
  'audit',
  'error',
  'notice',
  'chooseJob',
] as const;

export type CardName = (typeof CARD_NAMES)[number];

/** An expanded Adaptive Card (plain JSON). */
export type AdaptiveCard = Record<string, unknown> & { type: 'AdaptiveCard'; version: string };

export class CardTemplateError extends Error {
  constructor(
    readonly card: string,
    readonly missing: string[],
  ) {
    super(`Card ${card} has no data for: ${missing.join(', ')}`);
    this.name = 'CardTemplateError';
  }
}

const templates = new Map<CardName, Template>();

function template(name: CardName): Template {
  let cached = templates.get(name);
  if (!cached) {
    const file = join(projectRoot(), 'cards', `${name}.json`);
    cached = new Template(JSON.parse(readFileSync(file, 'utf8')));
    templates.set(name, cached);
  }
  return cached;
}

/**
 * Expands one template. A field the template uses but the data lacks is a bug in the
 * caller: it throws instead of showing a raw `${field}` to a technician.
 */
export function renderCard(name: CardName, data: object): AdaptiveCard {
  const missing: string[] = [];
  const previous = GlobalSettings.getUndefinedFieldValueSubstitutionString;
  // Expansion is synchronous, so swapping the global hook around it is safe.
  GlobalSettings.getUndefinedFieldValueSubstitutionString = (path: string) => {
    missing.push(path);
    return '';
  };
  try {
    const card = template(name).expand({ $root: data }) as AdaptiveCard;
    if (missing.length > 0) throw new CardTemplateError(name, [...new Set(missing)]);
    return card;
  } finally {
    GlobalSettings.getUndefinedFieldValueSubstitutionString = previous;
  }
}
