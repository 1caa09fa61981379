/**
 * Conditional expressions (001 L923-976; 003 L1049-1104): comparisons joined by `and`, each
 * `operand op operand` with op one of `= != < <= > >=` or `eq ne lt le gt ge`. Operands are
 * integers, firmware versions, double-quoted strings (macros inside are expanded) and bare
 * macros. Quoted strings only compare for (in)equality. The legacy dialect also accepts a
 * lone `!` for `!=` and a missing left operand, which stands for `$SWVER` (003 L1085-1096).
 */
import { RuleEvaluationError } from './errors';
import { Scanner } from './scanner';
import { compareVersions, parseLegacyVersion, parseMppVersion } from './version';
import { expandMacros, type MacroContext } from '../macros';

export type Dialect = 'mpp' | 'legacy';
export type Operator = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';

export interface Operand {
  kind: 'string' | 'number' | 'version' | 'macro';
  text: string;
  /** The left operand was omitted (legacy) and stands for `$SWVER`. */
  implicit?: true;
}

export interface Comparison {
  left: Operand;
  op: Operator;
  right: Operand;
  position: number;
}

export interface Condition {
  comparisons: Comparison[];
}

const SYMBOLS: Record<string, Operator> = { '=': 'eq', '!=': 'ne', '<': 'lt', '<=': 'le', '>': 'gt', '>=': 'ge' };
const WORDS = new Set<string>(['eq', 'ne', 'lt', 'le', 'gt', 'ge']);
const MACRO = /^\$([A-Z0-9]+|\([A-Z0-9]+(:\d+(:\d+)?)?\))$/;

type Token =
  | { type: 'operand'; operand: Operand; at: number }
  | { type: 'word'; text: string; at: number }
  | { type: 'op'; op: Operator; at: number }
  | { type: 'and'; at: number };

function bare(s: Scanner): string {
  const start = s.pos;
  while (s.pos < s.end) {
    const c = s.text[s.pos];
    if (/\s/.test(c) || c === '"' || '=!<>'.includes(c) || c === ')') break;
    if (c === '(') {
      const before = s.text.slice(start, s.pos);
      // `$(NAME)` macros and the parenthesised tag of legacy versions (`1.0.31(b)`).
      if (!before.endsWith('$') && !/\d$/.test(before)) break;
      const close = s.text.indexOf(')', s.pos);
      if (close < 0 || close >= s.end) s.fail('expected ")"', s.pos);
      s.pos = close + 1;
      continue;
    }
    s.pos++;
  }
  return s.text.slice(start, s.pos);
}

function classify(text: string, at: number, dialect: Dialect, s: Scanner): Operand {
  if (text.startsWith('$')) {
    if (!MACRO.test(text)) s.fail(`expected a macro such as $SWVER or $(MAU:4), found "${text}"`, at);
    return { kind: 'macro', text };
  }
  if (/^-?\d+$/.test(text)) return { kind: 'number', text };
  const version = parseMppVersion(text) ?? (dialect === 'legacy' ? parseLegacyVersion(text) : undefined);
  if (version) return { kind: 'version', text };
  return s.fail(
    `expected an integer, a quoted string, a $MACRO or a firmware version like ${
      dialect === 'mpp' ? 'sip68xx.11-0-1MPP' : '2.0.6'
    }, found "${text}"`,
    at,
  );
}

function tokens(s: Scanner, dialect: Dialect): Token[] {
  const out: Token[] = [];
  for (;;) {
    s.skipSpace();
    if (s.pos >= s.end) return out;
    const at = s.pos;
    const c = s.peek();
    if (c === '"') {
      out.push({ type: 'operand', operand: { kind: 'string', text: s.quoted() }, at });
      continue;
    }
    if ('=!<>'.includes(c)) {
      const two = s.text.slice(at, Math.min(at + 2, s.end));
      if (SYMBOLS[two]) {
        out.push({ type: 'op', op: SYMBOLS[two], at });
        s.pos += 2;
      } else if (c === '!' && dialect === 'legacy') {
        out.push({ type: 'op', op: 'ne', at });
        s.pos += 1;
      } else if (SYMBOLS[c]) {
        out.push({ type: 'op', op: SYMBOLS[c], at });
        s.pos += 1;
      } else s.fail(`expected an operator (= != < <= > >= or eq ne lt le gt ge), found "${two}"`);
      continue;
    }
    const word = bare(s);
    if (word === '') s.fail(`unexpected "${c}" in condition`);
    const lower = word.toLowerCase();
    if (lower === 'and') out.push({ type: 'and', at });
    else if (WORDS.has(lower)) out.push({ type: 'op', op: lower as Operator, at });
    else out.push({ type: 'word', text: word, at });
  }
}

/** Parses the condition in `text[start, end)`; positions stay absolute in `text`. */
export function parseConditionAt(text: string, start: number, end: number, dialect: Dialect): Condition {
  const s: Scanner = new Scanner(text, end, start);
  const toks = tokens(s, dialect);
  const comparisons: Comparison[] = [];
  let i = 0;
  const at = (): number => (i < toks.length ? toks[i].at : end);
  // Bare words become operands only where an operand is expected, so a stray "or" reads as
  // a missing "and" rather than a bad operand.
  const operand = (t: Token | undefined): Operand | undefined =>
    t?.type === 'operand' ? t.operand : t?.type === 'word' ? classify(t.text, t.at, dialect, s) : undefined;
  for (;;) {
    const position = at();
    let left = operand(toks[i]);
    if (left) i++;
    else if (toks[i]?.type === 'op' && dialect === 'legacy') left = { kind: 'macro', text: '$SWVER', implicit: true };
    else s.fail(toks[i] ? 'expected an operand' : 'expected a comparison such as $PRVTMR ge 600', position);
    const opTok = toks[i];
    if (opTok?.type !== 'op') s.fail('expected an operator (eq ne lt le gt ge or = != < <= > >=)', at());
    i++;
    const right = operand(toks[i]);
    if (!right) s.fail(`expected an operand after "${opTok.op}"`, at());
    i++;
    if (opTok.op !== 'eq' && opTok.op !== 'ne' && (left.kind === 'string' || right.kind === 'string')) {
      s.fail(`operator ${opTok.op} compares integers and versions, not quoted strings`, opTok.at);
    }
    comparisons.push({ left, op: opTok.op, right, position });
    if (i >= toks.length) return { comparisons };
    if (toks[i].type !== 'and') s.fail('expected "and" between comparisons', at());
    i++;
  }
}

export function parseCondition(text: string, dialect: Dialect = 'mpp'): Condition {
  return parseConditionAt(text, 0, text.length, dialect);
}

/** Renders with the letter operators, which need no XML escaping (001 L966). */
export function formatCondition(condition: Condition): string {
  const operand = (o: Operand): string => (o.kind === 'string' ? `"${o.text}"` : o.text);
  return condition.comparisons
    .map((c) => `${c.left.implicit ? '' : `${operand(c.left)} `}${c.op} ${operand(c.right)}`)
    .join(' and ');
}

function value(o: Operand, ctx: MacroContext): string {
  return o.kind === 'number' || o.kind === 'version' ? o.text : expandMacros(o.text, ctx);
}

function holds(op: Operator, c: number): boolean {
  switch (op) {
    case 'eq':
      return c === 0;
    case 'ne':
      return c !== 0;
    case 'lt':
      return c < 0;
    case 'le':
      return c <= 0;
    case 'gt':
      return c > 0;
    case 'ge':
      return c >= 0;
  }
}

/** Evaluates a condition as the phone would, with the device's macro values. */
export function evaluateCondition(condition: Condition, ctx: MacroContext): boolean {
  return condition.comparisons.every((c) => {
    const a = value(c.left, ctx);
    const b = value(c.right, ctx);
    if (c.left.kind === 'string' || c.right.kind === 'string') return holds(c.op, a === b ? 0 : 1);
    if (/^-?\d+$/.test(a) && /^-?\d+$/.test(b)) return holds(c.op, Math.sign(Number(a) - Number(b)));
    if (/^\$/.test(a) || /^\$/.test(b)) {
      throw new RuleEvaluationError(`no value for ${/^\$/.test(a) ? a : b}`);
    }
    return holds(c.op, compareVersions(a, b));
  });
}
