/**
 * A small OData `$filter` reader: tokenizer and recursive-descent parser for the
 * subset Graph clients send (comparisons, contains/startswith/endswith, and/or/not,
 * parentheses). It only builds a tree; what a service does with each clause is
 * decided elsewhere (deviceFilter.ts mimics Intune). Never evaluates code.
 */
export type CompareOp = 'eq' | 'ne' | 'lt' | 'gt' | 'le' | 'ge';
export type FilterFunction = 'contains' | 'startswith' | 'endswith';

export type Literal =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }
  | { kind: 'datetime'; value: string; ms: number }
  | { kind: 'guid'; value: string };

export type FilterNode =
  | { type: 'and'; items: FilterNode[] }
  | { type: 'or'; items: FilterNode[] }
  | { type: 'not'; operand: FilterNode }
  | { type: 'compare'; property: string; op: CompareOp; literal: Literal }
  | { type: 'call'; fn: FilterFunction; property: string; literal: Literal };

export class FilterSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FilterSyntaxError';
  }
}

type Token =
  | { t: 'open' | 'close' | 'comma'; at: number }
  | { t: 'string'; value: string; at: number }
  | { t: 'word'; value: string; at: number };

const COMPARE_OPS = new Set<string>(['eq', 'ne', 'lt', 'gt', 'le', 'ge']);
const FUNCTIONS = new Set<string>(['contains', 'startswith', 'endswith']);
const WORD_CHAR = /[A-Za-z0-9_.:+\-/]/;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const NUMBER = /^-?\d+(\.\d+)?$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2}))?$/;
const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      i++;
    } else if (ch === '(' || ch === ')' || ch === ',') {
      tokens.push({ t: ch === '(' ? 'open' : ch === ')' ? 'close' : 'comma', at: i });
      i++;
    } else if (ch === "'") {
      const start = i;
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length)
          throw new FilterSyntaxError(`Unterminated string literal at position ${start}`);
        const c = text[i]!;
        if (c === "'") {
          if (text[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += c;
        i++;
      }
      tokens.push({ t: 'string', value, at: start });
    } else if (WORD_CHAR.test(ch)) {
      const start = i;
      while (i < text.length && WORD_CHAR.test(text[i]!)) i++;
      tokens.push({ t: 'word', value: text.slice(start, i), at: start });
    } else {
      throw new FilterSyntaxError(`Unexpected character '${ch}' at position ${i}`);
    }
  }
  return tokens;
}

export function parseFilter(text: string): FilterNode {
  if (!text.trim()) throw new FilterSyntaxError('The $filter expression is empty');
  const parser = new Parser(tokenize(text));
  const node = parser.parseOr();
  parser.expectEnd();
  return node;
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  parseOr(): FilterNode {
    const items = [this.parseAnd()];
    while (this.peekKeyword('or')) {
      this.pos++;
      items.push(this.parseAnd());
    }
    return items.length === 1 ? items[0]! : { type: 'or', items };
  }

  private parseAnd(): FilterNode {
    const items = [this.parseUnary()];
    while (this.peekKeyword('and')) {
      this.pos++;
      items.push(this.parseUnary());
    }
    return items.length === 1 ? items[0]! : { type: 'and', items };
  }

  private parseUnary(): FilterNode {
    if (this.peekKeyword('not')) {
      this.pos++;
      return { type: 'not', operand: this.parseUnary() };
    }
    return this.parsePrimary();
  }

  private parsePrimary(): FilterNode {
    const token = this.next('an expression');
    if (token.t === 'open') {
      const inner = this.parseOr();
      this.expect('close', "')'");
      return inner;
    }
    if (token.t !== 'word' || !IDENTIFIER.test(token.value)) {
      throw new FilterSyntaxError(`Syntax error at position ${token.at}: expected a property name`);
    }
    const lower = token.value.toLowerCase();
    if (FUNCTIONS.has(lower) && this.tokens[this.pos]?.t === 'open') {
      this.pos++;
      const property = this.parseProperty();
      this.expect('comma', "','");
      const literal = this.parseLiteral();
      this.expect('close', "')'");
      return { type: 'call', fn: lower as FilterFunction, property, literal };
    }
    const opToken = this.next('an operator');
    const op = opToken.t === 'word' ? opToken.value.toLowerCase() : '';
    if (!COMPARE_OPS.has(op)) {
      throw new FilterSyntaxError(`Syntax error at position ${opToken.at}: expected an operator`);
    }
    return {
      type: 'compare',
      property: token.value,
      op: op as CompareOp,
      literal: this.parseLiteral(),
    };
  }

  private parseProperty(): string {
    const token = this.next('a property name');
    if (token.t !== 'word' || !IDENTIFIER.test(token.value)) {
      throw new FilterSyntaxError(`Syntax error at position ${token.at}: expected a property name`);
    }
    return token.value;
  }

  private parseLiteral(): Literal {
    const token = this.next('a value');
    if (token.t === 'string') return { kind: 'string', value: token.value };
    if (token.t !== 'word') {
      throw new FilterSyntaxError(`Syntax error at position ${token.at}: expected a value`);
    }
    const word = token.value;
    const lower = word.toLowerCase();
    if (lower === 'true' || lower === 'false') return { kind: 'boolean', value: lower === 'true' };
    if (lower === 'null') return { kind: 'null' };
    if (GUID.test(word)) return { kind: 'guid', value: word };
    if (NUMBER.test(word)) return { kind: 'number', value: Number(word) };
    if (DATETIME.test(word)) {
      const ms = Date.parse(word);
      if (Number.isNaN(ms)) throw new FilterSyntaxError(`Invalid date/time value '${word}'`);
      return { kind: 'datetime', value: word, ms };
    }
    throw new FilterSyntaxError(
      `Syntax error at position ${token.at}: '${word}' is not a valid value`,
    );
  }

  expectEnd(): void {
    const token = this.tokens[this.pos];
    if (token) throw new FilterSyntaxError(`Syntax error at position ${token.at}: unexpected text`);
  }

  private peekKeyword(keyword: string): boolean {
    const token = this.tokens[this.pos];
    return token?.t === 'word' && token.value.toLowerCase() === keyword;
  }

  private next(what: string): Token {
    const token = this.tokens[this.pos++];
    if (!token)
      throw new FilterSyntaxError(`Syntax error: expected ${what} but the expression ended`);
    return token;
  }

  private expect(kind: 'open' | 'close' | 'comma', shown: string): void {
    const token = this.next(shown);
    if (token.t !== kind)
      throw new FilterSyntaxError(`Syntax error at position ${token.at}: expected ${shown}`);
  }
}

/** Every property a node mentions (lower-cased). */
export function propertiesOf(node: FilterNode): Set<string> {
  const found = new Set<string>();
  const walk = (n: FilterNode): void => {
    if (n.type === 'and' || n.type === 'or') n.items.forEach(walk);
    else if (n.type === 'not') walk(n.operand);
    else found.add(n.property.toLowerCase());
  };
  walk(node);
  return found;
}
