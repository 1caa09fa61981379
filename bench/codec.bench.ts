/**
 * CWMP SOAP codec micro-benchmark. Run: node -r @swc-node/register bench/codec.bench.ts
 * Prints the median CPU time per operation; figures go to bench/RESULTS.md.
 */
import {
  CWMP_NAMESPACES,
  decodeEnvelope,
  encodeEnvelope,
  type Envelope,
  type GetParameterValuesResponse,
  type Inform,
  type ParameterValueStruct,
} from '../src/cwmp/soap';
import { parseXml } from '../src/cwmp/soap/xml-tree';
import { cpuMicrosPerCall, tableHeader } from './harness';

const NS = CWMP_NAMESPACES['1.2'];
const ROOT = 'Device.';

function ciscoParameters(count: number): ParameterValueStruct[] {
  const fixed: ParameterValueStruct[] = [
    { name: `${ROOT}RootDataModelVersion`, value: '2.11', type: 'xsd:string' },
    { name: `${ROOT}DeviceInfo.HardwareVersion`, value: 'V03', type: 'xsd:string' },
    { name: `${ROOT}DeviceInfo.SoftwareVersion`, value: 'sip88xx.12-0-1MPP-22', type: 'xsd:string' },
    { name: `${ROOT}DeviceInfo.ProvisioningCode`, value: '', type: 'xsd:string' },
    { name: `${ROOT}DeviceInfo.UpTime`, value: 86400, type: 'xsd:unsignedInt' },
    { name: `${ROOT}ManagementServer.ParameterKey`, value: 'k-2024-01-01', type: 'xsd:string' },
    {
      name: `${ROOT}ManagementServer.ConnectionRequestURL`,
      value: 'http://192.0.2.10:7547/cr/5c1d',
      type: 'xsd:string',
    },
    { name: `${ROOT}ManagementServer.AliasBasedAddressing`, value: false, type: 'xsd:boolean' },
    { name: `${ROOT}ManagementServer.PeriodicInformInterval`, value: 3600, type: 'xsd:unsignedInt' },
  ];
  const list = fixed.slice(0, count);
  for (let i = list.length; i < count; i += 1) {
    const line = `${ROOT}Services.VoiceService.1.VoiceProfile.1.Line.${(i % 2) + 1}.`;
    list.push(
      i % 3 === 0
        ? { name: `${line}Enable${i}`, value: i % 2 === 0, type: 'xsd:boolean' }
        : { name: `${line}SIP.AuthUserName${i}`, value: `ext-${4000 + i}@sip.example.net`, type: 'xsd:string' },
    );
  }
  return list;
}

const inform: Envelope<Inform> = {
  namespace: NS,
  header: { id: '4711' },
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
    currentTime: '2024-05-01T12:00:00.123+02:00',
    retryCount: 0,
    parameterList: ciscoParameters(20),
  },
};
const gpvResponse: Envelope<GetParameterValuesResponse> = {
  namespace: NS,
  header: { id: 'acs-0001' },
  body: { method: 'GetParameterValuesResponse', parameterList: ciscoParameters(1000) },
};
const informXml = encodeEnvelope(inform);
const gpvResponseXml = encodeEnvelope(gpvResponse);
const informResponse: Envelope = {
  namespace: NS,
  header: { id: '4711' },
  body: { method: 'InformResponse', maxEnvelopes: 1 },
};
const gpv: Envelope = {
  namespace: NS,
  header: { id: 'acs-0001' },
  body: { method: 'GetParameterValues', parameterNames: ciscoParameters(20).map((p) => p.name) },
};

function measure(name: string, fn: () => unknown, perBatch: number, batches = 7): void {
  console.log(`${name.padEnd(58)} ${cpuMicrosPerCall(fn, perBatch, batches).toFixed(1).padStart(9)} us`);
}

console.log(tableHeader());
console.log(`node ${process.version}; Inform ${informXml.length} bytes, GPV response ${gpvResponseXml.length} bytes`);
measure('decode Inform, 20 parameters', () => decodeEnvelope(informXml), 5000);
measure('  of which the XML tree (saxes) alone', () => parseXml(informXml, 64), 5000);
measure('encode InformResponse', () => encodeEnvelope(informResponse), 50000);
measure('encode GetParameterValues, 20 names', () => encodeEnvelope(gpv), 50000);
measure('encode Inform, 20 parameters', () => encodeEnvelope(inform), 20000);
measure('decode GetParameterValuesResponse, 1000 parameters', () => decodeEnvelope(gpvResponseXml), 100, 5);
measure('  of which the XML tree (saxes) alone', () => parseXml(gpvResponseXml, 64), 100, 5);
