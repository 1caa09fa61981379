import type { CwmpMessage, EnvelopeHeader } from '../../../../src/cwmp/soap';

/**
 * Expected decodings of the golden files test/fixtures/cwmp/golden/<name>.cwmp-<version>.xml.
 * Each file is written in the encoder's exact output format, so encoding `header` + `body` in
 * that version's namespace must reproduce it byte for byte.
 */
export interface GoldenCase {
  name: string;
  versions: Array<'1-0' | '1-2' | '1-4'>;
  header: EnvelopeHeader;
  body: CwmpMessage;
}

const BOTH: GoldenCase['versions'] = ['1-0', '1-2'];

export const GOLDEN_CASES: GoldenCase[] = [
  // ------------------------------------------------------------ CPE -> ACS requests
  {
    name: 'Inform',
    versions: BOTH,
    header: { id: '1001' },
    body: {
      method: 'Inform',
      deviceId: {
        manufacturer: 'Cisco Systems, Inc.',
        oui: '00562B',
        productClass: 'CP-8851-3PCC',
        serialNumber: 'FCH2214ABCD',
      },
      event: [
        { eventCode: '1 BOOT', commandKey: '' },
        { eventCode: 'M Reboot', commandKey: 'reboot-42' },
      ],
      maxEnvelopes: 1,
      currentTime: '2024-05-01T12:00:00+02:00',
      retryCount: 0,
      parameterList: [
        { name: 'Device.DeviceInfo.SoftwareVersion', value: 'sip88xx.12-0-1MPP-22', type: 'xsd:string' },
        { name: 'Device.DeviceInfo.UpTime', value: 86400, type: 'xsd:unsignedInt' },
        {
          name: 'Device.ManagementServer.ConnectionRequestURL',
          value: 'http://192.0.2.10:7547/cr?a=1&b=2',
          type: 'xsd:string',
        },
        { name: 'Device.ManagementServer.ParameterKey', value: '', type: 'xsd:string' },
        { name: 'Device.ManagementServer.AliasBasedAddressing', value: false, type: 'xsd:boolean' },
        { name: 'Device.Time.CurrentLocalTime', value: '2024-05-01T12:00:00+02:00', type: 'xsd:dateTime' },
      ],
    },
  },
  {
    name: 'TransferComplete',
    versions: BOTH,
    header: { id: 'cpe-17' },
    body: {
      method: 'TransferComplete',
      commandKey: 'dl-fw-12',
      faultStruct: { faultCode: 9010, faultString: 'Download failure: HTTP 404 <not found>' },
      startTime: '2024-05-01T12:00:05Z',
      completeTime: '2024-05-01T12:00:09Z',
    },
  },
  {
    name: 'AutonomousTransferComplete',
    versions: BOTH,
    header: { id: 'cpe-18' },
    body: {
      method: 'AutonomousTransferComplete',
      announceURL: '',
      transferURL: 'https://fs.example.net/fw/sip88xx.12-0-2MPP.loads',
      isDownload: true,
      fileType: '1 Firmware Upgrade Image',
      fileSize: 41234567,
      targetFileName: '',
      faultStruct: { faultCode: 0, faultString: '' },
      startTime: '2024-05-01T12:00:05Z',
      completeTime: '2024-05-01T12:01:30Z',
    },
  },
  { name: 'GetRPCMethods', versions: BOTH, header: { id: 'cpe-19' }, body: { method: 'GetRPCMethods' } },
  {
    name: 'RequestDownload',
    versions: BOTH,
    header: { id: 'cpe-20' },
    body: {
      method: 'RequestDownload',
      fileType: '3 Vendor Configuration File',
      fileTypeArg: [
        { name: 'Version', value: '12.0.1' },
        { name: 'Profile', value: "spa'122" },
      ],
    },
  },
  {
    name: 'Kicked',
    versions: BOTH,
    header: { id: 'cpe-21' },
    body: {
      method: 'Kicked',
      command: 'provision',
      referer: 'https://portal.example.net/start',
      arg: 'user=42&lang=en',
      next: 'https://portal.example.net/done',
    },
  },

  // ------------------------------------------------------------ ACS -> CPE responses
  {
    name: 'InformResponse',
    versions: BOTH,
    header: { id: '1001' },
    body: { method: 'InformResponse', maxEnvelopes: 1 },
  },
  {
    name: 'InformResponse-version',
    versions: ['1-4'],
    header: { id: '1002', holdRequests: false, useCwmpVersion: '1.4' },
    body: { method: 'InformResponse', maxEnvelopes: 1 },
  },
  { name: 'TransferCompleteResponse', versions: BOTH, header: {}, body: { method: 'TransferCompleteResponse' } },
  {
    name: 'AutonomousTransferCompleteResponse',
    versions: BOTH,
    header: { id: 'cpe-18' },
    body: { method: 'AutonomousTransferCompleteResponse' },
  },
  {
    name: 'GetRPCMethodsResponse',
    versions: BOTH,
    header: { id: 'cpe-19' },
    body: { method: 'GetRPCMethodsResponse', methodList: ['Inform', 'GetRPCMethods', 'TransferComplete'] },
  },
  {
    name: 'RequestDownloadResponse',
    versions: BOTH,
    header: { id: 'cpe-20' },
    body: { method: 'RequestDownloadResponse' },
  },
  {
    name: 'KickedResponse',
    versions: BOTH,
    header: { id: 'cpe-21' },
    body: { method: 'KickedResponse', nextURL: 'https://portal.example.net/next?step=2&id=42' },
  },

  // ------------------------------------------------------------ ACS -> CPE requests
  {
    name: 'GetParameterValues',
    versions: BOTH,
    header: { id: 'acs-0001' },
    body: {
      method: 'GetParameterValues',
      parameterNames: ['Device.ManagementServer.', 'Device.DeviceInfo.SoftwareVersion'],
    },
  },
  {
    name: 'SetParameterValues',
    versions: BOTH,
    header: { id: 'acs-0002' },
    body: {
      method: 'SetParameterValues',
      parameterList: [
        { name: 'Device.ManagementServer.PeriodicInformInterval', value: 3600, type: 'xsd:unsignedInt' },
        { name: 'Device.ManagementServer.PeriodicInformEnable', value: true, type: 'xsd:boolean' },
        {
          name: 'Device.Services.VoiceService.1.VoiceProfile.1.Line.1.CallingFeatures.CallerIDName',
          value: 'Ann & "Bob" <HQ>',
          type: 'xsd:string',
        },
        { name: 'Device.X_CISCO_Custom.Offset', value: -5, type: 'xsd:int' },
      ],
      parameterKey: 'spv-7',
    },
  },
  {
    name: 'GetParameterNames',
    versions: BOTH,
    header: { id: 'acs-0003' },
    body: { method: 'GetParameterNames', parameterPath: 'Device.Services.VoiceService.1.', nextLevel: true },
  },
  {
    name: 'SetParameterAttributes',
    versions: BOTH,
    header: { id: 'acs-0004' },
    body: {
      method: 'SetParameterAttributes',
      parameterList: [
        {
          name: 'Device.DeviceInfo.SoftwareVersion',
          notificationChange: true,
          notification: 2,
          accessListChange: true,
          accessList: ['Subscriber'],
        },
        {
          name: 'Device.ManagementServer.ConnectionRequestURL',
          notificationChange: true,
          notification: 1,
          accessListChange: false,
          accessList: [],
        },
      ],
    },
  },
  {
    name: 'GetParameterAttributes',
    versions: BOTH,
    header: { id: 'acs-0005' },
    body: { method: 'GetParameterAttributes', parameterNames: ['Device.ManagementServer.ConnectionRequestURL'] },
  },
  {
    name: 'AddObject',
    versions: BOTH,
    header: { id: 'acs-0006' },
    body: {
      method: 'AddObject',
      objectName: 'Device.Services.VoiceService.1.VoiceProfile.1.Line.',
      parameterKey: 'add-1',
    },
  },
  {
    name: 'DeleteObject',
    versions: BOTH,
    header: { id: 'acs-0007' },
    body: {
      method: 'DeleteObject',
      objectName: 'Device.Services.VoiceService.1.VoiceProfile.1.Line.3.',
      parameterKey: 'del-1',
    },
  },
  {
    name: 'Download',
    versions: BOTH,
    header: { id: 'acs-0008' },
    body: {
      method: 'Download',
      commandKey: 'dl-fw-12',
      fileType: '1 Firmware Upgrade Image',
      url: 'https://fs.example.net/fw/sip88xx.12-0-2MPP.loads?token=a&b',
      username: 'phone',
      password: 's3cr&t<>',
      fileSize: 41234567,
      targetFileName: 'sip88xx.12-0-2MPP.loads',
      delaySeconds: 0,
      successURL: '',
      failureURL: '',
    },
  },
  {
    name: 'Upload',
    versions: BOTH,
    header: { id: 'acs-0009' },
    body: {
      method: 'Upload',
      commandKey: 'ul-log-1',
      fileType: '2 Vendor Log File',
      url: 'https://fs.example.net/reports/FCH2214ABCD.log',
      username: '',
      password: '',
      delaySeconds: 10,
    },
  },
  { name: 'Reboot', versions: BOTH, header: { id: 'acs-0010' }, body: { method: 'Reboot', commandKey: 'reboot-42' } },
  { name: 'FactoryReset', versions: BOTH, header: { id: 'acs-0011' }, body: { method: 'FactoryReset' } },
  {
    name: 'ScheduleInform',
    versions: BOTH,
    header: { id: 'acs-0012' },
    body: { method: 'ScheduleInform', delaySeconds: 300, commandKey: 'si-1' },
  },
  {
    name: 'ScheduleDownload',
    versions: BOTH,
    header: { id: 'acs-0013' },
    body: {
      method: 'ScheduleDownload',
      commandKey: 'sdl-1',
      fileType: '1 Firmware Upgrade Image',
      url: 'https://fs.example.net/fw/sip88xx.12-0-2MPP.loads',
      username: '',
      password: '',
      fileSize: 0,
      targetFileName: '',
      timeWindowList: [
        { windowStart: 0, windowEnd: 3600, windowMode: '1 At Any Time', userMessage: '', maxRetries: -1 },
        {
          windowStart: 7200,
          windowEnd: 10800,
          windowMode: '4 Confirmation Needed',
          userMessage: 'Upgrade now?',
          maxRetries: 3,
        },
      ],
    },
  },
  {
    name: 'CancelTransfer',
    versions: BOTH,
    header: { id: 'acs-0014' },
    body: { method: 'CancelTransfer', commandKey: 'dl-fw-12' },
  },
  { name: 'GetQueuedTransfers', versions: BOTH, header: { id: 'acs-0015' }, body: { method: 'GetQueuedTransfers' } },
  {
    name: 'GetAllQueuedTransfers',
    versions: BOTH,
    header: { id: 'acs-0016' },
    body: { method: 'GetAllQueuedTransfers' },
  },

  // ------------------------------------------------------------ CPE -> ACS responses
  {
    name: 'GetParameterValuesResponse',
    versions: BOTH,
    header: { id: 'acs-0001' },
    body: {
      method: 'GetParameterValuesResponse',
      parameterList: [
        { name: 'Device.ManagementServer.URL', value: 'https://acs.example.net:7547/', type: 'xsd:string' },
        { name: 'Device.ManagementServer.Password', value: '', type: 'xsd:string' },
        { name: 'Device.IP.Interface.1.Stats.BytesSent', value: '18446744073709551615', type: 'xsd:unsignedLong' },
        { name: 'Device.IP.Interface.1.Stats.PacketsSent', value: 123456789012, type: 'xsd:unsignedLong' },
        { name: 'Device.X_CISCO_Custom.Drift', value: '-9007199254740993', type: 'xsd:long' },
        { name: 'Device.X_CISCO_Custom.Blob', value: 'AAEC/w==', type: 'xsd:base64' },
        { name: 'Device.X_CISCO_Custom.Mac', value: '00562B0A0B0C', type: 'xsd:hexBinary' },
        { name: 'Device.X_CISCO_Custom.Load', value: '0.75', type: 'xsd:decimal' },
        { name: 'Device.ManagementServer.PeriodicInformEnable', value: true, type: 'xsd:boolean' },
      ],
    },
  },
  {
    name: 'SetParameterValuesResponse',
    versions: BOTH,
    header: { id: 'acs-0002' },
    body: { method: 'SetParameterValuesResponse', status: 1 },
  },
  {
    name: 'GetParameterNamesResponse',
    versions: BOTH,
    header: { id: 'acs-0003' },
    body: {
      method: 'GetParameterNamesResponse',
      parameterList: [
        { name: 'Device.Services.VoiceService.1.VoiceProfile.', writable: true },
        { name: 'Device.Services.VoiceService.1.Capabilities.MaxLineCount', writable: false },
      ],
    },
  },
  {
    name: 'SetParameterAttributesResponse',
    versions: BOTH,
    header: { id: 'acs-0004' },
    body: { method: 'SetParameterAttributesResponse' },
  },
  {
    name: 'GetParameterAttributesResponse',
    versions: BOTH,
    header: { id: 'acs-0005' },
    body: {
      method: 'GetParameterAttributesResponse',
      parameterList: [
        { name: 'Device.ManagementServer.ConnectionRequestURL', notification: 2, accessList: ['Subscriber'] },
        { name: 'Device.DeviceInfo.UpTime', notification: 0, accessList: [] },
      ],
    },
  },
  {
    name: 'AddObjectResponse',
    versions: BOTH,
    header: { id: 'acs-0006' },
    body: { method: 'AddObjectResponse', instanceNumber: 3, status: 0 },
  },
  {
    name: 'DeleteObjectResponse',
    versions: BOTH,
    header: { id: 'acs-0007' },
    body: { method: 'DeleteObjectResponse', status: 1 },
  },
  {
    name: 'DownloadResponse',
    versions: BOTH,
    header: { id: 'acs-0008' },
    body: {
      method: 'DownloadResponse',
      status: 1,
      startTime: '0001-01-01T00:00:00Z',
      completeTime: '0001-01-01T00:00:00Z',
    },
  },
  {
    name: 'UploadResponse',
    versions: BOTH,
    header: { id: 'acs-0009' },
    body: {
      method: 'UploadResponse',
      status: 0,
      startTime: '2024-05-01T12:00:10Z',
      completeTime: '2024-05-01T12:00:11Z',
    },
  },
  { name: 'RebootResponse', versions: BOTH, header: { id: 'acs-0010' }, body: { method: 'RebootResponse' } },
  {
    name: 'FactoryResetResponse',
    versions: BOTH,
    header: { id: 'acs-0011' },
    body: { method: 'FactoryResetResponse' },
  },
  {
    name: 'ScheduleInformResponse',
    versions: BOTH,
    header: { id: 'acs-0012' },
    body: { method: 'ScheduleInformResponse' },
  },
  {
    name: 'ScheduleDownloadResponse',
    versions: BOTH,
    header: { id: 'acs-0013' },
    body: { method: 'ScheduleDownloadResponse' },
  },
  {
    name: 'CancelTransferResponse',
    versions: BOTH,
    header: { id: 'acs-0014' },
    body: { method: 'CancelTransferResponse' },
  },
  {
    name: 'GetQueuedTransfersResponse',
    versions: BOTH,
    header: { id: 'acs-0015' },
    body: { method: 'GetQueuedTransfersResponse', transferList: [{ commandKey: 'dl-fw-12', state: 2 }] },
  },
  {
    name: 'GetAllQueuedTransfersResponse',
    versions: BOTH,
    header: { id: 'acs-0016' },
    body: {
      method: 'GetAllQueuedTransfersResponse',
      transferList: [
        {
          commandKey: 'dl-fw-12',
          state: 2,
          isDownload: true,
          fileType: '1 Firmware Upgrade Image',
          fileSize: 41234567,
          targetFileName: 'sip88xx.12-0-2MPP.loads',
        },
        {
          commandKey: 'ul-log-1',
          state: 1,
          isDownload: false,
          fileType: '2 Vendor Log File',
          fileSize: 0,
          targetFileName: '',
        },
      ],
    },
  },

  // ------------------------------------------------------------ faults, both ways
  {
    name: 'Fault-acs',
    versions: BOTH,
    header: { id: 'cpe-17' },
    body: {
      method: 'Fault',
      faultcode: 'Server',
      faultstring: 'CWMP fault',
      detail: { faultCode: 8005, faultString: 'Retry request', setParameterValuesFault: [] },
    },
  },
  {
    name: 'Fault-cpe',
    versions: BOTH,
    header: { id: 'acs-0003' },
    body: {
      method: 'Fault',
      faultcode: 'Client',
      faultstring: 'CWMP fault',
      detail: { faultCode: 9005, faultString: 'Invalid parameter name', setParameterValuesFault: [] },
    },
  },
  {
    name: 'Fault-cpe-spv',
    versions: BOTH,
    header: { id: 'acs-0002' },
    body: {
      method: 'Fault',
      faultcode: 'Client',
      faultstring: 'CWMP fault',
      detail: {
        faultCode: 9003,
        faultString: 'Invalid arguments',
        setParameterValuesFault: [
          {
            parameterName: 'Device.ManagementServer.PeriodicInformInterval',
            faultCode: 9007,
            faultString: 'Invalid parameter value',
          },
          {
            parameterName: 'Device.DeviceInfo.SoftwareVersion',
            faultCode: 9008,
            faultString: 'Attempt to set a non-writable parameter',
          },
        ],
      },
    },
  },
];
