import type { ProductSpec } from './products';
import { UNKNOWN_TIME, object, ro, rw, table, type ObjectSpec } from './spec';

/**
 * The data model of a simulated Cisco MPP phone.
 *
 * UNVERIFIED (tr069.md §6): Cisco's "TR-069 Parameter Comparison" appendix could not be
 * read, so this tree is a plausible guess, not a transcription. It follows TR-181 (Device:2)
 * for DeviceInfo/ManagementServer/Time/Ethernet/IP and TR-104 v1 (VoiceProfile/Line) under
 * Device.Services.VoiceService.1, with one VoiceProfile per phone extension because MPP
 * configures proxy and registration per extension (Proxy_1_, Proxy_2_, …). Vendor
 * parameters use an `X_CISCO_` prefix whose real spelling is unknown. Replace with a
 * GetParameterNames("", false) dump from a real phone when one is available.
 */

const LINE_ENABLE = ['Disabled', 'Quiescent', 'Enabled'] as const;
const TRANSPORTS = ['UDP', 'TCP', 'TLS', 'SCTP'] as const;
const PORT = { min: 0, max: 65535 } as const;

/** Codecs offered by every MPP model (UNVERIFIED list), in default priority order. */
const CODECS: ReadonlyArray<{ codec: string; bitRate: number }> = [
  { codec: 'G.711MuLaw', bitRate: 64000 },
  { codec: 'G.711ALaw', bitRate: 64000 },
  { codec: 'G.729a', bitRate: 8000 },
  { codec: 'G.722', bitRate: 64000 },
  { codec: 'iLBC', bitRate: 15200 },
  { codec: 'OPUS', bitRate: 32000 },
];

function codecEntry(n: number): ObjectSpec {
  const { codec, bitRate } = CODECS[n - 1] ?? { codec: `X_CISCO_Codec${n}`, bitRate: 0 };
  return object({
    EntryID: ro.uint(n),
    Codec: ro.string(codec),
    BitRate: ro.uint(bitRate),
    PacketizationPeriod: rw.string('20', { check: { maxLength: 64 } }),
    SilenceSuppression: rw.bool(false),
    Enable: rw.bool(true),
    Priority: rw.uint(n, { check: { min: 1 } }),
  });
}

function line(): ObjectSpec {
  return object({
    Enable: rw.string('Enabled', { check: { oneOf: LINE_ENABLE } }),
    DirectoryNumber: rw.string('', { check: { maxLength: 32 } }),
    Status: ro.string('Disabled'),
    CallState: ro.string('Idle'),
    PhyReferenceList: rw.string('', { check: { maxLength: 32 } }),
    SIP: object({
      AuthUserName: rw.string('', { check: { maxLength: 128 } }),
      AuthPassword: rw.password({ check: { maxLength: 128 } }),
      URI: rw.string('', { check: { maxLength: 389 } }),
    }),
    CallingFeatures: object({
      CallerIDEnable: rw.bool(true),
      CallerIDNameEnable: rw.bool(true),
      CallerIDName: rw.string('', { check: { maxLength: 256 } }),
      CallWaitingEnable: rw.bool(true),
      CallForwardUnconditionalEnable: rw.bool(false),
      CallForwardUnconditionalNumber: rw.string('', { check: { maxLength: 32 } }),
      CallForwardOnBusyEnable: rw.bool(false),
      CallForwardOnBusyNumber: rw.string('', { check: { maxLength: 32 } }),
      CallForwardOnNoAnswerEnable: rw.bool(false),
      CallForwardOnNoAnswerNumber: rw.string('', { check: { maxLength: 32 } }),
      CallForwardOnNoAnswerRingCount: rw.uint(4),
      MWIEnable: rw.bool(true),
      MessageWaiting: ro.bool(false),
      AnonymousCallBlockEnable: rw.bool(false),
      DoNotDisturbEnable: rw.bool(false),
    }),
    Codec: object({
      TransmitCodec: ro.string(''),
      ReceiveCodec: ro.string(''),
      ListNumberOfEntries: ro.count('List'),
      List: table({ writable: false, initial: CODECS.length, maxInstances: CODECS.length, instance: codecEntry }),
    }),
  });
}

function voiceProfile(n: number): ObjectSpec {
  return object({
    Enable: rw.string('Enabled', { check: { oneOf: LINE_ENABLE } }),
    Name: ro.string(`Ext ${n}`),
    SignalingProtocol: ro.string('SIP'),
    MaxSessions: ro.uint(2),
    NumberOfLines: ro.count('Line'),
    DTMFMethod: rw.string('RFC2833', { check: { oneOf: ['InBand', 'RFC2833', 'SIPInfo'] } }),
    Region: rw.string('US', { check: { maxLength: 2 } }),
    DigitMapEnable: rw.bool(true),
    DigitMap: rw.string('(*xx|[3469]11|0|00|[2-9]xxxxxx|1xxx[2-9]xxxxxxS0|xxxxxxxxxxxx.)', { check: { maxLength: 2048 } }),
    SIP: object({
      ProxyServer: rw.string('', { check: { maxLength: 256 } }),
      ProxyServerPort: rw.uint(5060, { check: PORT }),
      ProxyServerTransport: rw.string('UDP', { check: { oneOf: TRANSPORTS } }),
      RegistrarServer: rw.string('', { check: { maxLength: 256 } }),
      RegistrarServerPort: rw.uint(5060, { check: PORT }),
      RegistrarServerTransport: rw.string('UDP', { check: { oneOf: TRANSPORTS } }),
      UserAgentDomain: rw.string('', { check: { maxLength: 256 } }),
      UserAgentPort: rw.uint(5059 + n, { check: PORT }),
      UserAgentTransport: rw.string('UDP', { check: { oneOf: TRANSPORTS } }),
      OutboundProxy: rw.string('', { check: { maxLength: 256 } }),
      OutboundProxyPort: rw.uint(5060, { check: PORT }),
      RegistrationPeriod: rw.uint(3600, { check: { min: 1 } }),
      RegisterExpires: rw.uint(3600, { check: { min: 1 } }),
      RegisterRetryInterval: rw.uint(30, { check: { min: 1 } }),
      InboundAuth: rw.string('None', { check: { oneOf: ['None', 'Digest'] } }),
      InboundAuthUsername: rw.string('', { check: { maxLength: 256 } }),
      InboundAuthPassword: rw.password(),
      DSCPMark: rw.uint(26, { check: { min: 0, max: 63 } }),
      X_CISCO_UseOutboundProxy: rw.bool(false),
      X_CISCO_RegisterEnable: rw.bool(true),
    }),
    RTP: object({
      LocalPortMin: rw.uint(16384, { check: PORT }),
      LocalPortMax: rw.uint(16482, { check: PORT }),
      DSCPMark: rw.uint(46, { check: { min: 0, max: 63 } }),
      TelephoneEventPayloadType: rw.uint(101, { check: { min: 96, max: 127 } }),
    }),
    LineNumberOfEntries: ro.count('Line'),
    // Writable so the ACS can add a second appearance of an extension (shared line).
    Line: table({ writable: true, initial: 1, maxInstances: 4, instance: line }),
  });
}

/** The whole tree for one product; built once per product class. */
export function ciscoMppModel(product: ProductSpec): ObjectSpec {
  return object({
    DeviceInfo: object({
      Manufacturer: ro.string('', { factory: 'manufacturer' }),
      ManufacturerOUI: ro.string('', { factory: 'oui' }),
      ModelName: ro.string('', { factory: 'modelName' }),
      Description: ro.string('', { factory: 'description' }),
      ProductClass: ro.string('', { factory: 'productClass' }),
      SerialNumber: ro.string('', { factory: 'serialNumber' }),
      HardwareVersion: ro.string('', { factory: 'hardwareVersion', forcedInform: true }),
      SoftwareVersion: ro.string('', { factory: 'softwareVersion', forcedInform: true, notify: 'forceDefaultEnabled' }),
      ProvisioningCode: rw.string('', {
        factory: 'provisioningCode',
        forcedInform: true,
        notify: 'forceDefaultEnabled',
        check: { maxLength: 64 },
      }),
      UpTime: ro.uint(0, { live: 'upTime', notify: 'canDeny' }),
      FirstUseDate: ro.dateTime(UNKNOWN_TIME),
    }),
    ManagementServer: object({
      URL: rw.string('', { factory: 'acsUrl', check: { maxLength: 256 } }),
      Username: rw.string('', { factory: 'acsUsername', check: { maxLength: 256 } }),
      Password: rw.password({ factory: 'acsPassword' }),
      PeriodicInformEnable: rw.bool(true),
      PeriodicInformInterval: rw.uint(20, { factory: 'periodicInformInterval', check: { min: 1 } }),
      PeriodicInformTime: rw.dateTime(UNKNOWN_TIME),
      ParameterKey: ro.string('', { forcedInform: true, notify: 'canDeny' }),
      ConnectionRequestURL: ro.string('', { factory: 'connectionRequestUrl', forcedInform: true, notify: 'forceDefaultEnabled' }),
      ConnectionRequestUsername: rw.string('', { factory: 'connectionRequestUsername', check: { maxLength: 256 } }),
      ConnectionRequestPassword: rw.password({ factory: 'connectionRequestPassword' }),
      UpgradesManaged: rw.bool(false),
      DefaultActiveNotificationThrottle: rw.uint(0),
      CWMPRetryMinimumWaitInterval: rw.uint(5, { check: { min: 1, max: 65535 } }),
      CWMPRetryIntervalMultiplier: rw.uint(2000, { check: { min: 1000, max: 65535 } }),
      SupportedConnReqMethods: ro.string('HTTP'),
      AliasBasedAddressing: ro.bool(false),
      X_CISCO_BackupACSURL: rw.string('', { check: { maxLength: 256 } }),
      X_CISCO_BackupACSUsername: rw.string('', { check: { maxLength: 256 } }),
      X_CISCO_BackupACSPassword: rw.password(),
      X_CISCO_VoiceObjectInit: rw.bool(true),
      X_CISCO_DHCPOptionInit: rw.bool(true),
    }),
    // TR-111 Part 1: the gateway named in the DHCP lease's option 125. TR-106 gives these forced
    // active notification, so the ACS hears of a new gateway at once.
    GatewayInfo: object({
      ManufacturerOUI: ro.string('', { notify: 'forceEnabled' }),
      ProductClass: ro.string('', { notify: 'forceEnabled' }),
      SerialNumber: ro.string('', { notify: 'forceEnabled' }),
    }),
    Time: object({
      Enable: rw.bool(true),
      Status: ro.string('Synchronized'),
      NTPServer1: rw.string('', { check: { maxLength: 64 } }),
      NTPServer2: rw.string('', { check: { maxLength: 64 } }),
      CurrentLocalTime: ro.dateTime(UNKNOWN_TIME, { live: 'currentTime', notify: 'canDeny' }),
      LocalTimeZone: rw.string('PST8PDT,M3.2.0/2,M11.1.0/2', { check: { maxLength: 256 } }),
    }),
    Ethernet: object({
      InterfaceNumberOfEntries: ro.count('Interface'),
      Interface: table({
        writable: false,
        initial: 1,
        maxInstances: 1,
        instance: () =>
          object({
            Enable: rw.bool(true),
            Status: ro.string('Up'),
            Name: ro.string('eth0'),
            MACAddress: ro.string('', { factory: 'macAddress' }),
            MaxBitRate: rw.int(-1, { check: { min: -1 } }),
          }),
      }),
    }),
    IP: object({
      InterfaceNumberOfEntries: ro.count('Interface'),
      Interface: table({
        writable: false,
        initial: 1,
        maxInstances: 1,
        instance: () =>
          object({
            Enable: rw.bool(true),
            Status: ro.string('Up'),
            Name: ro.string('ip0'),
            IPv4AddressNumberOfEntries: ro.count('IPv4Address'),
            IPv4Address: table({
              writable: false,
              initial: 1,
              maxInstances: 1,
              instance: () =>
                object({
                  Enable: rw.bool(true),
                  IPAddress: ro.string('', { factory: 'ipAddress' }),
                  SubnetMask: ro.string('255.0.0.0'),
                  AddressingType: ro.string('DHCP'),
                }),
            }),
          }),
      }),
    }),
    Services: object({
      VoiceServiceNumberOfEntries: ro.count('VoiceService'),
      VoiceService: table({
        writable: false,
        initial: 1,
        maxInstances: 1,
        instance: () =>
          object({
            VoiceProfileNumberOfEntries: ro.count('VoiceProfile'),
            Capabilities: object({
              MaxProfileCount: ro.uint(product.lines),
              MaxLineCount: ro.uint(product.lines * 4),
              MaxSessionsPerLine: ro.uint(2),
              SignalingProtocols: ro.string('SIP'),
              Codecs: ro.string(CODECS.map((c) => c.codec).join(',')),
            }),
            VoiceProfile: table({ writable: false, initial: product.lines, maxInstances: product.lines, instance: voiceProfile }),
          }),
      }),
    }),
    // Cisco's XML-provisioning settings (Profile_Rule, Upgrade_Rule, Resync_*), as a vendor object.
    X_CISCO_Provisioning: object({
      ProvisionEnable: rw.bool(true),
      ProfileRule: rw.string('/$PSN.xml', { check: { maxLength: 1024 } }),
      ProfileRuleB: rw.string('', { check: { maxLength: 1024 } }),
      ProfileRuleC: rw.string('', { check: { maxLength: 1024 } }),
      ProfileRuleD: rw.string('', { check: { maxLength: 1024 } }),
      UpgradeRule: rw.string('', { check: { maxLength: 1024 } }),
      ResyncOnReset: rw.bool(true),
      ResyncPeriodic: rw.uint(3600),
      ResyncRandomDelay: rw.uint(2),
      ResyncErrorRetryDelay: rw.uint(3600),
    }),
  });
}
