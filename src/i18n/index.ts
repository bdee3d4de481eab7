import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IntlMessageFormat } from 'intl-messageformat';
import { neutralisedText } from '../domain/shared';
import { projectRoot } from '../paths';

/**
 * Every user-visible string, in English and Traditional Chinese. The dictionaries are
 * JSON files read from the project root (tsc does not copy them to dist/).
 */
export type Locale = 'en' | 'zh-TW';

export const LOCALES: readonly Locale[] = ['en', 'zh-TW'];

export type Params = Record<string, string | number | undefined>;

const dictionaries = new Map<Locale, Readonly<Record<string, string>>>();

export function dictionary(locale: Locale): Readonly<Record<string, string>> {
  let dict = dictionaries.get(locale);
  if (!dict) {
    const file = join(projectRoot(), 'src', 'i18n', `${locale}.json`);
    dict = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    dictionaries.set(locale, dict);
  }
  return dict;
}

/** Teams sends e.g. zh-TW, zh-Hant, zh-Hant-TW, zh-HK: Traditional Chinese. Everything else: English. */
export function resolveLocale(raw: string | undefined | null): Locale {
  const tag = (raw ?? '').trim().toLowerCase().replace(/_/g, '-');
  if (/^zh-(tw|hk|mo|hant)(-|$)/.test(tag)) return 'zh-TW';
  return 'en';
}

export function hasKey(locale: Locale, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(dictionary(locale), key);
}

/**
 * The {placeholders} of a message, in order of appearance: plain `{name}` and ICU arguments
 * such as `{minutes, plural, one {# minute} other {# minutes}}` (named once).
 */
export function placeholders(message: string): string[] {
  return [...message.matchAll(/\{(\w+)\s*[,}]/g)].map((m) => m[1] as string);
}

/** What Teams' card markdown reads as formatting: links, emphasis, code, autolinks. */
const MARKDOWN_SYNTAX = /[\\`*_[\]<>]/g;

/**
 * A value (a device name, a query, a person's name) shown literally in card text: its
 * markdown is escaped and its line breaks folded, so `[click](https://evil)` typed in
 * a search or set as a device name is never a link in a card that comes from the bot,
 * and its bidirectional controls and other invisible characters are removed, so a
 * renamed device cannot pose as another (see neutralisedText).
 */
export function plainMarkdown(value: string): string {
  return neutralisedText(value).replace(MARKDOWN_SYNTAX, '\\$&');
}

/** A value inside a `code span`: backslashes show as they are there, so a backtick is the only way out. */
function codeSpanValue(value: string): string {
  return neutralisedText(value).replace(/`/g, "'");
}

const insideCodeSpan = (message: string, offset: number): boolean =>
  (message.slice(0, offset).match(/`/g)?.length ?? 0) % 2 === 1;

/**
 * The message for `key` in `locale` (English when the locale lacks it, the key itself
 * when both do) with {placeholders} replaced. A missing parameter shows as "…" rather
 * than as a raw placeholder. Parameters are data, never markup: see plainMarkdown.
 */
export function t(locale: Locale, key: string, params: Params = {}): string {
  const message = dictionary(locale)[key] ?? dictionary('en')[key] ?? key;
  if (ICU_ARGUMENT.test(message)) return formatIcu(locale, message, params);
  return fillPlaceholders(message, params);
}

/** Replaces each {name}, escaped for where it stands (card markdown or a code span). */
function fillPlaceholders(message: string, params: Params): string {
  return message.replace(/\{(\w+)\}/g, (_match, name: string, offset: number) => {
    const value = params[name];
    if (value === undefined || value === '') return '…';
    const text = String(value);
    return insideCodeSpan(message, offset) ? codeSpanValue(text) : plainMarkdown(text);
  });
}

/** A plural, selectordinal or select argument: the message is ICU MessageFormat. */
const ICU_ARGUMENT = /\{\w+\s*,\s*(?:plural|selectordinal|select)\s*,/;
const messageFormats = new Map<string, IntlMessageFormat>();

/** Counts as plain digits, as every other number in a message; a missing one reads "…". */
const countFormats = new Map<string, Intl.NumberFormat>();
function countFormat(locales?: string | string[]): Intl.NumberFormat {
  const locale = (Array.isArray(locales) ? locales[0] : locales) ?? 'en';
  let format = countFormats.get(locale);
  if (!format) {
    const numbers = new Intl.NumberFormat(locale, { useGrouping: false });
    // intl-messageformat only calls format(); the rest of NumberFormat is never used.
    format = {
      format: (value: number) => (Number.isNaN(value) ? '…' : numbers.format(value)),
    } as Intl.NumberFormat;
    countFormats.set(locale, format);
  }
  return format;
}

/**
 * Messages that count things ("{minutes, plural, one {# minute} other {# minutes}}") go through
 * intl-messageformat, whose plural categories come from Intl.PluralRules: English says
 * "1 minute"; zh-TW, with one form only, needs no plural argument. The ICU pass fills only
 * the counts and leaves every plain {name} as it was, for fillPlaceholders to escape as usual.
 */
function formatIcu(locale: Locale, message: string, params: Params): string {
  const cacheKey = `${locale}|${message}`;
  let format = messageFormats.get(cacheKey);
  if (!format) {
    format = new IntlMessageFormat(message, locale, undefined, {
      ignoreTag: true,
      formatters: {
        getNumberFormat: countFormat,
        getDateTimeFormat: (...args) => new Intl.DateTimeFormat(...args),
        getPluralRules: (...args) => new Intl.PluralRules(...args),
      },
    });
    messageFormats.set(cacheKey, format);
  }
  const counts = new Set([...message.matchAll(/\{(\w+)\s*,/g)].map((m) => m[1] as string));
  const values: Record<string, string | number> = {};
  for (const name of placeholders(message)) {
    const value = params[name];
    values[name] = !counts.has(name)
      ? `{${name}}`
      : value === undefined || value === ''
        ? Number.NaN
        : Number(value);
  }
  return fillPlaceholders(String(format.format(values)), params);
}

/**
 * Chooses `${key}.withParams` when the caller has every parameter it needs, so a message
 * can be precise when the domain says more and still read well when it says less.
 */
export function tWithOptionalParams(locale: Locale, key: string, params: Params = {}): string {
  const precise = `${key}.withParams`;
  if (hasKey('en', precise)) {
    const needed = placeholders(dictionary('en')[precise] ?? '');
    if (needed.every((name) => params[name] !== undefined && params[name] !== '')) {
      return t(locale, precise, params);
    }
  }
  return t(locale, key, params);
}

const TIME_FORMAT: Intl.DateTimeFormatOptions = {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZoneName: 'short',
};

/** With seconds: where entries a few seconds apart must read apart (the audit). */
const TIME_FORMAT_SECONDS: Intl.DateTimeFormatOptions = {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  timeZoneName: 'short',
};

/** Without the zone: rows of a card that names the zone once (zoneName). */
const TIME_FORMAT_NO_ZONE: Intl.DateTimeFormatOptions = {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
};

/** A date and time for people, in their time zone when Teams told us (UTC otherwise). */
export function formatTime(
  locale: Locale,
  iso: string | undefined | null,
  timeZone?: string,
  options: { seconds?: boolean; zone?: boolean } = {},
): string {
  if (!iso) return t(locale, 'common.unknown');
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return t(locale, 'common.unknown');
  const format = options.seconds
    ? TIME_FORMAT_SECONDS
    : options.zone === false
      ? TIME_FORMAT_NO_ZONE
      : TIME_FORMAT;
  try {
    return cachedDateTimeFormat(locale, { ...format, timeZone: timeZone || 'UTC' }).format(at);
  } catch {
    // An unknown time zone name from the client: fall back to UTC rather than fail the card.
    return cachedDateTimeFormat(locale, { ...format, timeZone: 'UTC' }).format(at);
  }
}

/** The zone times are shown in, as formatTime names it ("GMT+8", "UTC"); UTC for an unknown one. */
export function zoneName(locale: Locale, timeZone?: string, at: Date = new Date()): string {
  const part = (zone: string) =>
    cachedDateTimeFormat(locale, { ...TIME_FORMAT, timeZone: zone })
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName')?.value ?? zone;
  try {
    return part(timeZone || 'UTC');
  } catch {
    return part('UTC');
  }
}

/** Formatters kept at most; the least recently used one goes first. */
const MAX_CACHED_FORMATS = 64;
const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * One Intl.DateTimeFormat per (locale, options), time zone included. Building one costs
 * ~100 µs and holds ICU memory outside the V8 heap until a garbage collection: one per
 * formatted time made every results card slower and the process hundreds of MB larger.
 * Options are keyed by their JSON, so callers build them in one fixed field order.
 * Throws as the constructor does (e.g. RangeError for an unknown time zone); a failure
 * is not cached.
 */
export function cachedDateTimeFormat(
  locale: string,
  options: Intl.DateTimeFormatOptions,
): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = dateTimeFormats.get(key);
  if (format) {
    dateTimeFormats.delete(key); // most recently used goes last
  } else {
    format = new Intl.DateTimeFormat(locale, options);
    if (dateTimeFormats.size >= MAX_CACHED_FORMATS) {
      const oldest = dateTimeFormats.keys().next();
      if (!oldest.done) dateTimeFormats.delete(oldest.value);
    }
  }
  dateTimeFormats.set(key, format);
  return format;
}

/** "36 hours" / "90 minutes": a duration for the timeout message. */
export function formatDuration(locale: Locale, minutes: number): string {
  return minutes % 60 === 0 && minutes >= 120
    ? t(locale, 'notification.hours', { hours: minutes / 60 })
    : t(locale, 'notification.minutes', { minutes });
}
