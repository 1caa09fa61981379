import type {
  AllQueuedTransferStruct,
  ArgStruct,
  CwmpMessage,
  CwmpMethod,
  DeviceIdStruct,
  EventStruct,
  Fault,
  ParameterAttributeStruct,
  ParameterInfoStruct,
  ParameterValueStruct,
  ParamValue,
  QueuedTransferStruct,
  SetParameterAttributesStruct,
  SetParameterValuesFault,
  TimeWindowStruct,
  TransferFault,
  XsdType,
} from './types';

/*
 * The one description of every CWMP message that both the decoder and the encoder walk, so the
 * two directions cannot drift apart. A struct spec maps each property of a types.ts interface
 * to its XML element; the mapped type makes the compiler reject a spec that misses a property
 * or gives it the wrong kind. Properties are listed in schema order, which is the order the
 * encoder writes (the decoder accepts any order).
 *
 * `required` elements must be present (else 'invalid-argument'); any other element a device
 * leaves out, or sends empty where a number or boolean is due, decodes to its neutral value:
 * '' for strings, 0 for numbers, false for booleans, [] for lists, a struct of neutral values.
 */

interface FieldBase {
  tag: string;
  required: boolean;
}

/** A text element; numbers and booleans are checked against their XSD type. */
export interface ScalarField<T extends XsdType> extends FieldBase {
  kind: 'scalar';
  type: T;
}
/** A SOAP array of `<string>` items, written with arrayType xsd:string[N]. */
export interface StringArrayField extends FieldBase {
  kind: 'stringArray';
}
/** A SOAP array of structs, written with arrayType cwmp:<itemTag>[N]. */
export interface StructArrayField<T> extends FieldBase {
  kind: 'structArray';
  itemTag: string;
  item: StructSpec<T>;
}
/** Structs repeated directly inside the parent, with no array wrapper (SetParameterValuesFault). */
export interface RepeatedField<T> extends FieldBase {
  kind: 'repeated';
  item: StructSpec<T>;
}
export interface StructField<T> extends FieldBase {
  kind: 'struct';
  spec: StructSpec<T>;
}
/** ParameterValueStruct's Value: its text gives `value`, its xsi:type gives `type`. */
export interface TypedValueField extends FieldBase {
  kind: 'typedValue';
}
/** The `type` property read and written together with its TypedValueField. */
export interface TypeOfValueField {
  kind: 'typeOfValue';
}

type FieldFor<V> = [V] extends [boolean]
  ? ScalarField<'xsd:boolean'>
  : [V] extends [number]
    ? ScalarField<'xsd:int' | 'xsd:unsignedInt'>
    : [V] extends [XsdType]
      ? TypeOfValueField
      : [V] extends [string]
        ? ScalarField<'xsd:string' | 'xsd:dateTime'>
        : [V] extends [ParamValue]
          ? TypedValueField
          : [V] extends [string[]]
            ? StringArrayField
            : [V] extends [Array<infer E>]
              ? StructArrayField<E> | RepeatedField<E>
              : StructField<V>;

export type StructSpec<T> = { readonly [K in Exclude<keyof T, 'method'>]-?: FieldFor<T[K]> };

export type AnyField =
  | ScalarField<XsdType>
  | StringArrayField
  | StructArrayField<unknown>
  | RepeatedField<unknown>
  | StructField<unknown>
  | TypedValueField
  | TypeOfValueField;
export type AnyStructSpec = Readonly<Record<string, AnyField>>;

const REQUIRED = true;

const string = (tag: string, required = false): ScalarField<'xsd:string'> => ({
  kind: 'scalar',
  type: 'xsd:string',
  tag,
  required,
});
const dateTime = (tag: string): ScalarField<'xsd:dateTime'> => ({
  kind: 'scalar',
  type: 'xsd:dateTime',
  tag,
  required: false,
});
const int = (tag: string, required = false): ScalarField<'xsd:int'> => ({
  kind: 'scalar',
  type: 'xsd:int',
  tag,
  required,
});
const unsignedInt = (tag: string, required = false): ScalarField<'xsd:unsignedInt'> => ({
  kind: 'scalar',
  type: 'xsd:unsignedInt',
  tag,
  required,
});
const boolean = (tag: string, required = false): ScalarField<'xsd:boolean'> => ({
  kind: 'scalar',
  type: 'xsd:boolean',
  tag,
  required,
});
const strings = (tag: string, required = false): StringArrayField => ({ kind: 'stringArray', tag, required });
const structs = <T>(tag: string, itemTag: string, item: StructSpec<T>, required = false): StructArrayField<T> => ({
  kind: 'structArray',
  tag,
  itemTag,
  item,
  required,
});
const struct = <T>(tag: string, spec: StructSpec<T>, required = false): StructField<T> => ({
  kind: 'struct',
  tag,
  spec,
  required,
});

const DEVICE_ID: StructSpec<DeviceIdStruct> = {
  manufacturer: string('Manufacturer'),
  oui: string('OUI', REQUIRED),
  productClass: string('ProductClass'),
  serialNumber: string('SerialNumber', REQUIRED),
};

const EVENT: StructSpec<EventStruct> = {
  eventCode: string('EventCode', REQUIRED),
  commandKey: string('CommandKey'),
};

const PARAMETER_VALUE: StructSpec<ParameterValueStruct> = {
  name: string('Name', REQUIRED),
  value: { kind: 'typedValue', tag: 'Value', required: false },
  type: { kind: 'typeOfValue' },
};

const PARAMETER_INFO: StructSpec<ParameterInfoStruct> = {
  name: string('Name', REQUIRED),
  writable: boolean('Writable'),
};

const PARAMETER_ATTRIBUTE: StructSpec<ParameterAttributeStruct> = {
  name: string('Name', REQUIRED),
  notification: int('Notification'),
  accessList: strings('AccessList'),
};

const SET_PARAMETER_ATTRIBUTES: StructSpec<SetParameterAttributesStruct> = {
  name: string('Name', REQUIRED),
  notificationChange: boolean('NotificationChange'),
  notification: int('Notification'),
  accessListChange: boolean('AccessListChange'),
  accessList: strings('AccessList'),
};

const TRANSFER_FAULT: StructSpec<TransferFault> = {
  faultCode: unsignedInt('FaultCode'),
  faultString: string('FaultString'),
};

const QUEUED_TRANSFER: StructSpec<QueuedTransferStruct> = {
  commandKey: string('CommandKey'),
  state: int('State'),
};

const ALL_QUEUED_TRANSFER: StructSpec<AllQueuedTransferStruct> = {
  commandKey: string('CommandKey'),
  state: int('State'),
  isDownload: boolean('IsDownload'),
  fileType: string('FileType'),
  fileSize: unsignedInt('FileSize'),
  targetFileName: string('TargetFileName'),
};

const TIME_WINDOW: StructSpec<TimeWindowStruct> = {
  windowStart: unsignedInt('WindowStart', REQUIRED),
  windowEnd: unsignedInt('WindowEnd', REQUIRED),
  windowMode: string('WindowMode', REQUIRED),
  userMessage: string('UserMessage'),
  maxRetries: int('MaxRetries'),
};

const ARG: StructSpec<ArgStruct> = {
  name: string('Name', REQUIRED),
  value: string('Value'),
};

const SET_PARAMETER_VALUES_FAULT: StructSpec<SetParameterValuesFault> = {
  parameterName: string('ParameterName', REQUIRED),
  faultCode: unsignedInt('FaultCode', REQUIRED),
  faultString: string('FaultString'),
};

/** The content of `detail/cwmp:Fault`; the SOAP Fault around it is handled by the codec. */
export const CWMP_FAULT: StructSpec<Fault['detail']> = {
  faultCode: unsignedInt('FaultCode', REQUIRED),
  faultString: string('FaultString'),
  setParameterValuesFault: {
    kind: 'repeated',
    tag: 'SetParameterValuesFault',
    item: SET_PARAMETER_VALUES_FAULT,
    required: false,
  },
};

const parameterValues = (required = false) =>
  structs('ParameterList', 'ParameterValueStruct', PARAMETER_VALUE, required);
const transferFault = struct('FaultStruct', TRANSFER_FAULT);

type MethodSpecs = {
  readonly [M in Exclude<CwmpMethod, 'Fault'>]: StructSpec<Extract<CwmpMessage, { method: M }>>;
};

/** Arguments of every method, by the local name of its body element. */
export const METHODS: MethodSpecs = {
  // CPE -> ACS requests and their responses
  Inform: {
    deviceId: struct('DeviceId', DEVICE_ID, REQUIRED),
    event: structs('Event', 'EventStruct', EVENT),
    maxEnvelopes: unsignedInt('MaxEnvelopes'),
    currentTime: dateTime('CurrentTime'),
    retryCount: unsignedInt('RetryCount'),
    parameterList: parameterValues(),
  },
  InformResponse: { maxEnvelopes: unsignedInt('MaxEnvelopes') },
  TransferComplete: {
    commandKey: string('CommandKey'),
    faultStruct: transferFault,
    startTime: dateTime('StartTime'),
    completeTime: dateTime('CompleteTime'),
  },
  TransferCompleteResponse: {},
  AutonomousTransferComplete: {
    announceURL: string('AnnounceURL'),
    transferURL: string('TransferURL'),
    isDownload: boolean('IsDownload'),
    fileType: string('FileType'),
    fileSize: unsignedInt('FileSize'),
    targetFileName: string('TargetFileName'),
    faultStruct: transferFault,
    startTime: dateTime('StartTime'),
    completeTime: dateTime('CompleteTime'),
  },
  AutonomousTransferCompleteResponse: {},
  GetRPCMethods: {},
  GetRPCMethodsResponse: { methodList: strings('MethodList') },
  RequestDownload: {
    fileType: string('FileType', REQUIRED),
    fileTypeArg: structs('FileTypeArg', 'ArgStruct', ARG),
  },
  RequestDownloadResponse: {},
  Kicked: {
    command: string('Command'),
    referer: string('Referer'),
    arg: string('Arg'),
    next: string('Next'),
  },
  KickedResponse: { nextURL: string('NextURL') },

  // ACS -> CPE requests and their responses
  GetParameterValues: { parameterNames: strings('ParameterNames', REQUIRED) },
  GetParameterValuesResponse: { parameterList: parameterValues() },
  SetParameterValues: {
    parameterList: parameterValues(REQUIRED),
    parameterKey: string('ParameterKey'),
  },
  SetParameterValuesResponse: { status: int('Status', REQUIRED) },
  GetParameterNames: {
    parameterPath: string('ParameterPath', REQUIRED),
    nextLevel: boolean('NextLevel', REQUIRED),
  },
  GetParameterNamesResponse: { parameterList: structs('ParameterList', 'ParameterInfoStruct', PARAMETER_INFO) },
  SetParameterAttributes: {
    parameterList: structs('ParameterList', 'SetParameterAttributesStruct', SET_PARAMETER_ATTRIBUTES, REQUIRED),
  },
  SetParameterAttributesResponse: {},
  GetParameterAttributes: { parameterNames: strings('ParameterNames', REQUIRED) },
  GetParameterAttributesResponse: {
    parameterList: structs('ParameterList', 'ParameterAttributeStruct', PARAMETER_ATTRIBUTE),
  },
  AddObject: {
    objectName: string('ObjectName', REQUIRED),
    parameterKey: string('ParameterKey'),
  },
  AddObjectResponse: {
    instanceNumber: unsignedInt('InstanceNumber', REQUIRED),
    status: int('Status', REQUIRED),
  },
  DeleteObject: {
    objectName: string('ObjectName', REQUIRED),
    parameterKey: string('ParameterKey'),
  },
  DeleteObjectResponse: { status: int('Status', REQUIRED) },
  Download: {
    commandKey: string('CommandKey'),
    fileType: string('FileType', REQUIRED),
    url: string('URL', REQUIRED),
    username: string('Username'),
    password: string('Password'),
    fileSize: unsignedInt('FileSize'),
    targetFileName: string('TargetFileName'),
    delaySeconds: unsignedInt('DelaySeconds'),
    successURL: string('SuccessURL'),
    failureURL: string('FailureURL'),
  },
  DownloadResponse: {
    status: int('Status', REQUIRED),
    startTime: dateTime('StartTime'),
    completeTime: dateTime('CompleteTime'),
  },
  Upload: {
    commandKey: string('CommandKey'),
    fileType: string('FileType', REQUIRED),
    url: string('URL', REQUIRED),
    username: string('Username'),
    password: string('Password'),
    delaySeconds: unsignedInt('DelaySeconds'),
  },
  UploadResponse: {
    status: int('Status', REQUIRED),
    startTime: dateTime('StartTime'),
    completeTime: dateTime('CompleteTime'),
  },
  Reboot: { commandKey: string('CommandKey') },
  RebootResponse: {},
  FactoryReset: {},
  FactoryResetResponse: {},
  ScheduleInform: {
    delaySeconds: unsignedInt('DelaySeconds', REQUIRED),
    commandKey: string('CommandKey'),
  },
  ScheduleInformResponse: {},
  ScheduleDownload: {
    commandKey: string('CommandKey'),
    fileType: string('FileType', REQUIRED),
    url: string('URL', REQUIRED),
    username: string('Username'),
    password: string('Password'),
    fileSize: unsignedInt('FileSize'),
    targetFileName: string('TargetFileName'),
    timeWindowList: structs('TimeWindowList', 'TimeWindowStruct', TIME_WINDOW, REQUIRED),
  },
  ScheduleDownloadResponse: {},
  CancelTransfer: { commandKey: string('CommandKey') },
  CancelTransferResponse: {},
  GetQueuedTransfers: {},
  GetQueuedTransfersResponse: { transferList: structs('TransferList', 'QueuedTransferStruct', QUEUED_TRANSFER) },
  GetAllQueuedTransfers: {},
  GetAllQueuedTransfersResponse: {
    transferList: structs('TransferList', 'AllQueuedTransferStruct', ALL_QUEUED_TRANSFER),
  },
};

export function methodSpec(name: string): AnyStructSpec | undefined {
  return Object.hasOwn(METHODS, name) ? (METHODS[name as keyof MethodSpecs] as unknown as AnyStructSpec) : undefined;
}
