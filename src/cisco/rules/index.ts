/**
 * Parsers for the phones' provisioning rules and conditions, and firmware version comparison.
 *
 *   parseProfileRule('("$A" ne "Provisioned")? (Line_Enable_1_ = "No";)! https://p.tel.com/init-prov | https://p.tel.com/configs')
 *   parseUpgradeRule('($SWVER ne sip68xx.11-0-0MPP)? http://ps.tell.com/sw/sip68xx.11-0-0MPP-BN.loads')
 *   parseReportRule('[--delta --key test123]http://my_http_server/config-mpp-delta.enc.xml;')
 *   parseTrigger('$UPGTMR gt 300 and $PRVTMR ge 600')
 *   compareVersions('sip68xx.11-0-0MPP-BN', 'sip68xx.11-0-1MPP-BN')   // -1
 *
 * Malformed input throws RuleSyntaxError naming the 1-based character position and what was
 * expected there.
 */
export {
  parseProfileRule,
  parseUpgradeRule,
  parseReportRule,
  parseTrigger,
  selectAlternative,
  formatRule,
  formatReportRule,
  type ProvisioningRule,
  type RuleAlternative,
  type Assignment,
  type ReportTarget,
  type ParseOptions,
} from './rule';
export {
  parseCondition,
  evaluateCondition,
  formatCondition,
  type Condition,
  type Comparison,
  type Operand,
  type Operator,
  type Dialect,
} from './condition';
export { formatOptions, type RuleOptions } from './options';
export { DEFAULT_PORTS, type RuleUrl, type Scheme } from './url';
export { compareVersions, parseVersion, parseMppVersion, parseLegacyVersion, type Version } from './version';
export { parseAliasMap, MAX_ALIASES, type AliasEntry } from './alias';
export { dialectFor } from './dialect';
export { RuleSyntaxError, RuleEvaluationError } from './errors';
