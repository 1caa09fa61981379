import type { AuditDoc } from '../audit';
import type { TokenView } from '../auth';
import type { AcsRequest } from '../cwmp/soap/types';
import { leaves, parsePath, subtree } from '../devices/params';
import type { DeviceDoc, ParamLeaf, ParamTree } from '../devices/types';
import type { JobProgress } from '../jobs/progress';
import { loadTarget } from '../jobs/target';
import { waveEnds } from '../jobs/waves';
import type { TaskDoc } from '../tasks/types';

/**
 * Documents as the API shows them. Secrets never leave: connection-request and transfer
 * passwords, per-device CWMP credentials, and the values of parameters whose name says they
 * hold a secret.
 */

const SECRET_NAME = /password|passphrase|secret/i;
const MASK = '***';

export function isSecretParameter(name: string): boolean {
  return SECRET_NAME.test(name);
}

export function maskRpc(rpc: AcsRequest): AcsRequest {
  switch (rpc.method) {
    case 'Download':
    case 'Upload':
    case 'ScheduleDownload':
      return rpc.password ? { ...rpc, password: MASK } : rpc;
    case 'SetParameterValues':
      return { ...rpc, parameterList: rpc.parameterList.map((p) => (isSecretParameter(p.name) ? { ...p, value: MASK } : p)) };
    default:
      return rpc;
  }
}

function maskResult(result: TaskDoc['result']): TaskDoc['result'] {
  if (result && result.method === 'GetParameterValuesResponse') {
    return { ...result, parameterList: result.parameterList.map((p) => (isSecretParameter(p.name) && p.value !== '' ? { ...p, value: MASK } : p)) };
  }
  return result;
}

/** Device fields shown as they are stored. */
const COPIED_DEVICE_FIELDS = [
  'deviceId',
  'registeredAt',
  'lastInformAt',
  'lastBootAt',
  'lastBootstrapAt',
  'lastEvents',
  'cwmpVersion',
  'remoteAddress',
  'softwareVersion',
  'hardwareVersion',
  'provisioningCode',
  'parameterKey',
  'connectionRequestUrl',
] as const;

/** What `deviceView` reads of a device document, for a projection. */
export const DEVICE_VIEW_FIELDS: readonly string[] = [...COPIED_DEVICE_FIELDS, 'tags', 'taskQueue', 'connectionRequestAuth.username'];

/**
 * A device with the parameters of `params` (its `device_params` tree, possibly projected);
 * `fields` lists the paths to show (a path ending in `.` shows its subtree), undefined all.
 */
export function deviceView(doc: Partial<DeviceDoc> & { _id: string }, params: ParamTree | undefined, fields?: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { id: doc._id };
  for (const key of COPIED_DEVICE_FIELDS) if (doc[key] !== undefined) out[key] = doc[key];
  if (doc.connectionRequestAuth) out.connectionRequestAuth = { username: doc.connectionRequestAuth.username };
  out.tags = doc.tags ?? [];
  out.queuedTasks = doc.taskQueue ?? [];
  if (params && (fields === undefined || fields.length)) out.parameters = parameterViews(params, fields);
  return out;
}

function parameterViews(tree: ParamTree, fields: string[] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const roots = fields === undefined ? [{ prefix: '', node: tree }] : fields.map((f) => rootOf(tree, f)).filter((r) => r.node !== undefined);
  for (const { prefix, node, leaf } of roots) {
    if (leaf) {
      out[prefix] = parameterView(prefix, leaf);
      continue;
    }
    for (const [name, l] of leaves(node as ParamTree, prefix)) out[name] = parameterView(name, l);
  }
  return out;
}

function rootOf(tree: ParamTree, field: string): { prefix: string; node: unknown; leaf?: ParamLeaf } {
  const { segments, isObject } = parsePath(field);
  if (isObject) return { prefix: `${segments.join('.')}.`, node: subtree(tree, segments) };
  const parent = subtree(tree, segments.slice(0, -1));
  const node = parent?.[segments[segments.length - 1]] as ParamLeaf | undefined;
  return node && typeof node === 'object' && '_v' in node ? { prefix: field, node, leaf: node } : { prefix: `${field}.`, node };
}

function parameterView(name: string, leaf: ParamLeaf): Record<string, unknown> {
  const secret = isSecretParameter(name) && leaf._v !== undefined && leaf._v !== '';
  return {
    ...(leaf._v !== undefined ? { value: secret ? MASK : leaf._v } : {}),
    ...(leaf._t ? { type: leaf._t } : {}),
    ...(leaf._ts ? { updatedAt: leaf._ts } : {}),
    ...(leaf._w !== undefined ? { writable: leaf._w } : {}),
    ...(leaf._n !== undefined ? { notification: leaf._n } : {}),
    ...(leaf._a ? { accessList: leaf._a } : {}),
  };
}

export function taskView(t: TaskDoc): Record<string, unknown> {
  const cr = t.connectionRequest;
  return {
    id: t._id,
    deviceId: t.deviceId,
    ...(t.jobId ? { jobId: t.jobId } : {}),
    rpc: maskRpc(t.rpc),
    status: t.status,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
    ...(t.expiresAt ? { expiresAt: t.expiresAt } : {}),
    released: !!t.releasedAt,
    attempts: t.attempts,
    ...(t.sentAt ? { sentAt: t.sentAt } : {}),
    ...(t.completedAt ? { completedAt: t.completedAt } : {}),
    ...(t.awaiting ? { awaiting: t.awaiting } : {}),
    ...(t.result ? { result: maskResult(t.result) } : {}),
    ...(t.refused?.length ? { refused: t.refused } : {}),
    ...(t.fault ? { fault: t.fault } : {}),
    ...(t.faultCleared ? { faultCleared: true } : {}),
    ...(t.retries ? { retries: t.retries } : {}),
    ...(t.expect ? { expect: t.expect } : {}),
    ...(cr ? { connectionRequest: { status: cr.status, attempts: cr.attempts, ...(cr.at ? { at: cr.at } : {}), ...(cr.message ? { message: cr.message } : {}) } } : {}),
  };
}

export function jobView(p: JobProgress): Record<string, unknown> {
  const j = p.job;
  return {
    id: j._id,
    ...(j.name ? { name: j.name } : {}),
    status: p.status,
    rpcs: j.rpcs.map(maskRpc),
    target: loadTarget(j.target),
    rate: j.rate,
    connectionRequest: j.connectionRequest,
    ...(j.expiresAt ? { expiresAt: j.expiresAt } : {}),
    createdAt: j.createdAt,
    createdBy: j.createdBy,
    ...(j.finishedAt ? { finishedAt: j.finishedAt } : {}),
    devices: j.plan ? j.plan.devices : null,
    released: j.release.position,
    tasks: p.tasks,
    ...(j.waves?.length ? { waves: j.waves, waveEnds: j.plan ? waveEnds(j.waves, j.plan.devices) : null } : {}),
  };
}

export function tokenView(t: TokenView): Record<string, unknown> {
  return { id: t._id, name: t.name, role: t.role, createdAt: t.createdAt, createdBy: t.createdBy, ...(t.revokedAt ? { revokedAt: t.revokedAt } : {}) };
}

export function auditView(a: AuditDoc): Record<string, unknown> {
  const { _id, ...rest } = a;
  return { id: _id, ...rest };
}
