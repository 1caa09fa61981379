import { readFileSync, statSync } from 'node:fs';
import { CommanderError, type Command } from 'commander';
import { fromParameterValues, MappingError, toSetParameterValues, type MappingOverrides } from '../../cisco/mapping';
import {
  parseProfile,
  profileValues,
  ProfileParseError,
  ProfileRenderError,
  renderProfile,
  renderValues,
  validateProfile,
  xmlNameOf,
  type ProfileEntry,
  type RenamedParameter,
  type ValidationIssue,
} from '../../cisco/profile';
import { dialectFor } from '../../cisco/rules';
import type { ParamValue } from '../../cwmp/soap/types';
import { activationEntries, ActivationError } from '../../provisioning/render/activation';
import { UsageError } from '../errors';

const MAX_INPUT = 4 * 1024 * 1024;

function readInput(file: string): Buffer {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new UsageError(`cannot read ${file}`);
  }
  if (size > MAX_INPUT) throw new UsageError(`${file} is larger than ${MAX_INPUT} bytes`);
  return readFileSync(file);
}

/** Exit 1 after the command printed why; main() turns this into the exit code. */
function failed(message: string): never {
  process.stderr.write(`acs: ${message}\n`);
  throw new CommanderError(1, 'acs.profile.failed', message);
}

function out(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

function parseOrFail(file: string, data: Buffer): ReturnType<typeof parseProfile> {
  try {
    return parseProfile(data);
  } catch (err) {
    if (err instanceof ProfileParseError) return failed(`${file}: ${err.message}`);
    throw err;
  }
}

function readJson(file: string, what: string): unknown {
  try {
    return JSON.parse(readInput(file).toString('utf8'));
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`${file}: not valid JSON (${what})`);
  }
}

function readOverrides(file: string | undefined): MappingOverrides {
  if (file === undefined) return {};
  const data = readJson(file, 'mapping overrides');
  const ok =
    typeof data === 'object' &&
    data !== null &&
    !Array.isArray(data) &&
    Object.values(data).every(
      (pc) =>
        typeof pc === 'object' && pc !== null && !Array.isArray(pc) && Object.values(pc).every((p) => p === null || typeof p === 'string'),
    );
  if (!ok) throw new UsageError(`${file}: expected { "productClass": { "XML_Name": "TR-069.path" | null } }`);
  return data as MappingOverrides;
}

/** SetParameterValues input: `[{ name, value }]` or `{ parameterList: [...] }`. */
function readParameterList(file: string): Array<{ name: string; value: ParamValue }> {
  const data = readJson(file, 'SetParameterValues list');
  const list = Array.isArray(data) ? data : (data as { parameterList?: unknown } | null)?.parameterList;
  if (!Array.isArray(list)) throw new UsageError(`${file}: expected [{ "name": ..., "value": ... }] or { "parameterList": [...] }`);
  return list.map((item: unknown, i) => {
    const p = item as { name?: unknown; value?: unknown } | null;
    const valueOk = ['string', 'number', 'boolean'].includes(typeof p?.value);
    if (typeof p?.name !== 'string' || !valueOk) {
      throw new UsageError(`${file}: item ${i} needs a string "name" and a string, number or boolean "value"`);
    }
    return { name: p.name, value: p.value as ParamValue };
  });
}

function reportIssues(file: string, issues: ValidationIssue[], json: boolean, duplicates: string[], renamed: RenamedParameter[] = []): void {
  if (json) {
    out(JSON.stringify({ file, valid: issues.length === 0, issues, duplicates, ...(renamed.length ? { renamed } : {}) }, null, 2));
  } else {
    for (const r of renamed) out(`${r.given}: XML name ${r.name}`);
    for (const d of duplicates) process.stderr.write(`warning: ${d} appears more than once; the last one wins\n`);
    for (const i of issues) out(i.message);
  }
}

interface ConvertOptions {
  to?: string;
  productClass: string;
  overrides?: string;
  json?: boolean;
}

function isXml(data: Buffer): boolean {
  return /^\s*</.test(data.subarray(0, 256).toString('utf8').replace(/^\uFEFF/, ''));
}

function convert(file: string, opts: ConvertOptions): void {
  const data = readInput(file);
  const to = opts.to ?? (isXml(data) ? 'tr069' : 'xml');
  if (to !== 'tr069' && to !== 'xml') throw new UsageError(`--to must be tr069 or xml, not "${to}"`);
  const overrides = readOverrides(opts.overrides);
  try {
    if (to === 'tr069') {
      const profile = parseOrFail(file, data);
      const issues = validateProfile(profile.entries);
      if (issues.length) {
        reportIssues(file, issues, Boolean(opts.json), profile.duplicates);
        failed(`${file}: ${issues.length} invalid parameter${issues.length === 1 ? '' : 's'}; nothing converted`);
      }
      const result = toSetParameterValues(profileValues(profile), opts.productClass, overrides);
      if (opts.json) out(JSON.stringify({ productClass: opts.productClass, ...result }, null, 2));
      else {
        out(JSON.stringify(result.parameterList, null, 2));
        if (result.unmapped.length) {
          process.stderr.write(`no TR-069 path (deliver in a configuration file): ${result.unmapped.join(', ')}\n`);
        }
      }
      return;
    }
    const result = fromParameterValues(readParameterList(file), opts.productClass, overrides);
    const issues = validateProfile(result.values);
    if (issues.length) {
      reportIssues(file, issues, Boolean(opts.json), []);
      failed(`${file}: ${issues.length} value${issues.length === 1 ? '' : 's'} do not fit the Cisco parameter types`);
    }
    const xml = renderValues(result.values);
    if (opts.json) out(JSON.stringify({ productClass: opts.productClass, profile: xml, unmapped: result.unmapped }, null, 2));
    else {
      out(xml);
      if (result.unmapped.length) process.stderr.write(`no Cisco XML parameter for: ${result.unmapped.join(', ')}\n`);
    }
  } catch (err) {
    if (err instanceof MappingError || err instanceof ProfileRenderError) failed(`${file}: ${err.message}`);
    throw err;
  }
}

/** `acs profile validate FILE` and `acs profile convert FILE`: Cisco XML profiles offline. */
export function register(program: Command): void {
  const profile = program.command('profile').description('Cisco MPP XML profiles: validate, convert to and from TR-069');

  profile
    .command('validate')
    .description('check every parameter of an XML profile against the Cisco catalogue (exit 1 when any is wrong)')
    .argument('<file>', 'XML profile (<flat-profile>, optionally inside <device>), or JSON [{ "name", "value" }] list')
    .option('--product-class <pc>', 'the devices it is for; a Small Business one (SPA...) takes the legacy rule dialect')
    .option('--json', 'print the result as JSON')
    .action((file: string, opts: { json?: boolean; productClass?: string }) => {
      const data = readInput(file);
      const parsed = isXml(data) ? parseOrFail(file, data) : { entries: readParameterList(file).map((p): ProfileEntry => ({ name: p.name, value: String(p.value) })), duplicates: [] };
      // Web-page labels and legacy names (only a JSON list can carry them) stand for their XML names.
      const renamed: RenamedParameter[] = [];
      const entries = parsed.entries.map((e) => {
        const name = xmlNameOf(e.name);
        if (name !== e.name) renamed.push({ given: e.name, name });
        return { ...e, name };
      });
      const issues = validateProfile(entries, undefined, dialectFor(opts.productClass ? [opts.productClass] : undefined));
      reportIssues(file, issues, Boolean(opts.json), parsed.duplicates, renamed);
      if (issues.length) failed(`${file}: ${issues.length} invalid parameter${issues.length === 1 ? '' : 's'}`);
      if (!opts.json) out(`${file}: ${entries.length} parameters valid`);
    });

  profile
    .command('activation')
    .description("print the guide's activation-code onboarding profile (Profile_Rule gds://); refused for models without the feature (CP-6861)")
    .requiredOption('--product-class <pc>', 'the phones it is for, e.g. CP-8851-3PCC')
    .option('--upgrade-rule <url>', 'Upgrade_Rule to a load that has the feature (11-2-3MSR1 or later)')
    .option('--retry-delay <seconds>', 'Upgrade_Error_Retry_Delay (default 3600)')
    .option('--user-password-file <file>', 'User_Password (4 to 127 characters; an empty file for no password), read from a file to keep it off the command line')
    .action((opts: { productClass: string; upgradeRule?: string; retryDelay?: string; userPasswordFile?: string }) => {
      if (opts.retryDelay !== undefined && !/^\d{1,10}$/.test(opts.retryDelay)) throw new UsageError(`--retry-delay must be a number of seconds, not "${opts.retryDelay.slice(0, 40)}"`);
      const userPassword = opts.userPasswordFile === undefined ? undefined : readInput(opts.userPasswordFile).toString('utf8').replace(/\r?\n$/, '');
      try {
        const entries = activationEntries({
          productClass: opts.productClass,
          ...(opts.upgradeRule !== undefined ? { upgradeRule: opts.upgradeRule } : {}),
          ...(opts.retryDelay !== undefined ? { upgradeErrorRetryDelay: Number(opts.retryDelay) } : {}),
          ...(userPassword !== undefined ? { userPassword } : {}),
        });
        out(renderProfile(entries, { device: true }));
      } catch (err) {
        if (err instanceof ActivationError) failed(err.message);
        throw err;
      }
    });

  profile
    .command('convert')
    .description('convert an XML profile to a SetParameterValues list (JSON), or such a list back to XML')
    .argument('<file>', 'XML profile, or JSON [{ "name", "value" }] list')
    .option('--to <format>', 'tr069 or xml (default: tr069 for XML input, xml for JSON input)')
    .option('--product-class <pc>', 'product class whose mapping overrides apply', '')
    .option('--overrides <file>', 'JSON mapping overrides { productClass: { XML_Name: path | null } }')
    .option('--json', 'print one JSON object with the result and the unmapped parameters')
    .action((file: string, opts: ConvertOptions) => convert(file, opts));
}
