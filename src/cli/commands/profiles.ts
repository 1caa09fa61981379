import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { apiTarget, callApi, devicePath, withApiOptions, type ApiFlags } from '../api/client';
import { json, table } from '../api/output';
import { UsageError } from '../errors';

interface Saved {
  profile: { name: string; revision: number; parameters: unknown[] };
  conflicts: Array<{ parameter: string; precedence: number; profiles: [string, string] }>;
}

interface ImportFlags extends ApiFlags {
  name?: string;
  precedence?: string;
  partition?: string;
  productClass: string[];
  tag: string[];
  serial: string[];
  device: string[];
  description?: string;
  replace?: boolean;
  json?: boolean;
}

const collect = (v: string, list: string[]) => [...list, v];
const MAX_FILE = 4 * 1024 * 1024;

function readText(file: string): string {
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  if (data.length > MAX_FILE) throw new UsageError(`${file} is larger than ${MAX_FILE} bytes`);
  return data.toString('utf8');
}

function integer(name: string, text: string): number {
  if (!/^-?\d{1,7}$/.test(text)) throw new UsageError(`${name} must be an integer, got ${JSON.stringify(text)}`);
  return Number(text);
}

function conflictLines(conflicts: Saved['conflicts']): string {
  return conflicts.map((c) => `conflict: ${c.parameter} differs between ${c.profiles.join(' and ')} (precedence ${c.precedence}); devices matching both get neither value\n`).join('');
}

/** `acs profiles list|get|import|apply|delete|revisions|conflicts|effective` against the operator API. */
export function register(program: Command): void {
  const profiles = program.command('profiles').description('provisioning profiles: desired parameters and the devices they apply to (through the operator API)');

  withApiOptions(profiles.command('list').description('every profile').option('--json', 'print JSON')).action(async (opts: ApiFlags & { json?: boolean }) => {
    const res = await callApi<{ items: Array<{ name: string; revision: number; precedence: number; match: unknown; parameterCount: number; updatedAt: string }> }>(apiTarget(opts), 'GET', '/profiles');
    if (opts.json) return void process.stdout.write(json(res));
    process.stdout.write(table(['NAME', 'REVISION', 'PRECEDENCE', 'MATCH', 'PARAMETERS', 'UPDATED'], res.items.map((p) => [p.name, p.revision, p.precedence, p.match, p.parameterCount, p.updatedAt])));
  });

  withApiOptions(profiles.command('get <name>').description('one profile (secret values never shown)').option('--revision <n>', 'a saved revision').option('--json', 'print JSON')).action(
    async (name: string, opts: ApiFlags & { revision?: string; json?: boolean }) => {
      const path = `/profiles/${encodeURIComponent(name)}${opts.revision ? `/revisions/${integer('--revision', opts.revision)}` : ''}`;
      const p = await callApi<{ name: string; revision: number; precedence: number; match: unknown; parameters: Array<{ name: string; value?: string; secret?: boolean; ua?: string; keep?: boolean }> }>(apiTarget(opts), 'GET', path);
      if (opts.json) return void process.stdout.write(json(p));
      process.stdout.write(`${p.name} revision ${p.revision}, precedence ${p.precedence}, match ${JSON.stringify(p.match)}\n`);
      process.stdout.write(table(['PARAMETER', 'VALUE', 'UA'], p.parameters.map((e) => [e.name, e.secret ? '(secret)' : e.keep ? '(keep)' : e.value, e.ua])));
    },
  );

  withApiOptions(
    profiles
      .command('import <file>')
      .description('create (or with --replace, replace) a profile from a Cisco XML profile file')
      .option('--name <name>', 'profile name (default: the file name without extension)')
      .option('--precedence <n>', 'higher wins (default 0)')
      .option('--partition <B|C|D>', "serve it in Profile_Rule_B's (_C, _D) file instead of Profile_Rule's")
      .option('--product-class <name>', 'apply to this product class (repeat)', collect, [])
      .option('--tag <tag>', 'apply to devices carrying this tag (repeat: all of them)', collect, [])
      .option('--serial <serial>', 'apply to this serial number (repeat)', collect, [])
      .option('--device <id>', 'apply to this device (repeat)', collect, [])
      .option('--description <text>', 'what the profile is for')
      .option('--replace', 'replace the profile if it exists')
      .option('--json', 'print JSON'),
  ).action(async (file: string, opts: ImportFlags) => {
    const name = opts.name ?? (file.split('/').pop() ?? file).replace(/\.[^.]*$/, '');
    const match: Record<string, string[]> = {};
    if (opts.productClass.length) match.productClasses = opts.productClass;
    if (opts.tag.length) match.tags = opts.tag;
    if (opts.serial.length) match.serialNumbers = opts.serial;
    if (opts.device.length) match.deviceIds = opts.device;
    const body = {
      name,
      precedence: opts.precedence ? integer('--precedence', opts.precedence) : 0,
      ...(opts.partition ? { partition: opts.partition } : {}),
      match,
      xml: readText(file),
      replace: !!opts.replace,
      ...(opts.description ? { description: opts.description } : {}),
    };
    const saved = await callApi<Saved>(apiTarget(opts), 'POST', '/profiles/import', body);
    if (opts.json) return void process.stdout.write(json(saved));
    process.stdout.write(`${saved.profile.name}: revision ${saved.profile.revision}, ${saved.profile.parameters.length} parameters\n${conflictLines(saved.conflicts)}`);
  });

  withApiOptions(
    profiles
      .command('apply <file>')
      .description('create or replace a profile from a JSON file { name, precedence, match, parameters: [{ name, value }] }')
      .option('--json', 'print JSON'),
  ).action(async (file: string, opts: ApiFlags & { json?: boolean }) => {
    let doc: { name?: unknown } & Record<string, unknown>;
    try {
      doc = JSON.parse(readText(file));
    } catch (err) {
      if (err instanceof UsageError) throw err;
      throw new UsageError(`${file} is not JSON: ${(err as Error).message}`);
    }
    if (typeof doc?.name !== 'string') throw new UsageError(`${file}: "name" is required (a string)`);
    const target = apiTarget(opts);
    const { name, ...rest } = doc;
    const exists = await callApi(target, 'GET', `/profiles/${encodeURIComponent(name)}`).then(
      () => true,
      (err: { status?: number }) => {
        if (err.status === 404) return false;
        throw err;
      },
    );
    const saved = exists ? await callApi<Saved>(target, 'PUT', `/profiles/${encodeURIComponent(name)}`, rest) : await callApi<Saved>(target, 'POST', '/profiles', doc);
    if (opts.json) return void process.stdout.write(json(saved));
    process.stdout.write(`${saved.profile.name}: revision ${saved.profile.revision}, ${saved.profile.parameters.length} parameters\n${conflictLines(saved.conflicts)}`);
  });

  withApiOptions(profiles.command('delete <name>').description('delete a profile (its revisions are kept)')).action(async (name: string, opts: ApiFlags) => {
    await callApi(apiTarget(opts), 'DELETE', `/profiles/${encodeURIComponent(name)}`);
    process.stdout.write(`${name} deleted\n`);
  });

  withApiOptions(profiles.command('revisions <name>').description("a profile's saved revisions").option('--json', 'print JSON')).action(async (name: string, opts: ApiFlags & { json?: boolean }) => {
    const res = await callApi<{ items: Array<{ revision: number; precedence: number; savedAt: string; savedBy?: string; deleted?: boolean }> }>(apiTarget(opts), 'GET', `/profiles/${encodeURIComponent(name)}/revisions`);
    if (opts.json) return void process.stdout.write(json(res));
    process.stdout.write(table(['REVISION', 'PRECEDENCE', 'SAVED', 'BY', 'DELETED'], res.items.map((r) => [r.revision, r.precedence, r.savedAt, r.savedBy, r.deleted ? 'yes' : ''])));
  });

  withApiOptions(profiles.command('conflicts').description('profiles of one precedence that can meet on a device and disagree').option('--json', 'print JSON')).action(async (opts: ApiFlags & { json?: boolean }) => {
    const res = await callApi<{ items: Saved['conflicts'] }>(apiTarget(opts), 'GET', '/profiles/conflicts');
    if (opts.json) return void process.stdout.write(json(res));
    process.stdout.write(table(['PARAMETER', 'PRECEDENCE', 'PROFILES'], res.items.map((c) => [c.parameter, c.precedence, c.profiles])));
  });

  withApiOptions(profiles.command('effective <deviceId>').description("a device's effective desired state and where each value came from").option('--json', 'print JSON')).action(
    async (id: string, opts: ApiFlags & { json?: boolean }) => {
      type Source = { kind: string; profile?: string; revision?: number };
      const view = await callApi<{
        key: string;
        upToDate: boolean;
        managed: boolean;
        parameters: Array<{ name: string; value?: string; secret?: boolean; source: Source; delivery: string }>;
        conflicts: Array<{ name: string; candidates: Array<{ profile: string }> }>;
        withheld: Array<{ name: string; message: string }>;
      }>(apiTarget(opts), 'GET', `${devicePath(id)}/provisioning`);
      if (opts.json) return void process.stdout.write(json(view));
      process.stdout.write(`${view.managed ? 'managed' : 'not under any profile'}, revision ${view.key}, ${view.upToDate ? 'up to date' : 'not yet applied'}\n`);
      const from = (s: Source) => (s.kind === 'device' ? 'device' : `${s.profile}@${s.revision}`);
      process.stdout.write(table(['PARAMETER', 'VALUE', 'FROM', 'BY'], view.parameters.map((p) => [p.name, p.secret ? '(secret)' : p.value, from(p.source), p.delivery])));
      for (const c of view.conflicts) process.stdout.write(`withheld ${c.name}: ${c.candidates.map((x) => x.profile).join(' and ')} disagree\n`);
      for (const w of view.withheld) process.stdout.write(`withheld ${w.message}\n`);
    },
  );
}
