import { cpeFault } from '../cwmp/soap';
import type {
  AcsRequest,
  AddObject,
  CpeResponse,
  DeleteObject,
  Download,
  Fault,
  GetParameterAttributes,
  GetParameterNames,
  GetParameterValues,
  Inform,
  ParameterAttributeStruct,
  ParameterInfoStruct,
  ParameterValueStruct,
  ParamValue,
  ScheduleDownload,
  ScheduleInform,
  SetParameterAttributes,
  SetParameterValues,
  SetParameterValuesFault,
  TransferComplete,
  TransferFault,
  Upload,
} from '../cwmp/soap/types';
import type { Tr111Identity } from '../devices/types';
import { checkValue, DataModel, UNKNOWN_TIME, type FactorySettings, type ModelTree, type ParamAttributes } from './datamodel';
import { EVENT, EventQueue } from './events';

/** What a Cisco MPP phone lists in GetRPCMethodsResponse (tr069.md §6.1). */
export const CISCO_RPC_METHODS = [
  'GetRPCMethods',
  'SetParameterValues',
  'GetParameterValues',
  'SetParameterAttributes',
  'GetParameterAttributes',
  'GetParameterNames',
  'AddObject',
  'DeleteObject',
  'Reboot',
  'FactoryReset',
  'Download',
] as const;
/** Added in "full CWMP" mode. */
export const OPTIONAL_RPC_METHODS = ['Upload', 'ScheduleInform', 'ScheduleDownload', 'CancelTransfer', 'GetQueuedTransfers', 'GetAllQueuedTransfers'] as const;

export const FILE_TYPES = {
  FIRMWARE: '1 Firmware Upgrade Image',
  VENDOR_CONFIG: '3 Vendor Configuration File',
  UPLOAD_CONFIG: '1 Vendor Configuration File',
  UPLOAD_LOG: '2 Vendor Log File',
} as const;
/** Vendor file types ("X <OUI> <name>"), e.g. the phones' custom CA file. */
const VENDOR_FILE_TYPE = /^X [0-9A-F]{6} \S/;
const MAX_QUEUED_TRANSFERS = 16;
const MAX_PARAMETER_KEY = 32;

export const PARAM = {
  URL: 'Device.ManagementServer.URL',
  USERNAME: 'Device.ManagementServer.Username',
  PASSWORD: 'Device.ManagementServer.Password',
  PARAMETER_KEY: 'Device.ManagementServer.ParameterKey',
  PERIODIC_ENABLE: 'Device.ManagementServer.PeriodicInformEnable',
  PERIODIC_INTERVAL: 'Device.ManagementServer.PeriodicInformInterval',
  PERIODIC_TIME: 'Device.ManagementServer.PeriodicInformTime',
  CR_URL: 'Device.ManagementServer.ConnectionRequestURL',
  CR_USERNAME: 'Device.ManagementServer.ConnectionRequestUsername',
  CR_PASSWORD: 'Device.ManagementServer.ConnectionRequestPassword',
  RETRY_MIN_WAIT: 'Device.ManagementServer.CWMPRetryMinimumWaitInterval',
  RETRY_MULTIPLIER: 'Device.ManagementServer.CWMPRetryIntervalMultiplier',
  SOFTWARE_VERSION: 'Device.DeviceInfo.SoftwareVersion',
} as const;

/** Device.GatewayInfo parameters and the TR-111 identity field each holds. */
const GATEWAY_INFO: ReadonlyArray<[string, keyof Tr111Identity]> = [
  ['Device.GatewayInfo.ManufacturerOUI', 'oui'],
  ['Device.GatewayInfo.ProductClass', 'productClass'],
  ['Device.GatewayInfo.SerialNumber', 'serialNumber'],
];

export type TransferMethod = 'Download' | 'ScheduleDownload' | 'Upload';

/** A file transfer the ACS asked for, from request to acknowledged TransferComplete. */
export interface Transfer {
  method: TransferMethod;
  commandKey: string;
  fileType: string;
  url: string;
  username: string;
  password: string;
  fileSize: number;
  targetFileName: string;
  /** epoch ms before which the transfer must not start */
  notBefore: number;
  /** 1 not yet started, 2 in progress, 3 completed (TransferComplete not yet acknowledged) */
  state: 1 | 2 | 3;
  result?: TransferComplete;
}

export interface ScheduledInform {
  dueAt: number;
  commandKey: string;
}

/** How a locally changed parameter is reported, from its notification attribute. */
export type Notification = 'none' | 'passive' | 'active';

export interface DeviceConfig {
  tree: ModelTree;
  factory: FactorySettings;
  /** also serve Upload, ScheduleInform, ScheduleDownload, CancelTransfer, Get(All)QueuedTransfers */
  fullCwmp?: boolean;
  /** the TR-111 gateway the DHCP lease names (option 125) */
  gateway?: Tr111Identity;
  /** epoch ms; injectable for tests */
  clock?: () => number;
}

/** What ended with a session, for the caller to act on. */
export interface SessionEffects {
  rebooted: boolean;
  factoryReset: boolean;
}

/**
 * A simulated CPE without I/O: its data model, the events it has to deliver, its transfers,
 * and the answers to every ACS request. The HTTP session (session.ts) and the timers
 * (fleet-device.ts) drive it.
 */
export class Device {
  readonly model: DataModel;
  readonly events = new EventQueue();
  readonly fullCwmp: boolean;
  /** consecutive failed sessions: the next Inform's RetryCount */
  retryCount = 0;
  bootedAt: number;
  /**
   * Vendor settings with no TR-069 parameter (Cisco XML names -> values), as a configuration
   * file or the phone's own channel set them; a factory reset clears them.
   */
  readonly vendorStore = new Map<string, string>();
  private transfers: Transfer[] = [];
  private scheduled: ScheduledInform[] = [];
  private changed = new Map<string, number>();
  private changeSeq = 0;
  private sentChangeSeq = 0;
  private rebootKeys: string[] = [];
  private resetPending = false;
  private readonly clock: () => number;
  private readonly gateway: Tr111Identity | undefined;

  constructor(config: DeviceConfig) {
    this.clock = config.clock ?? Date.now;
    this.fullCwmp = config.fullCwmp ?? false;
    this.gateway = config.gateway;
    this.bootedAt = this.clock();
    this.model = new DataModel(config.tree, config.factory, (kind) =>
      kind === 'upTime' ? Math.floor((this.clock() - this.bootedAt) / 1000) : isoSeconds(this.clock()),
    );
    this.events.add(EVENT.BOOTSTRAP);
    this.events.add(EVENT.BOOT);
    this.learnGateway();
  }

  get rpcMethods(): string[] {
    return this.fullCwmp ? [...CISCO_RPC_METHODS, ...OPTIONAL_RPC_METHODS] : [...CISCO_RPC_METHODS];
  }

  // ------------------------------------------------------------ session life cycle

  /** Anything to tell the ACS (events, value changes, finished transfers)? */
  hasPendingEvents(): boolean {
    return this.events.size > 0 || this.changed.size > 0 || this.transfers.some((t) => t.state === 3);
  }

  /** The Inform opening a session; its events stay pending until informAcknowledged(). */
  buildInform(): Inform {
    const event = this.events.take();
    if (this.changed.size > 0) event.push({ eventCode: EVENT.VALUE_CHANGE, commandKey: '' });
    const done = this.transferCompletes();
    if (done.length > 0) event.push({ eventCode: EVENT.TRANSFER_COMPLETE, commandKey: '' });
    for (const t of this.transfers) if (t.state === 3) event.push({ eventCode: `M ${t.method}`, commandKey: t.commandKey });
    this.sentChangeSeq = this.changeSeq;
    const names = [...new Set([...this.model.forcedInform, ...this.changed.keys()])];
    const m = this.model;
    return {
      method: 'Inform',
      deviceId: {
        manufacturer: String(m.get('Device.DeviceInfo.Manufacturer')),
        oui: String(m.get('Device.DeviceInfo.ManufacturerOUI')),
        productClass: String(m.get('Device.DeviceInfo.ProductClass')),
        serialNumber: String(m.get('Device.DeviceInfo.SerialNumber')),
      },
      event,
      maxEnvelopes: 1,
      currentTime: isoSeconds(this.clock()),
      retryCount: this.retryCount,
      parameterList: names.map((name) => this.valueStruct(name)),
    };
  }

  /** The InformResponse arrived: events and value changes sent in the Inform are delivered. */
  informAcknowledged(): void {
    this.events.ack();
    for (const [name, seq] of this.changed) if (seq <= this.sentChangeSeq) this.changed.delete(name);
  }

  /** TransferCompletes to send, one per finished transfer, oldest first. */
  transferCompletes(): TransferComplete[] {
    return this.transfers.filter((t) => t.state === 3).map((t) => t.result as TransferComplete);
  }

  transferCompleteAcknowledged(tc: TransferComplete): void {
    this.transfers = this.transfers.filter((t) => t.result !== tc);
  }

  /**
   * The session is over. A failed one keeps every undelivered event but 6 CONNECTION
   * REQUEST; then a Reboot or FactoryReset the ACS asked for takes effect.
   */
  endSession(ok: boolean, informAcknowledged: boolean): SessionEffects {
    if (!informAcknowledged) this.events.fail();
    this.retryCount = ok ? 0 : this.retryCount + 1;
    if (this.resetPending) {
      this.factoryReset();
      return { rebooted: true, factoryReset: true };
    }
    if (this.rebootKeys.length > 0) {
      const keys = this.rebootKeys;
      this.rebootKeys = [];
      this.reboot();
      for (const key of keys) this.events.add(EVENT.M_REBOOT, key);
      return { rebooted: true, factoryReset: false };
    }
    return { rebooted: false, factoryReset: false };
  }

  // ------------------------------------------------------------ local changes

  /**
   * A change made on the device itself (keypad, web UI, firmware). Reported in the next
   * Inform with 4 VALUE CHANGE if its notification is passive or active; the caller starts
   * a session for 'active'.
   */
  setLocal(name: string, value: ParamValue): Notification {
    const before = this.model.get(name);
    this.model.set(name, value);
    if (name === PARAM.URL && before !== value) this.events.add(EVENT.BOOTSTRAP);
    const kind = notificationKind(this.model.attributes(name).notification);
    if (kind !== 'none') this.changed.set(name, ++this.changeSeq);
    return kind;
  }

  reboot(): void {
    this.bootedAt = this.clock();
    this.events.add(EVENT.BOOT);
  }

  factoryReset(): void {
    this.model.reset();
    this.vendorStore.clear();
    this.events.clear();
    this.changed.clear();
    this.transfers = [];
    this.scheduled = [];
    this.rebootKeys = [];
    this.resetPending = false;
    this.retryCount = 0;
    this.bootedAt = this.clock();
    this.events.add(EVENT.BOOTSTRAP);
    this.events.add(EVENT.BOOT);
    this.learnGateway();
  }

  /**
   * The lease's gateway fills Device.GatewayInfo whenever the phone starts from factory state
   * (it asks DHCP again); forced active notification reports it as a value change.
   */
  private learnGateway(): void {
    if (!this.gateway) return;
    for (const [name, field] of GATEWAY_INFO) this.setLocal(name, this.gateway[field]);
  }

  // ------------------------------------------------------------ transfers and schedules

  /** Transfers not yet started, for the caller to run at their `notBefore`. */
  queuedTransfers(): Transfer[] {
    return this.transfers.filter((t) => t.state === 1);
  }

  transferStarted(t: Transfer): void {
    t.state = 2;
  }

  /**
   * Records a transfer's outcome. A firmware image that downloaded is installed: the phone
   * reboots, and a new version changes SoftwareVersion (a local change, so 4 VALUE CHANGE).
   */
  transferFinished(t: Transfer, fault: TransferFault, startTime: number, newSoftwareVersion?: string): SessionEffects {
    t.state = 3;
    t.result = {
      method: 'TransferComplete',
      commandKey: t.commandKey,
      faultStruct: fault,
      startTime: isoSeconds(startTime),
      completeTime: isoSeconds(this.clock()),
    };
    if (fault.faultCode !== 0 || t.fileType !== FILE_TYPES.FIRMWARE) return { rebooted: false, factoryReset: false };
    if (newSoftwareVersion !== undefined && newSoftwareVersion !== this.model.get(PARAM.SOFTWARE_VERSION)) {
      this.setLocal(PARAM.SOFTWARE_VERSION, newSoftwareVersion);
    }
    this.reboot();
    return { rebooted: true, factoryReset: false };
  }

  /** ScheduleInform requests not yet fired. */
  scheduledInforms(): readonly ScheduledInform[] {
    return this.scheduled;
  }

  fireScheduledInform(s: ScheduledInform): void {
    this.scheduled = this.scheduled.filter((x) => x !== s);
    this.events.add(EVENT.SCHEDULED);
    this.events.add(EVENT.M_SCHEDULE_INFORM, s.commandKey);
  }

  // ------------------------------------------------------------ ACS requests

  /** The answer to one ACS request: its response, or a CWMP fault. Never throws. */
  handle(req: AcsRequest): CpeResponse | Fault {
    try {
      return this.dispatch(req);
    } catch (err) {
      return cpeFault(9002, `Internal error: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private dispatch(req: AcsRequest): CpeResponse | Fault {
    if (!this.rpcMethods.includes(req.method)) return cpeFault(9000, `Method not supported: ${req.method}`);
    switch (req.method) {
      case 'GetRPCMethods':
        return { method: 'GetRPCMethodsResponse', methodList: this.rpcMethods };
      case 'GetParameterValues':
        return this.getParameterValues(req);
      case 'SetParameterValues':
        return this.setParameterValues(req);
      case 'GetParameterNames':
        return this.getParameterNames(req);
      case 'GetParameterAttributes':
        return this.getParameterAttributes(req);
      case 'SetParameterAttributes':
        return this.setParameterAttributes(req);
      case 'AddObject':
        return this.addObject(req);
      case 'DeleteObject':
        return this.deleteObject(req);
      case 'Reboot':
        this.rebootKeys.push(req.commandKey);
        return { method: 'RebootResponse' };
      case 'FactoryReset':
        this.resetPending = true;
        return { method: 'FactoryResetResponse' };
      case 'Download':
        return this.download(req);
      case 'Upload':
        return this.upload(req);
      case 'ScheduleInform':
        return this.scheduleInform(req);
      case 'ScheduleDownload':
        return this.scheduleDownload(req);
      case 'CancelTransfer': {
        const t = this.transfers.find((x) => x.commandKey === req.commandKey);
        if (!t) return cpeFault(9003, `No transfer with CommandKey ${JSON.stringify(req.commandKey)}`);
        if (t.state !== 1) return cpeFault(9021, 'Cancelation of file transfer not permitted in current transfer state');
        this.transfers = this.transfers.filter((x) => x !== t);
        return { method: 'CancelTransferResponse' };
      }
      case 'GetQueuedTransfers':
        return { method: 'GetQueuedTransfersResponse', transferList: this.transfers.map((t) => ({ commandKey: t.commandKey, state: t.state })) };
      case 'GetAllQueuedTransfers':
        return {
          method: 'GetAllQueuedTransfersResponse',
          transferList: this.transfers.map((t) => ({
            commandKey: t.commandKey,
            state: t.state,
            isDownload: t.method !== 'Upload',
            fileType: t.fileType,
            fileSize: t.fileSize,
            targetFileName: t.targetFileName,
          })),
        };
    }
  }

  private getParameterValues(req: GetParameterValues): CpeResponse | Fault {
    const list: ParameterValueStruct[] = [];
    for (const path of req.parameterNames) {
      const names = this.resolve(path);
      if (!names) return cpeFault(9005, `Invalid parameter name: ${JSON.stringify(path)}`);
      for (const name of names) list.push(this.valueStruct(name));
    }
    return { method: 'GetParameterValuesResponse', parameterList: list };
  }

  private setParameterValues(req: SetParameterValues): CpeResponse | Fault {
    if (req.parameterKey.length > MAX_PARAMETER_KEY) return cpeFault(9003, `ParameterKey longer than ${MAX_PARAMETER_KEY} characters`);
    const faults: SetParameterValuesFault[] = [];
    const seen = new Set<string>();
    for (const p of req.parameterList) {
      if (seen.has(p.name)) return cpeFault(9003, `Parameter ${JSON.stringify(p.name)} appears more than once`);
      seen.add(p.name);
      const spec = this.model.param(p.name);
      const fault = (faultCode: number, faultString: string) => faults.push({ parameterName: p.name, faultCode, faultString });
      if (!spec) fault(9005, 'Invalid parameter name');
      else if (!spec.writable) fault(9008, 'Attempt to set a non-writable parameter');
      else {
        const problem = checkValue(spec, p.type, p.value);
        if (problem) fault(problem.code, `${problem.code === 9006 ? 'Invalid parameter type' : 'Invalid parameter value'}: ${problem.message}`);
      }
    }
    if (faults.length > 0) return cpeFault(9003, 'Invalid arguments', faults);
    for (const p of req.parameterList) {
      if (p.name === PARAM.URL && this.model.get(p.name) !== p.value) this.events.add(EVENT.BOOTSTRAP);
      this.model.set(p.name, p.value);
    }
    this.model.set(PARAM.PARAMETER_KEY, req.parameterKey);
    return { method: 'SetParameterValuesResponse', status: 0 };
  }

  private getParameterNames(req: GetParameterNames): CpeResponse | Fault {
    const path = req.parameterPath === '' ? this.model.root : req.parameterPath;
    const node = this.model.node(path);
    if (!node) return cpeFault(9005, `Invalid parameter name: ${JSON.stringify(req.parameterPath)}`);
    let list: ParameterInfoStruct[];
    if (req.parameterPath === '' && req.nextLevel) list = [{ name: this.model.root, writable: false }];
    else if (node.kind === 'param') {
      if (req.nextLevel) return cpeFault(9003, `NextLevel is true but ${JSON.stringify(path)} is a parameter`);
      list = [{ name: path, writable: node.writable }];
    } else if (req.nextLevel) list = node.children.map((name) => this.infoStruct(name));
    else list = [...this.model.walk(path)].map(([name]) => this.infoStruct(name));
    return { method: 'GetParameterNamesResponse', parameterList: list };
  }

  private getParameterAttributes(req: GetParameterAttributes): CpeResponse | Fault {
    const list: ParameterAttributeStruct[] = [];
    for (const path of req.parameterNames) {
      const names = this.resolve(path);
      if (!names) return cpeFault(9005, `Invalid parameter name: ${JSON.stringify(path)}`);
      for (const name of names) {
        const a = this.model.attributes(name);
        list.push({ name, notification: a.notification, accessList: [...a.accessList] });
      }
    }
    return { method: 'GetParameterAttributesResponse', parameterList: list };
  }

  private setParameterAttributes(req: SetParameterAttributes): CpeResponse | Fault {
    const updates: Array<[string, ParamAttributes]> = [];
    for (const s of req.parameterList) {
      const names = this.resolve(s.name);
      if (!names) return cpeFault(9005, `Invalid parameter name: ${JSON.stringify(s.name)}`);
      if (s.notificationChange && !(Number.isInteger(s.notification) && s.notification >= 0 && s.notification <= 6)) {
        return cpeFault(9003, `Notification must be 0 to 6, got ${s.notification}`);
      }
      if (s.accessListChange && s.accessList.some((entry) => entry !== 'Subscriber')) {
        return cpeFault(9003, 'AccessList may only contain "Subscriber"');
      }
      const explicit = !s.name.endsWith('.') && s.name !== '';
      for (const name of names) {
        const current = this.model.attributes(name);
        let notification = current.notification;
        if (s.notificationChange) {
          const notify = this.model.param(name)?.notify;
          const refused = (notify === 'canDeny' && s.notification !== 0) || (notify === 'forceEnabled' && s.notification !== 2);
          if (refused && explicit) return cpeFault(9009, `Notification request rejected for ${name}`);
          if (!refused) notification = s.notification;
        }
        updates.push([name, { notification, accessList: s.accessListChange ? [...s.accessList] : current.accessList }]);
      }
    }
    for (const [name, attrs] of updates) this.model.setAttributes(name, attrs);
    return { method: 'SetParameterAttributesResponse' };
  }

  private addObject(req: AddObject): CpeResponse | Fault {
    const node = this.model.node(req.objectName);
    if (node?.kind !== 'object' || !node.table || !node.writable) {
      return cpeFault(9005, `Invalid parameter name: ${JSON.stringify(req.objectName)} is not a writable multi-instance object`);
    }
    if (req.parameterKey.length > MAX_PARAMETER_KEY) return cpeFault(9003, `ParameterKey longer than ${MAX_PARAMETER_KEY} characters`);
    if (node.children.length >= node.table.maxInstances) return cpeFault(9004, `At most ${node.table.maxInstances} instances of ${req.objectName}`);
    const instanceNumber = this.model.addInstance(req.objectName);
    this.model.set(PARAM.PARAMETER_KEY, req.parameterKey);
    return { method: 'AddObjectResponse', instanceNumber, status: 0 };
  }

  private deleteObject(req: DeleteObject): CpeResponse | Fault {
    const node = this.model.node(req.objectName);
    const table = /^(.*\.)\d+\.$/.exec(req.objectName);
    const tableNode = table ? this.model.node(table[1]) : undefined;
    if (node?.kind !== 'object' || tableNode?.kind !== 'object' || !tableNode.table || !node.writable) {
      return cpeFault(9005, `Invalid parameter name: ${JSON.stringify(req.objectName)} is not a deletable instance`);
    }
    if (req.parameterKey.length > MAX_PARAMETER_KEY) return cpeFault(9003, `ParameterKey longer than ${MAX_PARAMETER_KEY} characters`);
    for (const name of this.changed.keys()) if (name.startsWith(req.objectName)) this.changed.delete(name);
    this.model.deleteInstance(req.objectName);
    this.model.set(PARAM.PARAMETER_KEY, req.parameterKey);
    return { method: 'DeleteObjectResponse', status: 0 };
  }

  private download(req: Download): CpeResponse | Fault {
    const fault = this.queueTransfer('Download', req, req.delaySeconds, [FILE_TYPES.FIRMWARE, FILE_TYPES.VENDOR_CONFIG]);
    return fault ?? { method: 'DownloadResponse', status: 1, startTime: UNKNOWN_TIME, completeTime: UNKNOWN_TIME };
  }

  private upload(req: Upload): CpeResponse | Fault {
    const fault = this.queueTransfer('Upload', { ...req, fileSize: 0, targetFileName: '' }, req.delaySeconds, [
      FILE_TYPES.UPLOAD_CONFIG,
      FILE_TYPES.UPLOAD_LOG,
    ]);
    return fault ?? { method: 'UploadResponse', status: 1, startTime: UNKNOWN_TIME, completeTime: UNKNOWN_TIME };
  }

  private scheduleDownload(req: ScheduleDownload): CpeResponse | Fault {
    const windows = req.timeWindowList;
    if (windows.length < 1 || windows.length > 2) return cpeFault(9003, 'TimeWindowList must hold one or two windows');
    for (let i = 0; i < windows.length; i++) {
      const w = windows[i];
      if (w.windowEnd <= w.windowStart) return cpeFault(9003, `Time window ${i + 1} ends before it starts`);
      if (i > 0 && w.windowStart < windows[i - 1].windowEnd) return cpeFault(9003, 'Time windows overlap');
    }
    return (
      this.queueTransfer('ScheduleDownload', req, windows[0].windowStart, [FILE_TYPES.FIRMWARE, FILE_TYPES.VENDOR_CONFIG]) ?? {
        method: 'ScheduleDownloadResponse',
      }
    );
  }

  private scheduleInform(req: ScheduleInform): CpeResponse | Fault {
    if (!(req.delaySeconds > 0)) return cpeFault(9003, 'DelaySeconds must be greater than 0');
    this.scheduled.push({ dueAt: this.clock() + req.delaySeconds * 1000, commandKey: req.commandKey });
    return { method: 'ScheduleInformResponse' };
  }

  private queueTransfer(
    method: TransferMethod,
    req: Omit<Transfer, 'method' | 'notBefore' | 'state' | 'result'>,
    delaySeconds: number,
    fileTypes: readonly string[],
  ): Fault | undefined {
    if (!fileTypes.includes(req.fileType) && !VENDOR_FILE_TYPE.test(req.fileType)) {
      return cpeFault(9003, `Unsupported FileType ${JSON.stringify(req.fileType)}`);
    }
    let url: URL;
    try {
      url = new URL(req.url);
    } catch {
      return cpeFault(9003, `Invalid URL ${JSON.stringify(req.url)}`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return cpeFault(9013, `Unsupported protocol for file transfer: ${url.protocol}`);
    if (this.transfers.length >= MAX_QUEUED_TRANSFERS) return cpeFault(9004, `At most ${MAX_QUEUED_TRANSFERS} queued transfers`);
    this.transfers.push({
      method,
      commandKey: req.commandKey,
      fileType: req.fileType,
      url: req.url,
      username: req.username,
      password: req.password,
      fileSize: req.fileSize,
      targetFileName: req.targetFileName,
      notBefore: this.clock() + Math.max(0, delaySeconds) * 1000,
      state: 1,
    });
    return undefined;
  }

  // ------------------------------------------------------------ helpers

  /** Parameter names a GPV/GPA/SPA path stands for; undefined when the path is unknown. */
  private resolve(path: string): string[] | undefined {
    if (path === '' || path.endsWith('.')) {
      if (path !== '' && this.model.node(path)?.kind !== 'object') return undefined;
      return this.model.parameterNames(path);
    }
    return this.model.param(path) ? [path] : undefined;
  }

  private valueStruct(name: string): ParameterValueStruct {
    return { name, value: this.model.read(name), type: this.model.type(name) };
  }

  private infoStruct(name: string): ParameterInfoStruct {
    const node = this.model.node(name);
    return { name, writable: node?.writable ?? false };
  }
}

/** TR-069 notification values: 1, 4, 6 include passive CWMP notification, 2 is active; 3 and 5 are lightweight (UDP) only. */
export function notificationKind(notification: number): Notification {
  if (notification === 2) return 'active';
  if (notification === 1 || notification === 4 || notification === 6) return 'passive';
  return 'none';
}

/** ISO 8601 in UTC without milliseconds, as CPEs usually send it. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
