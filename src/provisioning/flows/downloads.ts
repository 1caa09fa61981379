import type { AcsRequest, Download } from '../../cwmp/soap/types';
import type { DeviceRepository } from '../../devices/repository';
import type { FileStore } from '../../files/store';
import type { UrlSigner } from '../../files/signing';
import type { FileInfo, FileKind } from '../../files/types';
import type { TaskDoc } from '../../tasks/types';
import type { DesiredConfigSource } from '../stores/desired';

/**
 * The three Download flows of the Cisco phones (001 L294-298): firmware, vendor configuration
 * and custom CA file. Each builds the Download RPC with a URL signed for the device, valid
 * until the task's own expiry plus a download window (the device fetches after its session),
 * and queues it. The session engine closes the task on TransferComplete; a firmware task
 * carries the version the image installs, and fails unless the device then reports it.
 */

export const FILE_TYPE = {
  firmware: '1 Firmware Upgrade Image',
  configuration: '3 Vendor Configuration File',
} as const;

/** Tasks the provisioning flows queue expire after a week unless the caller says otherwise. */
export const DEFAULT_TASK_LIFETIME_MS = 7 * 24 * 3600 * 1000;

/**
 * Where flows queue their task: the API's TaskDispatcher (which can wake the device with a
 * connection request), or the TaskRepository itself.
 */
export interface TaskQueue {
  queue(deviceId: string, rpc: AcsRequest, options: { expiresAt: Date; expect?: TaskDoc['expect']; connectionRequest: boolean; createdBy: string }): Promise<TaskDoc>;
}

export interface DownloadFlowDeps {
  tasks: TaskQueue;
  devices: Pick<DeviceRepository, 'get'>;
  files: Pick<FileStore, 'get'>;
  signer: UrlSigner;
  desired: DesiredConfigSource;
  /** seconds a URL stays valid after its task's expiry */
  urlWindowSeconds: number;
  /** FileType of a custom CA file (ACS_CA_FILE_TYPE: not in Cisco's guides) */
  caFileType: string;
}

export interface DownloadOptions {
  /** the task expires unsent at this time (default: in DEFAULT_TASK_LIFETIME_MS) */
  expiresAt?: Date;
  /** wake the device with a connection request (when the task queue can) */
  connectionRequest?: boolean;
  /** who asked, for the task record */
  createdBy?: string;
  /** firmware: queue even when the device already reports the image's version */
  force?: boolean;
  now?: Date;
}

/** A flow that cannot be queued; `status` is the HTTP status the API answers with. */
export class DownloadFlowError extends Error {
  override name = 'DownloadFlowError';
  constructor(
    readonly status: 404 | 409 | 422,
    message: string,
  ) {
    super(message);
  }
}

export async function queueFirmwareDownload(deps: DownloadFlowDeps, deviceId: string, fileId: string, options: DownloadOptions = {}): Promise<TaskDoc> {
  const device = await requireDevice(deps, deviceId);
  const file = await requireFile(deps, fileId, 'firmware', device.productClass);
  if (!options.force && file.version === device.softwareVersion) {
    throw new DownloadFlowError(409, `device ${deviceId} already reports software version ${file.version}`);
  }
  return queueDownload(deps, deviceId, options, (urlExpires) => ({
    fileType: FILE_TYPE.firmware,
    url: deps.signer.fileUrl(file.id, file.filename, deviceId, urlExpires),
    fileSize: file.size,
    targetFileName: file.filename,
  }), { softwareVersion: file.version });
}

/** The device's configuration profile, rendered from its desired parameters when fetched. */
export async function queueConfigDownload(deps: DownloadFlowDeps, deviceId: string, options: DownloadOptions = {}): Promise<TaskDoc> {
  await requireDevice(deps, deviceId);
  if (!(await deps.desired.get(deviceId))) throw new DownloadFlowError(409, `device ${deviceId} has no desired Cisco parameters to deliver`);
  return queueDownload(deps, deviceId, options, (urlExpires) => ({
    fileType: FILE_TYPE.configuration,
    url: deps.signer.profileUrl(deviceId, urlExpires),
    // Rendered (and possibly encrypted with a fresh salt) at each fetch: no fixed size.
    fileSize: 0,
    targetFileName: 'config.xml',
  }));
}

export async function queueCaDownload(deps: DownloadFlowDeps, deviceId: string, fileId: string, options: DownloadOptions = {}): Promise<TaskDoc> {
  const device = await requireDevice(deps, deviceId);
  const file = await requireFile(deps, fileId, 'ca', device.productClass);
  return queueDownload(deps, deviceId, options, (urlExpires) => ({
    fileType: deps.caFileType,
    url: deps.signer.fileUrl(file.id, file.filename, deviceId, urlExpires),
    fileSize: file.size,
    targetFileName: file.filename,
  }));
}

type DownloadTarget = Pick<Download, 'fileType' | 'url' | 'fileSize' | 'targetFileName'>;

async function queueDownload(
  deps: DownloadFlowDeps,
  deviceId: string,
  options: DownloadOptions,
  target: (urlExpires: Date) => DownloadTarget,
  expect?: TaskDoc['expect'],
): Promise<TaskDoc> {
  const now = options.now ?? new Date();
  const expiresAt = options.expiresAt ?? new Date(now.getTime() + DEFAULT_TASK_LIFETIME_MS);
  if (expiresAt.getTime() <= now.getTime()) throw new DownloadFlowError(422, 'the task would expire before it is queued');
  const rpc: Download = {
    method: 'Download',
    // Empty: the task id becomes the CommandKey, so the TransferComplete names the task.
    commandKey: '',
    username: '',
    password: '',
    delaySeconds: 0,
    successURL: '',
    failureURL: '',
    ...target(new Date(expiresAt.getTime() + deps.urlWindowSeconds * 1000)),
  };
  return deps.tasks.queue(deviceId, rpc, { expiresAt, connectionRequest: options.connectionRequest ?? false, createdBy: options.createdBy ?? 'acs', ...(expect ? { expect } : {}) });
}

async function requireDevice(deps: DownloadFlowDeps, deviceId: string): Promise<{ productClass?: string; softwareVersion?: string }> {
  const doc = await deps.devices.get(deviceId, { deviceId: 1, softwareVersion: 1 });
  if (!doc) throw new DownloadFlowError(404, `unknown device ${deviceId}`);
  return { productClass: doc.deviceId?.productClass, softwareVersion: doc.softwareVersion };
}

async function requireFile(deps: DownloadFlowDeps, fileId: string, kind: FileKind, productClass: string | undefined): Promise<FileInfo> {
  const file = await deps.files.get(fileId);
  if (!file) throw new DownloadFlowError(404, `unknown file ${fileId.slice(0, 40)}`);
  if (file.kind !== kind) throw new DownloadFlowError(422, `file ${file.filename} is a ${file.kind} file, not ${kind === 'ca' ? 'a CA' : `a ${kind}`} file`);
  if (file.productClasses.length && (!productClass || !file.productClasses.includes(productClass))) {
    throw new DownloadFlowError(422, `file ${file.filename} is for ${file.productClasses.join(', ')}, not for ${productClass ?? 'a device of unknown product class'}`);
  }
  return file;
}
