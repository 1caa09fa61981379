/**
 * Bracketed URL options: `[--key "my secret" --post a --alias b]` (001 L1032-1070; 003
 * L1163-1266; report-rule `--delta`/`--status`: 004 L50-72). Values may be double-quoted; macros
 * in them expand at run time ($SA..$SD only in --key/--uid/--pwd).
 */
import { Scanner } from './scanner';

export interface RuleOptions {
  key?: string;
  uid?: string;
  pwd?: string;
  /** GPP letter a..p whose (macro-expanded) contents are the POST body. */
  post?: string;
  /** GPP letter a..p holding the alias map. */
  alias?: string;
  delta?: true;
  status?: true;
}

export type OptionName = keyof RuleOptions;
const VALUED = new Set<OptionName>(['key', 'uid', 'pwd', 'post', 'alias']);

/** Parses `[...]` at the scanner's position; `allowed` depends on the rule kind. */
export function readOptions(s: Scanner, allowed: readonly OptionName[]): RuleOptions {
  const open = s.pos;
  const close = s.matching('[', ']');
  const inner: Scanner = new Scanner(s.text, close, open + 1);
  const options: RuleOptions = {};
  const list = allowed.map((o) => `--${o}`).join(' ');
  while (!inner.done) {
    const at = inner.pos;
    const word = inner.word('"');
    const name = word.startsWith('--') ? (word.slice(2) as OptionName) : undefined;
    if (!name || !(allowed as readonly string[]).includes(name)) {
      inner.fail(allowed.length ? `expected one of ${list}, found "${word || inner.peek()}"` : 'expected no URL options here', at);
    }
    if (options[name] !== undefined) inner.fail(`--${name} given twice`, at);
    if (!VALUED.has(name)) {
      (options as Record<string, true>)[name] = true;
      continue;
    }
    inner.skipSpace();
    const valueAt = inner.pos;
    if (inner.pos >= inner.end) inner.fail(`expected a value after --${name}`);
    const value = inner.peek() === '"' ? inner.quoted() : inner.word('"');
    if (!inner.text.slice(valueAt).startsWith('"') && value.startsWith('--')) {
      inner.fail(`expected a value after --${name}, found "${value}"`, valueAt);
    }
    if ((name === 'post' || name === 'alias') && !/^[a-p]$/.test(value)) {
      inner.fail(`expected a GPP letter a..p after --${name}, found "${value}"`, valueAt);
    }
    (options as Record<string, string>)[name] = value;
  }
  if (options.delta && options.status) s.fail('--delta and --status cannot be combined in one report rule', open);
  s.pos = close + 1;
  return options;
}

/** Renders options back to their bracketed form. */
export function formatOptions(options: RuleOptions): string {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(options) as Array<[OptionName, string | true]>) {
    if (value === true) parts.push(`--${name}`);
    else parts.push(`--${name} ${/[\s"\]]/.test(value) || value === '' ? `"${value}"` : value}`);
  }
  return `[${parts.join(' ')}]`;
}
