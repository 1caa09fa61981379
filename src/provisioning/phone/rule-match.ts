import { expandMacros, type MacroContext } from '../../cisco/macros';
import { parseProfileRule, parseReportRule, type RuleOptions } from '../../cisco/rules';

/**
 * Which of a device's rules sent it to this URL. A phone that resyncs or reports over HTTP
 * does not say which rule it follows, yet the rule's options decide how the ACS must answer:
 * `--key` (encrypt the profile / decrypt the report), `--uid/--pwd` (challenge for
 * credentials), `--delta/--status` (what a report holds). The ACS knows the rules it gave
 * the phone (the desired state), so it expands each rule's URL path with the phone's macros
 * and takes the rule whose path is the one requested.
 */

export const PROFILE_RULES = ['Profile_Rule', 'Profile_Rule_B', 'Profile_Rule_C', 'Profile_Rule_D'] as const;

export interface MatchedRule {
  /** the XML parameter holding the rule */
  parameter: string;
  /** options with their macros expanded ($SA..$SD included, as the phone does for --key/--uid/--pwd) */
  options: RuleOptions;
}

/** The Profile_Rule* alternative whose URL path is `target` (path and query), among URLs of the given schemes. */
export function matchProfileRule(values: Record<string, string>, target: string, ctx: MacroContext, schemes: readonly string[] = ['http', 'https']): MatchedRule | undefined {
  for (const parameter of PROFILE_RULES) {
    const text = values[parameter];
    if (!text) continue;
    let rule;
    try {
      rule = parseProfileRule(text);
    } catch {
      continue;
    }
    for (const alt of rule.alternatives) {
      if (!alt.url || !schemes.includes(alt.url.scheme)) continue;
      if (samePath(expandMacros(alt.url.path, ctx), target)) return { parameter, options: expandOptions(alt.options ?? {}, ctx) };
    }
  }
  return undefined;
}

/** The options of every Profile_Rule* alternative, macros expanded (the credentials a phone may answer a challenge with). */
export function profileRuleOptions(values: Record<string, string>, ctx: MacroContext): MatchedRule[] {
  const out: MatchedRule[] = [];
  for (const parameter of PROFILE_RULES) {
    const text = values[parameter];
    if (!text) continue;
    try {
      for (const alt of parseProfileRule(text).alternatives) if (alt.options) out.push({ parameter, options: expandOptions(alt.options, ctx) });
    } catch {
      continue;
    }
  }
  return out;
}

/** The Report_Rule target whose http(s) URL path is `target`. */
export function matchReportRule(values: Record<string, string>, target: string, ctx: MacroContext): MatchedRule | undefined {
  const text = values.Report_Rule;
  if (!text) return undefined;
  let targets;
  try {
    targets = parseReportRule(text);
  } catch {
    return undefined;
  }
  for (const t of targets) {
    if (t.url.scheme !== 'http' && t.url.scheme !== 'https') continue;
    if (samePath(expandMacros(t.url.path, ctx), target)) return { parameter: 'Report_Rule', options: expandOptions(t.options, ctx) };
  }
  return undefined;
}

function expandOptions(options: RuleOptions, ctx: MacroContext): RuleOptions {
  const out: RuleOptions = { ...options };
  for (const key of ['key', 'uid', 'pwd'] as const) {
    const v = options[key];
    if (v !== undefined) out[key] = expandMacros(v, ctx, { credentials: true });
  }
  return out;
}

/**
 * Paths compare after undoing percent-encoding, which clients apply differently, and without
 * a trailing `?` or `&` (where the ACS appends its token, see token.ts).
 */
function samePath(rulePathText: string, targetText: string): boolean {
  const rulePath = rulePathText.replace(/[?&]$/, '');
  const target = targetText.replace(/[?&]$/, '');
  if (rulePath === target) return true;
  try {
    return decodeURI(rulePath) === decodeURI(target);
  } catch {
    return false;
  }
}
