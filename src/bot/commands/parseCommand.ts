/**
 * Reads a typed message as a command, in English or Traditional Chinese. Plain phrasings
 * work: "reset passcode for alex@contoso.com", "reset the pin on lumia 950",
 * "please reset SN-123", "重設密碼 alex@contoso.com", "重設 lumia".
 */
export type Command =
  | { kind: 'reset'; query: string }
  | { kind: 'status' }
  | { kind: 'showPasscode'; device: string }
  | { kind: 'checkSetup' }
  | { kind: 'help' }
  /** `asked`: the number typed when it was more than MAX_AUDIT_LIMIT (the card says so). */
  | { kind: 'audit'; limit: number; asked?: number }
  /** `audit` with something that is no count from 1 to MAX_AUDIT_LIMIT: the accepted form. */
  | { kind: 'auditUsage' }
  | { kind: 'notifyHere' }
  | { kind: 'signIn' }
  | { kind: 'signOut' }
  | { kind: 'unknown'; text: string };

export const DEFAULT_AUDIT_LIMIT = 10;
export const MAX_AUDIT_LIMIT = 50;

const POLITE_PREFIX = /^(?:(?:please|pls|plz|kindly|can you|could you)\s+|請\s*|麻煩\s*|幫我\s*)+/i;
const TRAILING_NOISE = /[\s.!?,;:。！？，]+$/u;
const PASSCODE_WORDS =
  '(?:device passcode|pin code|passcodes|passcode|passwords|password|pin|code)';

function normalize(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(POLITE_PREFIX, '')
    .replace(TRAILING_NOISE, '')
    .trim();
}

/** "passcode for X", "the pin on X", "X" → X. */
function resetTarget(rest: string): string {
  return rest
    .replace(new RegExp(`^(?:(?:the|a|my)\\s+)?${PASSCODE_WORDS}(?:\\s+|$)`, 'i'), '')
    .replace(/^(?:for|on|of|from)(?:\s+|$)/i, '')
    .replace(/^the\s+/i, '')
    .trim();
}

function auditCommand(raw: string | undefined): Command {
  if (!raw) return { kind: 'audit', limit: DEFAULT_AUDIT_LIMIT };
  if (!/^\d{1,6}$/.test(raw)) return { kind: 'auditUsage' };
  const asked = Number.parseInt(raw, 10);
  if (asked < 1) return { kind: 'auditUsage' };
  return asked > MAX_AUDIT_LIMIT
    ? { kind: 'audit', limit: MAX_AUDIT_LIMIT, asked }
    : { kind: 'audit', limit: asked };
}

export function parseCommand(raw: string): Command {
  if (/^\s*[?？]\s*$/u.test(raw)) return { kind: 'help' };
  const text = normalize(raw);
  const lower = text.toLowerCase();
  let match: RegExpMatchArray | null;

  if ((match = text.match(/^reset\b\s*(.*)$/i)))
    return { kind: 'reset', query: resetTarget(match[1] ?? '') };
  if ((match = text.match(/^重設\s*(?:密碼|PIN|pin)?\s*(.*)$/u))) {
    return { kind: 'reset', query: (match[1] ?? '').replace(/^(?:給|的|：|:)\s*/u, '').trim() };
  }
  if (/^(?:status|my resets|狀態)$/iu.test(lower)) return { kind: 'status' };
  if (
    (match = text.match(
      new RegExp(`^show\\s+(?:the\\s+|my\\s+)?${PASSCODE_WORDS}(?:\\s+(.*))?$`, 'i'),
    ))
  ) {
    return { kind: 'showPasscode', device: resetTarget(match[1] ?? '') };
  }
  if ((match = text.match(/^顯示密碼\s*(.*)$/u)))
    return { kind: 'showPasscode', device: (match[1] ?? '').trim() };
  if (/^(?:check\s+(?:the\s+)?setup|setup|check\s+prerequisites|檢查設定)$/iu.test(lower))
    return { kind: 'checkSetup' };
  if (/^(?:help|commands|說明|幫助|help me)$/iu.test(lower)) return { kind: 'help' };
  if ((match = lower.match(/^(?:audit|稽核)(?:\s+(.*)|(\d.*))?$/u)))
    return auditCommand((match[1] ?? match[2])?.trim());
  if (/^(?:notify\s+here|在此通知)$/iu.test(lower)) return { kind: 'notifyHere' };
  if (/^(?:sign\s*in|log\s*in|登入)$/iu.test(lower)) return { kind: 'signIn' };
  if (/^(?:sign\s*out|log\s*out|登出)$/iu.test(lower)) return { kind: 'signOut' };
  return { kind: 'unknown', text };
}
