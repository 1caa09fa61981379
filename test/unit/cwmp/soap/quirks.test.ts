import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeEnvelope, type Envelope } from '../../../../src/cwmp/soap';

const QUIRKS_DIR = join(__dirname, '../../../fixtures/cwmp/quirks');

function quirk(name: string, encoding: BufferEncoding = 'utf8'): Envelope {
  return decodeEnvelope(readFileSync(join(QUIRKS_DIR, name)).toString(encoding));
}

describe('decoding what real devices send', () => {
  test('an empty self-closed cwmp:ID is kept as the empty string', () => {
    expect(quirk('empty-id.xml')).toEqual({
      namespace: 'urn:dslforum-org:cwmp-1-0',
      header: { id: '' },
      body: { method: 'GetRPCMethodsResponse', methodList: ['GetRPCMethods', 'Reboot'] },
    });
  });

  test('a header without ID leaves id undefined and reports the deprecated NoMoreRequests', () => {
    const envelope = quirk('no-id-no-more-requests.xml');
    expect(envelope.header).toEqual({ noMoreRequests: true });
    expect('id' in envelope.header).toBe(false);
    expect(envelope.body).toEqual({
      method: 'Inform',
      deviceId: { manufacturer: 'Example', oui: '001122', productClass: 'Router', serialNumber: 'SN0001' },
      event: [{ eventCode: '2 PERIODIC', commandKey: '' }],
      maxEnvelopes: 1,
      currentTime: '2024-01-01T00:00:00Z',
      retryCount: 0,
      parameterList: [],
    });
  });

  test('no Header, soap_env prefixes, xsi:type="soap_enc:Array", booleans 0 / FALSE / " TRUE "', () => {
    expect(quirk('no-header-icwmp.xml')).toEqual({
      namespace: 'urn:dslforum-org:cwmp-1-2',
      header: {},
      body: {
        method: 'GetParameterNamesResponse',
        parameterList: [
          { name: 'Device.', writable: false },
          { name: 'Device.DeviceInfo.', writable: false },
          { name: 'Device.ManagementServer.URL', writable: true },
        ],
      },
    });
  });

  test('1999 XSD/XSI namespaces and xsi:type on DeviceId members', () => {
    expect(quirk('xsd-1999.xml')).toEqual({
      namespace: 'urn:dslforum-org:cwmp-1-1',
      header: { id: '1' },
      body: {
        method: 'Inform',
        deviceId: { manufacturer: 'netcwmp', oui: '00D0D0', productClass: 'IGD', serialNumber: '0000-0001' },
        event: [{ eventCode: '0 BOOTSTRAP', commandKey: '' }],
        maxEnvelopes: 1,
        currentTime: '2024-01-01T00:00:00',
        retryCount: 0,
        parameterList: [
          { name: 'InternetGatewayDevice.DeviceInfo.UpTime', value: 42, type: 'xsd:unsignedInt' },
          { name: 'InternetGatewayDevice.ManagementServer.PeriodicInformEnable', value: true, type: 'xsd:boolean' },
        ],
      },
    });
  });

  test('Thomson: arrayType [01], no arrayType, MaxEnvelopes 2, RetryCount 00', () => {
    const { body } = quirk('thomson-inform.xml');
    expect(body).toMatchObject({
      method: 'Inform',
      event: [{ eventCode: '0 BOOTSTRAP', commandKey: '' }],
      maxEnvelopes: 2,
      currentTime: '1970-01-01T00:04:33Z',
      retryCount: 0,
      parameterList: [
        { name: 'InternetGatewayDevice.DeviceInfo.SpecVersion', value: '1.0', type: 'xsd:string' },
        { name: 'InternetGatewayDevice.DeviceInfo.HardwareVersion', value: 'BANT-R', type: 'xsd:string' },
      ],
    });
  });

  test('BOM, CRLF and tabs; string values and the ID keep their exact whitespace', () => {
    expect(quirk('bom-crlf-whitespace.xml')).toEqual({
      namespace: 'urn:dslforum-org:cwmp-1-2',
      header: { id: '  id with spaces  ' },
      body: {
        method: 'GetParameterValuesResponse',
        parameterList: [
          { name: 'Device.X.Padded', value: '  two spaces each side  ', type: 'xsd:string' },
          { name: 'Device.X.Blank', value: '   ', type: 'xsd:string' },
          { name: 'Device.X.Count', value: 42, type: 'xsd:unsignedInt' },
          { name: 'Device.X.Enabled', value: true, type: 'xsd:boolean' },
          // A raw CRLF reads as LF (XML line-end handling); an escaped CR is kept.
          { name: 'Device.X.Lines', value: 'line1\r\nline2', type: 'xsd:string' },
        ],
      },
    });
  });

  test('ISO-8859-1 text, decoded to a string by the caller', () => {
    const { body } = quirk('iso-8859-1.xml', 'latin1');
    expect(body).toEqual({
      method: 'GetParameterValuesResponse',
      parameterList: [
        { name: 'InternetGatewayDevice.DeviceInfo.Description', value: 'Modem à Zürich ©', type: 'xsd:string' },
      ],
    });
  });

  test('cwmp-1-3 with SessionTimeout', () => {
    const envelope = quirk('session-timeout-1-3.xml');
    expect(envelope.namespace).toBe('urn:dslforum-org:cwmp-1-3');
    expect(envelope.header).toEqual({ id: '5', sessionTimeout: 60 });
    expect(envelope.body).toMatchObject({
      method: 'Inform',
      deviceId: { productClass: '' },
      currentTime: '2024-01-01T00:00:00.123Z',
      retryCount: 3,
      parameterList: [],
    });
  });

  test('cwmp-1-4 with SupportedCWMPVersions "1.0, 1.1, 1.2, 1.3, 1.4"', () => {
    const envelope = quirk('supported-versions-1-4.xml');
    expect(envelope.namespace).toBe('urn:dslforum-org:cwmp-1-4');
    expect(envelope.header).toEqual({
      id: '1',
      sessionTimeout: 30,
      supportedCwmpVersions: ['1.0', '1.1', '1.2', '1.3', '1.4'],
    });
    expect(envelope.body).toMatchObject({
      event: [
        { eventCode: '1 BOOT', commandKey: '' },
        { eventCode: '14 HEARTBEAT', commandKey: '' },
      ],
    });
  });

  test('prefixed arguments in any order, a default-namespace method, CDATA, untyped and mistyped values', () => {
    expect(quirk('qualified-args-any-order.xml')).toEqual({
      namespace: 'urn:dslforum-org:cwmp-1-1',
      header: { id: 'abc' },
      body: {
        method: 'Inform',
        deviceId: { manufacturer: '', oui: '001122', productClass: '', serialNumber: 'SN0004' },
        event: [],
        maxEnvelopes: 0,
        currentTime: '',
        retryCount: 1,
        parameterList: [
          { name: 'Device.X.Cdata', value: '<b>bold</b> & raw', type: 'xsd:string' },
          { name: 'Device.X.Untyped', value: '7', type: 'xsd:string' },
          // Not an int: kept as the string it is rather than refusing the whole Inform.
          { name: 'Device.X.EmptyInt', value: '', type: 'xsd:string' },
          { name: 'Device.X.UnknownType', value: 'x', type: 'xsd:string' },
        ],
      },
    });
  });

  test('a SOAP fault with a prefixed faultcode', () => {
    expect(quirk('fault-prefixed-faultcode.xml')).toEqual({
      namespace: 'urn:dslforum-org:cwmp-1-0',
      header: { id: 'acs-9' },
      body: {
        method: 'Fault',
        faultcode: 'Client',
        faultstring: 'CWMP fault',
        detail: {
          faultCode: 9003,
          faultString: 'Invalid arguments',
          setParameterValuesFault: [{ parameterName: 'Device.X.A', faultCode: 9007, faultString: '' }],
        },
      },
    });
  });
});
