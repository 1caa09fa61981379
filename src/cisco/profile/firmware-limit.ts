/**
 * The firmware parameters checked together: `Downgrade_Rev_Limit` must be a firmware version
 * of the devices' dialect (`11.0.0` is no MPP version: 001 L935-956), and an `Upgrade_Rule`
 * whose load lies below it is refused, since the phone "rejects upgrade attempts for firmware
 * versions earlier than the specified limit" (001 L1352). Loads are known by their file name
 * (`sip68xx.11-0-1MPP-BN.loads` is version `sip68xx.11-0-1MPP-BN`: 001 L1581-1598); a URL
 * whose name is no version (macros, legacy `spa021025.bin`) cannot be compared and is left to
 * the phone. Pure.
 */
import { compareVersions, parseLegacyVersion, parseMppVersion, parseUpgradeRule, RuleSyntaxError, type Dialect } from '../rules';
import type { ValidationIssue } from './validate';

const LIMIT = 'Downgrade_Rev_Limit';
const RULE = 'Upgrade_Rule';

function versionOf(text: string, dialect: Dialect) {
  return parseMppVersion(text) ?? (dialect === 'legacy' ? parseLegacyVersion(text) : undefined);
}

/** The version a load's URL names, from its file name without the extension. */
function loadVersion(path: string) {
  const file = path.slice(path.lastIndexOf('/') + 1);
  return parseMppVersion(file.replace(/\.[A-Za-z]+$/, ''));
}

export function checkFirmwareLimit(values: ReadonlyMap<string, string>, dialect: Dialect): ValidationIssue[] {
  const limitText = values.get(LIMIT);
  if (limitText === undefined || limitText === '') return [];
  const limit = versionOf(limitText, dialect);
  if (!limit) {
    const like = dialect === 'mpp' ? 'sip68xx.11-0-1MPP' : '2.0.6 or sip68xx.11-0-1MPP';
    return [{ name: LIMIT, code: 'type', message: `${LIMIT}: "${limitText.slice(0, 80)}" is not a firmware version like ${like}` }];
  }
  const ruleText = values.get(RULE);
  if (!ruleText) return [];
  let rule;
  try {
    rule = parseUpgradeRule(ruleText, { dialect });
  } catch (err) {
    if (err instanceof RuleSyntaxError) return []; // reported with the rule itself
    throw err;
  }
  const issues: ValidationIssue[] = [];
  for (const alt of rule.alternatives) {
    const load = alt.url ? loadVersion(alt.url.path) : undefined;
    if (!load) continue;
    let below: boolean;
    try {
      below = compareVersions(load, limit) < 0;
    } catch {
      continue; // another series than the limit's: not this limit's business
    }
    if (below) {
      issues.push({
        name: RULE,
        code: 'type',
        message: `${RULE}: load ${load.text} is below ${LIMIT} ${limit.text}; the phone rejects upgrades to earlier versions (001 L1352)`,
      });
    }
  }
  return issues;
}
