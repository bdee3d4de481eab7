/**
 * Just enough Bicep reading for the infra tests (no Bicep compiler can run here): blank out
 * comments and string text, keep positions, then find declarations and expressions.
 */

/**
 * The same text with comments and string contents replaced by spaces, so identifiers and
 * brackets can be searched without being fooled by descriptions. Interpolations (`${...}`)
 * stay visible as code; their `${` and `}` are blanked so only structural brackets remain.
 * Indexes in the result match indexes in the source.
 */
export function codeOnly(source: string): string {
  const out = source.split('');
  const blank = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (out[k] !== '\n') out[k] = ' ';
  };
  // Each entry is a string, or an interpolation with its own brace depth.
  const stack: ('string' | { depth: number })[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    const next = source[i + 1];
    const top = stack[stack.length - 1];
    if (top === 'string') {
      if (c === '\\') {
        blank(i, i + 2);
        i += 2;
      } else if (c === "'") {
        stack.pop();
        i += 1;
      } else if (c === '$' && next === '{') {
        blank(i, i + 2);
        stack.push({ depth: 0 });
        i += 2;
      } else {
        blank(i, i + 1);
        i += 1;
      }
      continue;
    }
    if (c === '/' && next === '/') {
      const end = source.indexOf('\n', i);
      const stop = end === -1 ? source.length : end;
      blank(i, stop);
      i = stop;
      continue;
    }
    if (c === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      if (end === -1) throw new Error(`Unterminated comment at offset ${i}`);
      blank(i, end + 2);
      i = end + 2;
      continue;
    }
    if (c === "'") {
      if (source.startsWith("'''", i)) throw new Error(`Multi-line string at offset ${i}`);
      stack.push('string');
      i += 1;
      continue;
    }
    if (top !== undefined) {
      if (c === '{') top.depth += 1;
      if (c === '}') {
        if (top.depth === 0) {
          blank(i, i + 1);
          stack.pop();
          i += 1;
          continue;
        }
        top.depth -= 1;
      }
    }
    i += 1;
  }
  if (stack.length > 0) throw new Error('Unterminated string or interpolation at end of file');
  return out.join('');
}

/** The first bracket problem in code-only text, or undefined when (), [] and {} all pair up. */
export function bracketProblem(code: string): string | undefined {
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  const open: { char: string; line: number }[] = [];
  let line = 1;
  for (const c of code) {
    if (c === '\n') line += 1;
    else if (c === '(' || c === '[' || c === '{') open.push({ char: c, line });
    else if (c in pairs) {
      const last = open.pop();
      if (last?.char !== pairs[c]) return `unexpected '${c}' on line ${line}`;
    }
  }
  const unclosed = open.pop();
  return unclosed
    ? `'${unclosed.char}' opened on line ${unclosed.line} is never closed`
    : undefined;
}

/** Start and end offsets of the expression starting at `from`: up to a newline at bracket depth 0. */
export function expressionEnd(code: string, from: number): number {
  let depth = 0;
  for (let i = from; i < code.length; i++) {
    const c = code[i];
    if (c === '(' || c === '[' || c === '{') depth += 1;
    else if (c === ')' || c === ']' || c === '}') depth -= 1;
    else if (c === '\n' && depth === 0) return i;
  }
  return code.length;
}

export interface Declaration {
  name: string;
  /** Source text of what follows `=` (params: the default; empty when there is none). */
  valueText: string;
  valueStart: number;
}

/** `param`, `var` or `output` declarations at the start of a line. */
export function declarations(source: string, keyword: 'param' | 'var' | 'output'): Declaration[] {
  const code = codeOnly(source);
  const found: Declaration[] = [];
  const pattern = new RegExp(`^${keyword}\\s+(\\w+)\\b[^=\\n]*(=\\s*)?`, 'gm');
  for (const match of code.matchAll(pattern)) {
    const name = match[1] as string;
    if (!match[2]) {
      found.push({ name, valueText: '', valueStart: -1 });
      continue;
    }
    const valueStart = match.index + match[0].length;
    const end = expressionEnd(code, valueStart);
    found.push({ name, valueText: source.slice(valueStart, end).trim(), valueStart });
  }
  return found;
}

/** How often `name` is referenced as a value: not as an object key, not after a dot. */
export function referenceCount(code: string, name: string): number {
  let count = 0;
  for (const match of code.matchAll(new RegExp(`\\b${name}\\b`, 'g'))) {
    const before = code.slice(code.lastIndexOf('\n', match.index) + 1, match.index);
    const after = code.slice(match.index + name.length);
    const isObjectKey = /^\s*$/.test(before) && /^\s*:/.test(after);
    const isMemberAccess = before.endsWith('.');
    const isDeclaration = /^(param|var|output|resource)\s+$/.test(before);
    if (!isObjectKey && !isMemberAccess && !isDeclaration) count += 1;
  }
  return count;
}

export interface AppSettingEntry {
  /** The literal setting name, or undefined when the name is computed (a loop). */
  name: string | undefined;
  nameText: string;
  valueText: string;
  /** The variable whose expression holds the entry. */
  fromVariable: string;
}

/**
 * Every `{ name: ..., value: ... }` entry that can reach the web app's `appSettings:`,
 * following the variables that expression refers to.
 */
export function appSettingEntries(source: string): AppSettingEntry[] {
  const code = codeOnly(source);
  const variables = new Map(declarations(source, 'var').map((d) => [d.name, d]));
  const property = /^\s*appSettings:\s*/m.exec(code);
  if (!property) throw new Error('No appSettings: property in the template');
  const start = property.index + property[0].length;
  const entries: AppSettingEntry[] = [];
  const visited = new Set<string>();
  const visit = (text: string, textCode: string, owner: string) => {
    const entryPattern = /^\s*name:\s*(.+)\n\s*value:\s*(.+)$/gm;
    const nameLines = textCode.match(/^\s*name:/gm)?.length ?? 0;
    let paired = 0;
    for (const match of text.matchAll(entryPattern)) {
      paired += 1;
      const nameText = (match[1] as string).trim();
      const literal = /^'([^'$\\]*)'$/.exec(nameText);
      entries.push({
        name: literal?.[1],
        nameText,
        valueText: (match[2] as string).trim(),
        fromVariable: owner,
      });
    }
    if (paired !== nameLines) {
      throw new Error(`In ${owner}: ${nameLines} name: lines but ${paired} name/value pairs`);
    }
    for (const match of textCode.matchAll(/\b[A-Za-z_]\w*\b/g)) {
      const variable = variables.get(match[0]);
      if (!variable || visited.has(variable.name)) continue;
      visited.add(variable.name);
      const end = expressionEnd(code, variable.valueStart);
      visit(
        source.slice(variable.valueStart, end),
        code.slice(variable.valueStart, end),
        variable.name,
      );
    }
  };
  const end = expressionEnd(code, start);
  visit(source.slice(start, end), code.slice(start, end), 'appSettings:');
  return entries;
}
