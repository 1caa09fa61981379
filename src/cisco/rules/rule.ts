/**
 * Profile_Rule*, Upgrade_Rule, Report_Rule and Resync_Trigger_* syntax.
 *
 * Profile and upgrade rules (001 L1243-1352; 003 L1375-1493) are alternatives separated by
 * `|`, each `[ (condition)? ] [ (assignments)! ] [ [options] URL ]`; every alternative but the
 * last needs a condition. Upgrade rules take no options and need a server in the URL. A rule
 * whose first character is `#` is commented out, which equals an empty rule (003 L999-1003).
 *
 * Report rules (004 L30-160) are up to two `[options] URL` items separated by spaces, an
 * optional `;` ending each. Resync triggers are bare conditions, without the `(...)?` wrapper.
 */
import type { MacroContext } from '../macros';
import { evaluateCondition, parseConditionAt, formatCondition, type Condition, type Dialect } from './condition';
import { readOptions, formatOptions, type OptionName, type RuleOptions } from './options';
import { Scanner } from './scanner';
import { readUrl, type RuleUrl } from './url';

export interface Assignment {
  /** Canonical XML name; the single letters a..p are GPP_A..GPP_P (003 L1124-1128). */
  name: string;
  value: string;
  position: number;
}

export interface RuleAlternative {
  condition?: Condition;
  assignments?: Assignment[];
  options?: RuleOptions;
  url?: RuleUrl;
  position: number;
}

export interface ProvisioningRule {
  kind: 'profile' | 'upgrade';
  /** Empty for an empty or commented-out rule: the phone skips it. */
  alternatives: RuleAlternative[];
  commentedOut?: true;
}

export interface ReportTarget {
  options: RuleOptions;
  url: RuleUrl;
}

export interface ParseOptions {
  dialect?: Dialect;
}

const PROFILE_OPTIONS: readonly OptionName[] = ['key', 'uid', 'pwd', 'post', 'alias'];
const REPORT_OPTIONS: readonly OptionName[] = ['key', 'uid', 'pwd', 'delta', 'status'];

function readAssignments(s: Scanner, open: number, close: number): Assignment[] {
  const inner: Scanner = new Scanner(s.text, close, open + 1);
  const out: Assignment[] = [];
  while (!inner.done) {
    const position = inner.pos;
    const raw = inner.word('="();');
    if (!/^[A-Za-z][\w.-]*$/.test(raw)) inner.fail('expected a parameter name such as User_ID_1_ or a GPP letter a..p', position);
    const name = /^[a-p]$/.test(raw) ? `GPP_${raw.toUpperCase()}` : raw;
    inner.expect('=', '"=" after the parameter name');
    inner.skipSpace();
    if (inner.peek() !== '"') inner.fail(`expected a double-quoted value for ${raw}${inner.found()}`);
    const value = inner.quoted();
    out.push({ name, value, position });
    inner.skipSpace();
    if (inner.peek() === ';') inner.pos++;
    else if (!inner.done) inner.fail(`expected ";" after the value of ${raw}${inner.found()}`);
  }
  if (out.length === 0) s.fail('expected at least one assignment name = "value";', open + 1);
  return out;
}

function readAlternative(s: Scanner, kind: ProvisioningRule['kind'], dialect: Dialect): RuleAlternative {
  s.skipSpace();
  const alt: RuleAlternative = { position: s.pos };
  while (s.peek() === '(') {
    const open = s.pos;
    const close = s.matching('(', ')');
    s.pos = close + 1;
    s.skipSpace();
    const mark = s.peek();
    if (mark === '?') {
      if (alt.condition) s.fail('expected one condition per alternative', open);
      if (alt.assignments) s.fail('expected the condition before the assignments', open);
      alt.condition = parseConditionAt(s.text, open + 1, close, dialect);
    } else if (mark === '!') {
      if (alt.assignments) s.fail('expected one assignment list per alternative', open);
      alt.assignments = readAssignments(s, open, close);
    } else {
      s.fail(`expected "?" after a condition or "!" after assignments${s.found()}`);
    }
    s.pos++;
    s.skipSpace();
  }
  if (s.peek() === '[') {
    alt.options = readOptions(s, kind === 'profile' ? PROFILE_OPTIONS : []);
    s.skipSpace();
    if (s.pos >= s.end || s.peek() === '|') s.fail('expected a URL after the options');
  }
  if (s.pos < s.end && s.peek() !== '|') alt.url = readUrl(s, '|', kind === 'upgrade');
  if (!alt.condition && !alt.assignments && !alt.url) s.fail('expected a condition, assignments or a URL', alt.position);
  return alt;
}

function parseRule(text: string, kind: ProvisioningRule['kind'], options: ParseOptions): ProvisioningRule {
  const dialect = options.dialect ?? 'mpp';
  const s: Scanner = new Scanner(text);
  if (s.done) return { kind, alternatives: [] };
  if (s.peek() === '#') return { kind, alternatives: [], commentedOut: true };
  const alternatives: RuleAlternative[] = [];
  for (;;) {
    const alt = readAlternative(s, kind, dialect);
    alternatives.push(alt);
    s.skipSpace();
    if (s.pos >= s.end) break;
    if (s.peek() !== '|') s.fail(`expected "|" before the next alternative or the end of the rule${s.found()}`);
    if (!alt.condition) s.fail('expected a (condition)? on every alternative but the last', alt.position);
    s.pos++;
  }
  return { kind, alternatives };
}

/** Profile_Rule, Profile_Rule_B/_C/_D. */
export function parseProfileRule(text: string, options: ParseOptions = {}): ProvisioningRule {
  return parseRule(text, 'profile', options);
}

export function parseUpgradeRule(text: string, options: ParseOptions = {}): ProvisioningRule {
  return parseRule(text, 'upgrade', options);
}

/**
 * The alternative the phone takes: the first whose condition holds or that has none; undefined
 * when none applies and the whole rule is skipped (001 L1269-1281).
 */
export function selectAlternative(rule: ProvisioningRule, ctx: MacroContext): RuleAlternative | undefined {
  return rule.alternatives.find((a) => !a.condition || evaluateCondition(a.condition, ctx));
}

/** Resync_Trigger_1/_2: a bare condition; empty means no trigger. */
export function parseTrigger(text: string, options: ParseOptions = {}): Condition | undefined {
  const s: Scanner = new Scanner(text);
  if (s.done) return undefined;
  if (s.peek() === '(') {
    const close = s.matching('(', ')');
    if (/^\s*\?\s*$/.test(text.slice(close + 1))) {
      s.fail('expected a bare condition: Resync_Trigger takes no (...)? wrapper (001 L976)');
    }
  }
  return parseConditionAt(text, 0, text.length, options.dialect ?? 'mpp');
}

/** Report_Rule: up to two report targets (004 L30-40). */
export function parseReportRule(text: string): ReportTarget[] {
  const s: Scanner = new Scanner(text);
  const targets: ReportTarget[] = [];
  for (;;) {
    while (s.pos < s.end && (/\s/.test(s.peek()) || s.peek() === ';')) s.pos++;
    if (s.pos >= s.end) return targets;
    if (targets.length === 2) s.fail('expected at most two report rules');
    const options = s.peek() === '[' ? readOptions(s, REPORT_OPTIONS) : {};
    s.skipSpace();
    if (s.pos >= s.end) s.fail('expected a URL after the options');
    const url = readUrl(s, ';', false);
    if (url.scheme === 'gds') s.fail('expected a tftp, http or https URL for a report', url.position);
    targets.push({ options, url });
  }
}

/** Renders a parsed rule with letter operators (no XML escaping needed) and one space per gap. */
export function formatRule(rule: ProvisioningRule): string {
  if (rule.commentedOut) return '';
  return rule.alternatives
    .map((a) =>
      [
        a.condition && `(${formatCondition(a.condition)})?`,
        a.assignments && `(${a.assignments.map((x) => `${x.name} = "${x.value}";`).join(' ')})!`,
        a.options && formatOptions(a.options),
        a.url?.text,
      ]
        .filter((p): p is string => Boolean(p))
        .join(' '),
    )
    .join(' | ');
}

export function formatReportRule(targets: ReportTarget[]): string {
  return targets
    .map((t) => `${Object.keys(t.options).length ? formatOptions(t.options) : ''}${t.url.text}`)
    .join(' ');
}
