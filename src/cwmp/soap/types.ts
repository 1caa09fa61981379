/**
 * The CWMP message model shared by the codec, the session engine and the device simulator.
 * Argument names are the CWMP schema names in camelCase; every message carries its `method`
 * (the body element's local name) so a message is one discriminated union.
 */

export const CWMP_NAMESPACES = {
  '1.0': 'urn:dslforum-org:cwmp-1-0',
  '1.1': 'urn:dslforum-org:cwmp-1-1',
  '1.2': 'urn:dslforum-org:cwmp-1-2',
  '1.3': 'urn:dslforum-org:cwmp-1-3',
  '1.4': 'urn:dslforum-org:cwmp-1-4',
} as const;

/** The namespace a message used; the ACS answers in the same one. */
export type CwmpNamespace = (typeof CWMP_NAMESPACES)[keyof typeof CWMP_NAMESPACES];

export const XSD_TYPES = [
  'xsd:string',
  'xsd:int',
  'xsd:unsignedInt',
  'xsd:long',
  'xsd:unsignedLong',
  'xsd:boolean',
  'xsd:dateTime',
  'xsd:base64',
  'xsd:hexBinary',
  'xsd:decimal',
] as const;
export type XsdType = (typeof XSD_TYPES)[number];

/**
 * A decoded parameter value. Integers are numbers (long/unsignedLong beyond 2^53 stay
 * decimal strings), booleans are booleans, dateTime/base64/hexBinary/decimal are strings
 * exactly as sent.
 */
export type ParamValue = string | number | boolean;

export interface ParameterValueStruct {
  name: string;
  value: ParamValue;
  type: XsdType;
}

export interface ParameterInfoStruct {
  name: string;
  writable: boolean;
}

export interface ParameterAttributeStruct {
  name: string;
  notification: number;
  accessList: string[];
}

export interface SetParameterAttributesStruct {
  name: string;
  notificationChange: boolean;
  notification: number;
  accessListChange: boolean;
  accessList: string[];
}

export interface DeviceIdStruct {
  manufacturer: string;
  oui: string;
  productClass: string;
  serialNumber: string;
}

export interface EventStruct {
  eventCode: string;
  commandKey: string;
}

/** FaultStruct inside TransferComplete and friends; code 0 means success. */
export interface TransferFault {
  faultCode: number;
  faultString: string;
}

export interface QueuedTransferStruct {
  commandKey: string;
  state: number;
}

export interface AllQueuedTransferStruct extends QueuedTransferStruct {
  isDownload: boolean;
  fileType: string;
  fileSize: number;
  targetFileName: string;
}

export interface TimeWindowStruct {
  windowStart: number;
  windowEnd: number;
  windowMode: string;
  userMessage: string;
  maxRetries: number;
}

export interface ArgStruct {
  name: string;
  value: string;
}

// ---------------------------------------------------------------- CPE -> ACS requests

export interface Inform {
  method: 'Inform';
  deviceId: DeviceIdStruct;
  event: EventStruct[];
  maxEnvelopes: number;
  currentTime: string;
  retryCount: number;
  parameterList: ParameterValueStruct[];
}

export interface TransferComplete {
  method: 'TransferComplete';
  commandKey: string;
  faultStruct: TransferFault;
  startTime: string;
  completeTime: string;
}

export interface AutonomousTransferComplete {
  method: 'AutonomousTransferComplete';
  announceURL: string;
  transferURL: string;
  isDownload: boolean;
  fileType: string;
  fileSize: number;
  targetFileName: string;
  faultStruct: TransferFault;
  startTime: string;
  completeTime: string;
}

/** GetRPCMethods travels both ways; the same shape serves as request in either direction. */
export interface GetRPCMethods {
  method: 'GetRPCMethods';
}

export interface RequestDownload {
  method: 'RequestDownload';
  fileType: string;
  fileTypeArg: ArgStruct[];
}

export interface Kicked {
  method: 'Kicked';
  command: string;
  referer: string;
  arg: string;
  next: string;
}

export type CpeRequest =
  | Inform
  | TransferComplete
  | AutonomousTransferComplete
  | GetRPCMethods
  | RequestDownload
  | Kicked;

// ---------------------------------------------------------------- ACS -> CPE responses

export interface InformResponse {
  method: 'InformResponse';
  maxEnvelopes: number;
}
export interface TransferCompleteResponse {
  method: 'TransferCompleteResponse';
}
export interface AutonomousTransferCompleteResponse {
  method: 'AutonomousTransferCompleteResponse';
}
/** GetRPCMethodsResponse also travels both ways. */
export interface GetRPCMethodsResponse {
  method: 'GetRPCMethodsResponse';
  methodList: string[];
}
export interface RequestDownloadResponse {
  method: 'RequestDownloadResponse';
}
export interface KickedResponse {
  method: 'KickedResponse';
  nextURL: string;
}

export type AcsResponse =
  | InformResponse
  | TransferCompleteResponse
  | AutonomousTransferCompleteResponse
  | GetRPCMethodsResponse
  | RequestDownloadResponse
  | KickedResponse;

// ---------------------------------------------------------------- ACS -> CPE requests

export interface GetParameterValues {
  method: 'GetParameterValues';
  parameterNames: string[];
}
export interface SetParameterValues {
  method: 'SetParameterValues';
  parameterList: ParameterValueStruct[];
  parameterKey: string;
}
export interface GetParameterNames {
  method: 'GetParameterNames';
  parameterPath: string;
  nextLevel: boolean;
}
export interface SetParameterAttributes {
  method: 'SetParameterAttributes';
  parameterList: SetParameterAttributesStruct[];
}
export interface GetParameterAttributes {
  method: 'GetParameterAttributes';
  parameterNames: string[];
}
export interface AddObject {
  method: 'AddObject';
  objectName: string;
  parameterKey: string;
}
export interface DeleteObject {
  method: 'DeleteObject';
  objectName: string;
  parameterKey: string;
}
export interface Download {
  method: 'Download';
  commandKey: string;
  fileType: string;
  url: string;
  username: string;
  password: string;
  fileSize: number;
  targetFileName: string;
  delaySeconds: number;
  successURL: string;
  failureURL: string;
}
export interface Upload {
  method: 'Upload';
  commandKey: string;
  fileType: string;
  url: string;
  username: string;
  password: string;
  delaySeconds: number;
}
export interface Reboot {
  method: 'Reboot';
  commandKey: string;
}
export interface FactoryReset {
  method: 'FactoryReset';
}
export interface ScheduleInform {
  method: 'ScheduleInform';
  delaySeconds: number;
  commandKey: string;
}
export interface ScheduleDownload {
  method: 'ScheduleDownload';
  commandKey: string;
  fileType: string;
  url: string;
  username: string;
  password: string;
  fileSize: number;
  targetFileName: string;
  timeWindowList: TimeWindowStruct[];
}
export interface CancelTransfer {
  method: 'CancelTransfer';
  commandKey: string;
}
export interface GetQueuedTransfers {
  method: 'GetQueuedTransfers';
}
export interface GetAllQueuedTransfers {
  method: 'GetAllQueuedTransfers';
}

export type AcsRequest =
  | GetRPCMethods
  | GetParameterValues
  | SetParameterValues
  | GetParameterNames
  | SetParameterAttributes
  | GetParameterAttributes
  | AddObject
  | DeleteObject
  | Download
  | Upload
  | Reboot
  | FactoryReset
  | ScheduleInform
  | ScheduleDownload
  | CancelTransfer
  | GetQueuedTransfers
  | GetAllQueuedTransfers;

export type AcsMethod = AcsRequest['method'];

// ---------------------------------------------------------------- CPE -> ACS responses

export interface GetParameterValuesResponse {
  method: 'GetParameterValuesResponse';
  parameterList: ParameterValueStruct[];
}
export interface SetParameterValuesResponse {
  method: 'SetParameterValuesResponse';
  status: number;
}
export interface GetParameterNamesResponse {
  method: 'GetParameterNamesResponse';
  parameterList: ParameterInfoStruct[];
}
export interface SetParameterAttributesResponse {
  method: 'SetParameterAttributesResponse';
}
export interface GetParameterAttributesResponse {
  method: 'GetParameterAttributesResponse';
  parameterList: ParameterAttributeStruct[];
}
export interface AddObjectResponse {
  method: 'AddObjectResponse';
  instanceNumber: number;
  status: number;
}
export interface DeleteObjectResponse {
  method: 'DeleteObjectResponse';
  status: number;
}
export interface DownloadResponse {
  method: 'DownloadResponse';
  status: number;
  startTime: string;
  completeTime: string;
}
export interface UploadResponse {
  method: 'UploadResponse';
  status: number;
  startTime: string;
  completeTime: string;
}
export interface RebootResponse {
  method: 'RebootResponse';
}
export interface FactoryResetResponse {
  method: 'FactoryResetResponse';
}
export interface ScheduleInformResponse {
  method: 'ScheduleInformResponse';
}
export interface ScheduleDownloadResponse {
  method: 'ScheduleDownloadResponse';
}
export interface CancelTransferResponse {
  method: 'CancelTransferResponse';
}
export interface GetQueuedTransfersResponse {
  method: 'GetQueuedTransfersResponse';
  transferList: QueuedTransferStruct[];
}
export interface GetAllQueuedTransfersResponse {
  method: 'GetAllQueuedTransfersResponse';
  transferList: AllQueuedTransferStruct[];
}

export type CpeResponse =
  | GetRPCMethodsResponse
  | GetParameterValuesResponse
  | SetParameterValuesResponse
  | GetParameterNamesResponse
  | SetParameterAttributesResponse
  | GetParameterAttributesResponse
  | AddObjectResponse
  | DeleteObjectResponse
  | DownloadResponse
  | UploadResponse
  | RebootResponse
  | FactoryResetResponse
  | ScheduleInformResponse
  | ScheduleDownloadResponse
  | CancelTransferResponse
  | GetQueuedTransfersResponse
  | GetAllQueuedTransfersResponse;

/** The response method that answers each ACS request. */
export type ResponseFor<M extends AcsMethod> = Extract<CpeResponse, { method: `${M}Response` }>;

// ---------------------------------------------------------------- faults

export interface SetParameterValuesFault {
  parameterName: string;
  faultCode: number;
  faultString: string;
}

/**
 * A SOAP Fault carrying a CWMP fault (`detail/cwmp:Fault`). `faultcode` is `Client` or
 * `Server` (any prefix stripped on decode); `faultString` is "CWMP fault" on encode.
 */
export interface Fault {
  method: 'Fault';
  faultcode: 'Client' | 'Server';
  faultstring: string;
  detail: {
    faultCode: number;
    faultString: string;
    setParameterValuesFault: SetParameterValuesFault[];
  };
}

export type CwmpMessage = CpeRequest | AcsResponse | AcsRequest | CpeResponse | Fault;
export type CwmpMethod = CwmpMessage['method'];

// ---------------------------------------------------------------- envelope

export interface EnvelopeHeader {
  /** cwmp:ID; undefined when absent, '' when sent empty (both happen in the field). */
  id?: string;
  holdRequests?: boolean;
  /** Deprecated since Amendment 1; still sent by old CPEs. Accepted and reported. */
  noMoreRequests?: boolean;
  /** cwmp-1-3 SessionTimeout, seconds. */
  sessionTimeout?: number;
  /** cwmp-1-4 SupportedCWMPVersions, already split and trimmed. */
  supportedCwmpVersions?: string[];
  /** cwmp-1-4 UseCWMPVersion. */
  useCwmpVersion?: string;
}

export interface Envelope<M extends CwmpMessage = CwmpMessage> {
  namespace: CwmpNamespace;
  header: EnvelopeHeader;
  body: M;
}
