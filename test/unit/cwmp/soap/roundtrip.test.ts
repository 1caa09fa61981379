import fc from 'fast-check';
import {
  CWMP_NAMESPACES,
  decodeEnvelope,
  encodeEnvelope,
  type CwmpMessage,
  type CwmpMethod,
  type EnvelopeHeader,
  type ParameterValueStruct,
  type TransferFault,
} from '../../../../src/cwmp/soap';

// ------------------------------------------------------------------ building blocks

/** Characters XML 1.0 can carry (the encoder replaces the others, see encode.test.ts). */
const XML_CHAR = /^[\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]$/u;
const char = fc.oneof(
  {
    weight: 1,
    arbitrary: fc.constantFrom('<', '>', '&', '"', "'", ' ', '\t', '\n', '\r', ']]>', '&amp;', '\u00e9', '😀'),
  },
  { weight: 4, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }).filter((c) => XML_CHAR.test(c)) },
);
const text = fc.string({ unit: char, maxLength: 24 });
const int = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
const unsignedInt = fc.integer({ min: 0, max: 2 ** 32 - 1 });
const bool = fc.boolean();
const list = <T>(item: fc.Arbitrary<T>) => fc.array(item, { maxLength: 4 });
/** long/unsignedLong: numbers while safe, decimal strings beyond. */
const longValue = (min: bigint, max: bigint) =>
  fc.bigInt({ min, max }).map((n) => (Number.isSafeInteger(Number(n)) ? Number(n) : n.toString()));

const parameterValue: fc.Arbitrary<ParameterValueStruct> = fc.oneof(
  fc.record({
    name: text,
    value: text,
    type: fc.constantFrom('xsd:string', 'xsd:dateTime', 'xsd:base64', 'xsd:hexBinary', 'xsd:decimal'),
  }),
  fc.record({ name: text, value: int, type: fc.constant('xsd:int') }),
  fc.record({ name: text, value: unsignedInt, type: fc.constant('xsd:unsignedInt') }),
  fc.record({ name: text, value: longValue(-(2n ** 63n), 2n ** 63n - 1n), type: fc.constant('xsd:long') }),
  fc.record({ name: text, value: longValue(0n, 2n ** 64n - 1n), type: fc.constant('xsd:unsignedLong') }),
  fc.record({ name: text, value: bool, type: fc.constant('xsd:boolean') }),
);
const transferFault: fc.Arbitrary<TransferFault> = fc.record({ faultCode: unsignedInt, faultString: text });
const queued = { commandKey: text, state: int };
const empty = <M extends CwmpMethod>(method: M) => fc.constant({ method });

// ------------------------------------------------------------------ one arbitrary per message type

type Arbitraries = { [M in CwmpMethod]: fc.Arbitrary<Extract<CwmpMessage, { method: M }>> };

const MESSAGES: Arbitraries = {
  Inform: fc.record({
    method: fc.constant('Inform'),
    deviceId: fc.record({ manufacturer: text, oui: text, productClass: text, serialNumber: text }),
    event: list(fc.record({ eventCode: text, commandKey: text })),
    maxEnvelopes: unsignedInt,
    currentTime: text,
    retryCount: unsignedInt,
    parameterList: list(parameterValue),
  }),
  InformResponse: fc.record({ method: fc.constant('InformResponse'), maxEnvelopes: unsignedInt }),
  TransferComplete: fc.record({
    method: fc.constant('TransferComplete'),
    commandKey: text,
    faultStruct: transferFault,
    startTime: text,
    completeTime: text,
  }),
  TransferCompleteResponse: empty('TransferCompleteResponse'),
  AutonomousTransferComplete: fc.record({
    method: fc.constant('AutonomousTransferComplete'),
    announceURL: text,
    transferURL: text,
    isDownload: bool,
    fileType: text,
    fileSize: unsignedInt,
    targetFileName: text,
    faultStruct: transferFault,
    startTime: text,
    completeTime: text,
  }),
  AutonomousTransferCompleteResponse: empty('AutonomousTransferCompleteResponse'),
  GetRPCMethods: empty('GetRPCMethods'),
  GetRPCMethodsResponse: fc.record({ method: fc.constant('GetRPCMethodsResponse'), methodList: list(text) }),
  RequestDownload: fc.record({
    method: fc.constant('RequestDownload'),
    fileType: text,
    fileTypeArg: list(fc.record({ name: text, value: text })),
  }),
  RequestDownloadResponse: empty('RequestDownloadResponse'),
  Kicked: fc.record({ method: fc.constant('Kicked'), command: text, referer: text, arg: text, next: text }),
  KickedResponse: fc.record({ method: fc.constant('KickedResponse'), nextURL: text }),
  GetParameterValues: fc.record({ method: fc.constant('GetParameterValues'), parameterNames: list(text) }),
  GetParameterValuesResponse: fc.record({
    method: fc.constant('GetParameterValuesResponse'),
    parameterList: list(parameterValue),
  }),
  SetParameterValues: fc.record({
    method: fc.constant('SetParameterValues'),
    parameterList: list(parameterValue),
    parameterKey: text,
  }),
  SetParameterValuesResponse: fc.record({ method: fc.constant('SetParameterValuesResponse'), status: int }),
  GetParameterNames: fc.record({ method: fc.constant('GetParameterNames'), parameterPath: text, nextLevel: bool }),
  GetParameterNamesResponse: fc.record({
    method: fc.constant('GetParameterNamesResponse'),
    parameterList: list(fc.record({ name: text, writable: bool })),
  }),
  SetParameterAttributes: fc.record({
    method: fc.constant('SetParameterAttributes'),
    parameterList: list(
      fc.record({
        name: text,
        notificationChange: bool,
        notification: int,
        accessListChange: bool,
        accessList: list(text),
      }),
    ),
  }),
  SetParameterAttributesResponse: empty('SetParameterAttributesResponse'),
  GetParameterAttributes: fc.record({ method: fc.constant('GetParameterAttributes'), parameterNames: list(text) }),
  GetParameterAttributesResponse: fc.record({
    method: fc.constant('GetParameterAttributesResponse'),
    parameterList: list(fc.record({ name: text, notification: int, accessList: list(text) })),
  }),
  AddObject: fc.record({ method: fc.constant('AddObject'), objectName: text, parameterKey: text }),
  AddObjectResponse: fc.record({ method: fc.constant('AddObjectResponse'), instanceNumber: unsignedInt, status: int }),
  DeleteObject: fc.record({ method: fc.constant('DeleteObject'), objectName: text, parameterKey: text }),
  DeleteObjectResponse: fc.record({ method: fc.constant('DeleteObjectResponse'), status: int }),
  Download: fc.record({
    method: fc.constant('Download'),
    commandKey: text,
    fileType: text,
    url: text,
    username: text,
    password: text,
    fileSize: unsignedInt,
    targetFileName: text,
    delaySeconds: unsignedInt,
    successURL: text,
    failureURL: text,
  }),
  DownloadResponse: fc.record({
    method: fc.constant('DownloadResponse'),
    status: int,
    startTime: text,
    completeTime: text,
  }),
  Upload: fc.record({
    method: fc.constant('Upload'),
    commandKey: text,
    fileType: text,
    url: text,
    username: text,
    password: text,
    delaySeconds: unsignedInt,
  }),
  UploadResponse: fc.record({
    method: fc.constant('UploadResponse'),
    status: int,
    startTime: text,
    completeTime: text,
  }),
  Reboot: fc.record({ method: fc.constant('Reboot'), commandKey: text }),
  RebootResponse: empty('RebootResponse'),
  FactoryReset: empty('FactoryReset'),
  FactoryResetResponse: empty('FactoryResetResponse'),
  ScheduleInform: fc.record({ method: fc.constant('ScheduleInform'), delaySeconds: unsignedInt, commandKey: text }),
  ScheduleInformResponse: empty('ScheduleInformResponse'),
  ScheduleDownload: fc.record({
    method: fc.constant('ScheduleDownload'),
    commandKey: text,
    fileType: text,
    url: text,
    username: text,
    password: text,
    fileSize: unsignedInt,
    targetFileName: text,
    timeWindowList: list(
      fc.record({
        windowStart: unsignedInt,
        windowEnd: unsignedInt,
        windowMode: text,
        userMessage: text,
        maxRetries: int,
      }),
    ),
  }),
  ScheduleDownloadResponse: empty('ScheduleDownloadResponse'),
  CancelTransfer: fc.record({ method: fc.constant('CancelTransfer'), commandKey: text }),
  CancelTransferResponse: empty('CancelTransferResponse'),
  GetQueuedTransfers: empty('GetQueuedTransfers'),
  GetQueuedTransfersResponse: fc.record({
    method: fc.constant('GetQueuedTransfersResponse'),
    transferList: list(fc.record(queued)),
  }),
  GetAllQueuedTransfers: empty('GetAllQueuedTransfers'),
  GetAllQueuedTransfersResponse: fc.record({
    method: fc.constant('GetAllQueuedTransfersResponse'),
    transferList: list(
      fc.record({ ...queued, isDownload: bool, fileType: text, fileSize: unsignedInt, targetFileName: text }),
    ),
  }),
  Fault: fc.record({
    method: fc.constant('Fault'),
    faultcode: fc.constantFrom('Client', 'Server'),
    faultstring: text,
    detail: fc.record({
      faultCode: unsignedInt,
      faultString: text,
      setParameterValuesFault: list(fc.record({ parameterName: text, faultCode: unsignedInt, faultString: text })),
    }),
  }),
};

const version = fc.constantFrom('1.0', '1.1', '1.2', '1.3', '1.4');
const header: fc.Arbitrary<EnvelopeHeader> = fc.record(
  {
    id: text,
    holdRequests: bool,
    noMoreRequests: bool,
    sessionTimeout: unsignedInt,
    supportedCwmpVersions: fc.array(version, { maxLength: 5 }),
    useCwmpVersion: version,
  },
  { requiredKeys: [] },
);
const namespace = fc.constantFrom(...Object.values(CWMP_NAMESPACES));
const booleanLiteral = fc.constantFrom('word' as const, 'digit' as const);

describe.each(Object.keys(MESSAGES) as CwmpMethod[])('%s', (method) => {
  test('survives encode then decode, in every namespace version', () => {
    fc.assert(
      fc.property(namespace, header, MESSAGES[method], booleanLiteral, (ns, head, body, literal) => {
        const envelope = { namespace: ns, header: head, body };
        expect(decodeEnvelope(encodeEnvelope(envelope, { booleanLiteral: literal }))).toEqual(envelope);
      }),
      { numRuns: 60 },
    );
  });
});
