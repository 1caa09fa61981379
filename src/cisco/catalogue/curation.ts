/**
 * Hand-curated knowledge the extractor applies to the sample profile: name and value repairs
 * the evidence cannot make, data types (guide-stated where the guides state them, otherwise
 * inferred from the name and sample value), the candidate TR-069 mapping of tr069.md §6.4, and
 * the few parameters the guides name outside the sample. Every entry says why.
 */
import type { ParamType, Tr069Mapping } from './types';

/** Printed (whitespace-squashed) name -> canonical name. */
export const NAME_FIXES: Record<string, string> = {
  // HTML debris from the PDF conversion: `<a href="Attn Transfer Serv ua="na">`.
  'a_href="Attn_Transfer_Serv': 'Attn_Transfer_Serv',
  // OCR: q for g, between Ring3 and Ring5.
  Rinq4: 'Ring4',
  // Parentheses lost: Web-UI "Resync At (HHmm)" (000 L521-527 prints Resync_At__HHmm_).
  Resync_At_HHmm: 'Resync_At__HHmm_',
  // Parentheses and slash lost: "Set Local Time (HH/mm)", like Set_Local_Date__mm_dd_yyyy_.
  Set_Local_Time_HH_mm: 'Set_Local_Time__HH_mm_',
  // "Time Offset (HH/mm)"; the closing tag kept only the trailing space.
  Time_Offset_HH_mm: 'Time_Offset__HH_mm_',
};

/** Sample values the PDF conversion damaged (the `@` of FreqScript read as `0`). */
export const VALUE_FIXES: Record<string, { printed: string; value: string }> = {
  Off_Hook_Warning_Tone: { printed: '4800-10,62000;10(.125/.125/1+2)', value: '480@-10,620@0;10(.125/.125/1+2)' },
  MWI_Dial_Tone: {
    printed: '3500-19,4400-19;2(.1/.1/1+2);10(*/0/1+2)',
    value: '350@-19,440@-19;2(.1/.1/1+2);10(*/0/1+2)',
  },
};

/** Option lists the conversion damaged, by name or `{n}` template. */
export const OPTION_FIXES: Record<string, { options: string[]; why: string }> = {
  Server_Type: {
    options: ['Broadsoft', 'SPA9000', 'Asterisk', 'RFC3265_4235', 'Sylantro'],
    why: 'option printed as "RFC3265 4235" (digest §7.8)',
  },
  Preferred_Password_Input_Mode: {
    options: ['Alphanumeric', 'Numeric', 'Alpha-numeric'],
    why: 'the sample value "Alpha-numeric" is not among the printed options; both spellings kept',
  },
};

/** Web-UI labels that the plain underscore-to-space reversal cannot recover. */
export const WEB_NAMES: Record<string, string> = {
  Resync_At__HHmm_: 'Resync At (HHmm)',
  'Set_Local_Date__mm_dd_yyyy_': 'Set Local Date (mm/dd/yyyy)',
  Set_Local_Time__HH_mm_: 'Set Local Time (HH/mm)',
  Time_Offset__HH_mm_: 'Time Offset (HH/mm)',
  Session_Timer_m_: 'Session Timer(m)',
  Countdown_Timer_s_: 'Countdown Timer(s)',
  'SIP_TOS_DiffServ_Value_{n}_': 'SIP TOS/DiffServ Value',
  'RTP_TOS_DiffServ_Value_{n}_': 'RTP TOS/DiffServ Value',
};

/** Passwords, keys and other secrets: never logged, never in reports (003 L1444). */
export const SECRET = /(^|_)(Password|Passphrase)(_|$)|^WEP_Key_|^GPP_S[A-D]$|^IKM_HTTP_Encrypt_Content$/;

export interface TypeRule {
  match: RegExp;
  type: ParamType;
  /** Guide-stated type/range (with the reference), or undefined when inferred. */
  guide?: string;
  /** Only when the sample value is of this shape; without a sample only if `sampleOptional`. */
  when?: RegExp;
  sampleOptional?: true;
}

const str = (max: number, format?: string, min?: number): ParamType =>
  ({ kind: 'str', max, ...(min === undefined ? {} : { min }), ...(format ? { format } : {}) }) as ParamType;

/**
 * Ordered rules; the first match wins. Names are matched in their `{n}` template form for
 * indexed parameters. Options printed in the sample make an enum before these rules apply.
 */
export const TYPE_RULES: TypeRule[] = [
  { match: /^Resync_Random_Delay$/, type: { kind: 'uns', bits: 16 }, guide: '000 L504-519; 001 L2510' },
  { match: /^Resync_At__HHmm_$/, type: { kind: 'hhmm' }, guide: '000 L521-532; 001 L2513' },
  { match: /^Resync_At_Random_Delay$/, type: { kind: 'uns', bits: 16 }, guide: '001 L2516-2521' },
  {
    match: /^(Resync_Periodic|Resync_Error_Retry_Delay|Upgrade_Error_Retry_Delay)$/,
    type: { kind: 'schedule' },
    guide: '001 L1205-1241, L2531-2542',
  },
  { match: /^Forced_Resync_Delay$/, type: { kind: 'uns', bits: 16 }, guide: '000 L605-620' },
  {
    match: /^Periodic_Upload_To_Server$/,
    type: { kind: 'uns', bits: 32, min: 600, max: 259200 },
    guide: '004 L276-290',
  },
  {
    match: /^Upload_Delay_On_Local_Change$/,
    type: { kind: 'uns', bits: 32, min: 10, max: 900 },
    guide: '004 L292-306',
  },
  { match: /^User_Password$/, type: str(127, undefined, 4), guide: '001 L567-597' },
  { match: /^Profile_Rule(_[BCD])?$/, type: { kind: 'rule', syntax: 'profile' }, guide: '001 L1243-1314' },
  { match: /^Upgrade_Rule$/, type: { kind: 'rule', syntax: 'upgrade' }, guide: '001 L1316-1352' },
  { match: /^Report_Rule$/, type: { kind: 'rule', syntax: 'report' }, guide: '004 L30-160' },
  { match: /^Resync_Trigger_\d$/, type: { kind: 'rule', syntax: 'trigger' }, guide: '001 L923-976' },
  { match: /^(Peer_Firmware_Sharing_Log_Server|Debug_Server)$/, type: { kind: 'host', max: 63 }, guide: '001 L2599-2602' },
  { match: /^MIC_Cert_Refresh_Rule$/, type: str(1024), guide: '000 L1352-1430' },
  { match: /_TOS_DiffServ_Value_\{n\}_$/, type: { kind: 'uns', bits: 8 } },
  { match: /^SIP_Port_\{n\}_$/, type: { kind: 'port', min: 1 } },
  { match: /(^|_)Port(_Min|_Max)?(_\{n\}_)?$/, type: { kind: 'port' }, when: /^\d*$/, sampleOptional: true },
  { match: /^(Static_IP|NetMask|Gateway|Primary_DNS|Secondary_DNS|EXT_IP)$/, type: { kind: 'ip', version: 4 } },
  { match: /^IPv6_(Static_IP|Gateway|Primary_DNS|Secondary_DNS)$/, type: { kind: 'ip', version: 6 } },
  { match: /^Prefix_Length$/, type: { kind: 'uns', bits: 8, max: 128 } },
  { match: /^(VLAN_ID|PC_Port_VLAN_ID)$/, type: { kind: 'uns', bits: 16, max: 4095 } },
  { match: /_Dynamic_Payload$/, type: { kind: 'uns', bits: 8, max: 127 } },
  { match: /_Volume$|LCD_Contrast$/, type: { kind: 'uns', bits: 8 } },
  {
    match: /^((Primary|Secondary)_NTP_Server|Syslog_Server|STUN_Server|(Alternate_)?(Outbound_)?Proxy_\{n\}_)$/,
    type: { kind: 'host', max: 63 },
  },
  { match: /^SIP_(T[124]|Timer_[A-Z])$/, type: { kind: 'float', label: 'Time', decimals: 3 } },
  { match: /^RTP_Packet_Size$/, type: { kind: 'float', label: 'Float', decimals: 3 } },
  { match: /_Code$/, type: str(7, 'StarCode'), when: /^(\*[0-9*#]*)?$/, sampleOptional: true },
  { match: /(_Tone|^System_Beep)$/, type: str(127, 'ToneScript') },
  { match: /^Cadence_\d+$/, type: str(127, 'CadScript') },
  { match: /^Ring\d+$/, type: str(127) },
  { match: /^Dial_Plan_\{n\}_$/, type: str(2047, 'DialPlanScript') },
  { match: /_RSC$/, type: str(39, 'RscTmplt') },
  { match: /^(Cfwd_(All|Busy|No_Ans)_Dest|Speed_Dial_\d_Number|Voice_Mail_Number|Service_Annc_Base_Number)$/, type: str(39, 'Phone') },
  { match: /(^|_)(User_ID|Auth_ID)(_\{n\}_)?$/, type: str(63, 'UserID') },
  { match: /^Display_Name_\{n\}_$/, type: str(127) },
  { match: SECRET, type: str(127) },
  { match: /./, type: { kind: 'bool' }, when: /^(Yes|No|yes|no)$/ },
  { match: /./, type: { kind: 'uns', bits: 32 }, when: /^\d+$/ },
];

/** Strings with no stated length: the ACS accepts what a phone could plausibly hold. */
export const DEFAULT_TYPE: ParamType = str(2047);

const VOICE_PROFILE = 'Device.Services.VoiceService.1.VoiceProfile.{n}';
const LINE = `${VOICE_PROFILE}.Line.1`;

/**
 * Candidate TR-069 paths (tr069.md §6.4, UNVERIFIED). Extension n of the phone is
 * VoiceProfile n with a single Line 1: each extension has its own proxy, SIP port and
 * transport, which TR-104 v1 holds per VoiceProfile.
 */
export const TR069_MAPPINGS: Record<string, Omit<Tr069Mapping, 'confirmed'>> = {
  'Enable_TR-069': { path: 'Device.ManagementServer.EnableCWMP', codec: 'boolean' },
  ACS_URL: { path: 'Device.ManagementServer.URL', codec: 'string' },
  ACS_Username: { path: 'Device.ManagementServer.Username', codec: 'string' },
  ACS_Password: { path: 'Device.ManagementServer.Password', codec: 'string' },
  Periodic_Inform_Enable: { path: 'Device.ManagementServer.PeriodicInformEnable', codec: 'boolean' },
  Periodic_Inform_Interval: { path: 'Device.ManagementServer.PeriodicInformInterval', codec: 'unsignedInt' },
  Connection_Request_Username: { path: 'Device.ManagementServer.ConnectionRequestUsername', codec: 'string' },
  Connection_Request_Password: { path: 'Device.ManagementServer.ConnectionRequestPassword', codec: 'string' },
  Primary_NTP_Server: { path: 'Device.Time.NTPServer1', codec: 'string' },
  Secondary_NTP_Server: { path: 'Device.Time.NTPServer2', codec: 'string' },
  'Line_Enable_{n}_': { path: `${LINE}.Enable`, codec: 'enabled' },
  'Auth_ID_{n}_': { path: `${LINE}.SIP.AuthUserName`, codec: 'string' },
  'Password_{n}_': { path: `${LINE}.SIP.AuthPassword`, codec: 'string' },
  'User_ID_{n}_': { path: `${LINE}.SIP.URI`, codec: 'string' },
  'Display_Name_{n}_': { path: `${LINE}.CallingFeatures.CallerIDName`, codec: 'string' },
  'Proxy_{n}_': { path: `${VOICE_PROFILE}.SIP.ProxyServer`, portPath: `${VOICE_PROFILE}.SIP.ProxyServerPort`, codec: 'hostPort' },
  'Outbound_Proxy_{n}_': {
    path: `${VOICE_PROFILE}.SIP.OutboundProxy`,
    portPath: `${VOICE_PROFILE}.SIP.OutboundProxyPort`,
    codec: 'hostPort',
  },
  'Register_Expires_{n}_': { path: `${VOICE_PROFILE}.SIP.RegisterExpires`, codec: 'unsignedInt' },
  'SIP_Port_{n}_': { path: `${VOICE_PROFILE}.SIP.UserAgentPort`, codec: 'unsignedInt' },
  // Cisco's AUTO has no TR-104 counterpart: such a value goes through the configuration file.
  'SIP_Transport_{n}_': {
    path: `${VOICE_PROFILE}.SIP.ProxyServerTransport`,
    codec: 'enum',
    values: { UDP: 'UDP', TCP: 'TCP', TLS: 'TLS' },
  },
};

export interface Supplement {
  name: string;
  webName: string;
  section: string;
  source: string;
  why: string;
}

/** Parameters the guides name and the ACS needs, though the sample profile lacks them. */
export const SUPPLEMENTS: Supplement[] = [
  ...['SA', 'SB', 'SC', 'SD'].map((l) => ({
    name: `GPP_${l}`,
    webName: `GPP ${l}`,
    section: 'General Purpose Parameters',
    source: '003 L2350; 001 L921',
    why: 'special-purpose GPPs for --key/--uid/--pwd secrets',
  })),
  {
    name: 'IKM_HTTP_Encrypt_Content',
    webName: 'IKM HTTP Encrypt Content',
    section: 'Configuration Profile',
    source: '001 L1023',
    why: 'input keying material for RFC 8188 profile encryption',
  },
  {
    name: 'Downgrade_Rev_Limit',
    webName: 'Downgrade Rev Limit',
    section: 'Firmware Upgrade',
    source: '001 L1352',
    why: 'lowest firmware the phone accepts',
  },
  {
    name: 'MIC_Cert_Refresh_Enable',
    webName: 'MIC Cert Refresh Enable',
    section: 'CA Settings',
    source: '000 L1352-1430',
    why: 'MIC certificate renewal (FN72593)',
  },
  {
    name: 'MIC_Cert_Refresh_Rule',
    webName: 'MIC Cert Refresh Rule',
    section: 'CA Settings',
    source: '000 L1352-1430',
    why: 'MIC certificate renewal URL',
  },
  {
    name: 'Cisco_Headset_Upgrade_Rule',
    webName: 'Cisco Headset Upgrade Rule',
    section: 'Firmware Upgrade',
    source: '000 L1432-1479',
    why: 'headset firmware rule',
  },
  {
    name: 'Debug_Server',
    webName: 'Debug Server',
    section: 'Optional Network Configuration',
    source: '000 L80-84',
    why: 'debug syslog target',
  },
  {
    name: 'Queue_Status_Notification_Enable_1_',
    webName: 'Queue Status Notification Enable',
    section: 'ACD Settings',
    source: '001 L3559 (extensions 2-4)',
    why: 'the sample lists it for extensions 2-4 only',
  },
];

/** Types of supplements that no rule above gives (indexed ones take their family's). */
export const SUPPLEMENT_TYPES: Record<string, ParamType> = {
  MIC_Cert_Refresh_Enable: { kind: 'bool' },
};
