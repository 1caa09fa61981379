import { createHash } from 'node:crypto';
import type { Tr069Mapper } from '../../cisco/mapping';
import type { ProfileEntry } from '../../cisco/profile';
import type { ParameterValueStruct, ParamValue, XsdType } from '../../cwmp/soap/types';
import { isLeaf, parsePath, subtree } from '../../devices/params';
import type { ParamTree } from '../../devices/types';
import { planDelivery } from './delivery';
import { desiredValues } from '../render/render';
import type { FileValue } from '../stores/applied';

/**
 * The configuration part of a reconciliation, as data, and the step after each answer. Pure.
 *
 * Parameters with a confirmed TR-069 path go by SetParameterValues, and only those whose value
 * differs from what the ACS knows; known values older than the refresh age (or unknown) are read
 * first with GetParameterValues. An instance a path needs that the device lacks is created with
 * AddObject (after a GetParameterNames of its table when the ACS does not know). Everything
 * else, and anything carrying a `ua` attribute, goes in the rendered configuration file, sent
 * only when that part changed since the file last delivered.
 */

export interface PlanParam {
  /** the XML parameter it delivers */
  name: string;
  path: string;
  value: ParamValue;
  type: XsdType;
  secret?: true;
  /** what the device has, as far as the ACS knows */
  known?: ParamValue;
  /** `known` is recent enough to trust */
  fresh: boolean;
}

export interface ConfigPlan {
  key: string;
  params: PlanParam[];
  /** object instances (`...Line.2.`) the paths need: present, absent, or unknown when missing */
  objects: Record<string, boolean>;
  /** AddObject attempts per table */
  adds: Record<string, number>;
  /** the configuration file to deliver: its part changed (or the device bootstrapped) */
  file?: { digest: string; values: FileValue[]; queued?: true };
}

export type ConfigAction =
  | { kind: 'list'; table: string }
  | { kind: 'add'; table: string; instance: number }
  | { kind: 'get'; paths: string[] }
  | { kind: 'set'; params: PlanParam[]; final: boolean }
  | { kind: 'file' }
  | { kind: 'done' };

export interface PlanInput {
  key: string;
  /** the effective entries, every macro and variable expanded */
  entries: readonly ProfileEntry[];
  secret: ReadonlySet<string>;
  mapper: Tr069Mapper;
  /** paths that exist on this device or its model (learned data model, the device's own tree) */
  confirmed: ReadonlySet<string>;
  /** paths of the learned data model: their instances are taken to exist */
  presumed: ReadonlySet<string>;
  tree: ParamTree;
  now: Date;
  maxAgeMs: number;
  /** digest of the file part the device last received */
  deliveredFile?: string;
  /** send the file whatever was delivered before (the device bootstrapped) */
  forceFile: boolean;
}

export const GET_BATCH = 100;
export const SET_BATCH = 100;
const MAX_ADDS = 16;

export function buildConfigPlan(input: PlanInput): ConfigPlan {
  const delivery = planDelivery(desiredValues(input.entries), input.mapper, input.confirmed);
  const params: PlanParam[] = [];
  const objects: Record<string, boolean> = {};
  for (const pv of delivery.parameterValues) {
    const owner = input.mapper.reverse(pv.name)?.name ?? pv.name;
    const leaf = subtree(input.tree, parsePath(pv.name).segments);
    const known = isLeaf(leaf) ? leaf : undefined;
    const at = known?._ts instanceof Date ? known._ts.getTime() : known?._ts ? Date.parse(String(known._ts)) : NaN;
    params.push({
      name: owner,
      path: pv.name,
      value: pv.value,
      type: pv.type,
      ...(input.secret.has(owner) ? { secret: true as const } : {}),
      ...(known?._v !== undefined ? { known: known._v } : {}),
      fresh: known?._v !== undefined && input.now.getTime() - at <= input.maxAgeMs,
    });
    for (const object of instancesOf(pv.name)) {
      if (input.presumed.has(pv.name) || subtree(input.tree, parsePath(object).segments) !== undefined) objects[object] = true;
    }
  }
  const byFile = new Set(delivery.byFile);
  const fileEntries = input.entries.filter((e) => byFile.has(e.name) || e.ua !== undefined || e.selfClosing);
  const plan: ConfigPlan = { key: input.key, params, objects, adds: {} };
  if (fileEntries.length) {
    const digest = fileDigest(fileEntries);
    if (input.forceFile || digest !== input.deliveredFile) plan.file = { digest, values: fileEntries.map((e) => fileValue(e, input.secret.has(e.name))) };
  }
  return plan;
}

/** An entry of the file part as history compares it: secrets only as a digest. */
function fileValue(e: ProfileEntry, secret: boolean): FileValue {
  const shown = e.selfClosing ? '(kept)' : e.value;
  return secret ? { name: e.name, value: createHash('sha256').update(shown).digest('base64url').slice(0, 16), secret: true } : { name: e.name, value: shown };
}

/** Digest of the entries a configuration file carries (order does not matter). */
export function fileDigest(entries: readonly ProfileEntry[]): string {
  const canonical = [...entries].sort((a, b) => a.name.localeCompare(b.name)).map((e) => [e.name, e.value, e.ua ?? '', e.selfClosing ? 1 : 0]);
  return createHash('sha256').update(JSON.stringify(canonical)).digest('base64url').slice(0, 32);
}

/** The object instances a path goes through, outermost first: `A.1.B.2.C` -> `A.1.`, `A.1.B.2.` */
export function instancesOf(path: string): string[] {
  const segments = parsePath(path).segments;
  const out: string[] = [];
  for (let i = 0; i < segments.length - 1; i++) if (/^\d+$/.test(segments[i])) out.push(`${segments.slice(0, i + 1).join('.')}.`);
  return out;
}

function tableOf(object: string): { table: string; instance: number } {
  const m = /^(.*\.)(\d+)\.$/.exec(object)!;
  return { table: m[1], instance: Number(m[2]) };
}

export function sameValue(desired: ParamValue, type: XsdType, known: ParamValue | undefined): boolean {
  if (known === undefined) return false;
  switch (type) {
    case 'xsd:boolean':
      return asBool(known) === asBool(desired);
    case 'xsd:int':
    case 'xsd:unsignedInt':
    case 'xsd:long':
    case 'xsd:unsignedLong':
      return Number(known) === Number(desired);
    default:
      return String(known) === String(desired);
  }
}

function asBool(v: ParamValue): boolean | undefined {
  if (v === true || v === 1 || v === '1' || v === 'true') return true;
  if (v === false || v === 0 || v === '0' || v === 'false') return false;
  return undefined;
}

function differs(p: PlanParam): boolean {
  return p.fresh && !sameValue(p.value, p.type, p.known);
}

/** What the plan needs next. */
export function nextConfigAction(plan: ConfigPlan): ConfigAction {
  for (const p of plan.params) {
    const objects = instancesOf(p.path);
    const absent = objects.find((o) => plan.objects[o] === false);
    if (absent) {
      const { table, instance } = tableOf(absent);
      return { kind: 'add', table, instance };
    }
    // The innermost unknown table: listing it succeeds only if every object above it exists.
    const unknown = objects.filter((o) => plan.objects[o] === undefined).pop();
    if (unknown) return { kind: 'list', table: tableOf(unknown).table };
  }
  const stale = plan.params.filter((p) => !p.fresh);
  if (stale.length) return { kind: 'get', paths: stale.slice(0, GET_BATCH).map((p) => p.path) };
  const changed = plan.params.filter(differs);
  if (changed.length) {
    const batch = changed.slice(0, SET_BATCH);
    return { kind: 'set', params: batch, final: changed.length === batch.length && !plan.file };
  }
  if (plan.file && !plan.file.queued) return { kind: 'file' };
  return { kind: 'done' };
}

/**
 * The plan is done: does its end record the revision? Not when it queued the file: the file's
 * TransferComplete does (a refused file must not leave the revision recorded as applied).
 */
export function endRecordsRevision(plan: ConfigPlan): boolean {
  return !plan.file?.queued;
}

/**
 * GetParameterNames(table, NextLevel) answered: which instances of the table exist, and so
 * every object above the table does too.
 */
export function afterList(plan: ConfigPlan, table: string, names: readonly string[]): void {
  const listed = new Set(names.map((n) => (n.endsWith('.') ? n : `${n}.`)));
  for (const p of plan.params) {
    for (const object of instancesOf(p.path)) {
      if (table.startsWith(object)) plan.objects[object] = true;
      else if (tableOf(object).table === table) plan.objects[object] = listed.has(object);
    }
  }
}

/**
 * AddObject answered with `instanceNumber`. A device numbers instances itself; when it skipped
 * past the one wanted, the wanted instance cannot be made: an error message.
 */
export function afterAdd(plan: ConfigPlan, table: string, wanted: number, instanceNumber: number): string | undefined {
  plan.objects[`${table}${instanceNumber}.`] = true;
  plan.adds[table] = (plan.adds[table] ?? 0) + 1;
  if (instanceNumber > wanted && !plan.objects[`${table}${wanted}.`]) return `the device created ${table}${instanceNumber}. while ${table}${wanted}. was wanted`;
  if (plan.adds[table] >= MAX_ADDS && !plan.objects[`${table}${wanted}.`]) return `${table}${wanted}. still missing after ${MAX_ADDS} AddObject`;
  return undefined;
}

export function afterGet(plan: ConfigPlan, asked: readonly string[], got: readonly ParameterValueStruct[]): void {
  const values = new Map(got.map((p) => [p.name, p.value]));
  const wanted = new Set(asked);
  for (const p of plan.params) {
    if (!wanted.has(p.path)) continue;
    const v = values.get(p.path);
    if (v !== undefined) p.known = v;
    // Answered or not, the read is done: never ask again in this plan.
    p.fresh = true;
  }
}

export function afterSet(plan: ConfigPlan, set: readonly PlanParam[]): void {
  const paths = new Set(set.map((p) => p.path));
  for (const p of plan.params) {
    if (!paths.has(p.path)) continue;
    p.known = p.value;
    p.fresh = true;
  }
}
