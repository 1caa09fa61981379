import {
  CWMP_NAMESPACES,
  decodeEnvelope,
  encodeEnvelope,
  type CwmpMessage,
  type Envelope,
  type EnvelopeHeader,
} from '../../../../src/cwmp/soap';

const NS = CWMP_NAMESPACES['1.2'];
const envelope = (body: CwmpMessage, header: EnvelopeHeader = { id: '1' }): Envelope => ({
  namespace: NS,
  header,
  body,
});

const spv = envelope({
  method: 'SetParameterValues',
  parameterList: [
    { name: 'Device.A', value: true, type: 'xsd:boolean' },
    { name: 'Device.B', value: '2024-05-01T12:00:00.250Z', type: 'xsd:dateTime' },
  ],
  parameterKey: 'k',
});

describe('encode options for picky CPEs', () => {
  test('booleanLiteral digit writes 1/0 in values, arguments and headers, and still decodes', () => {
    const options = { booleanLiteral: 'digit' } as const;
    expect(encodeEnvelope(spv, options)).toContain('<Value xsi:type="xsd:boolean">1</Value>');
    const gpn = envelope(
      { method: 'GetParameterNames', parameterPath: 'Device.', nextLevel: false },
      { id: '2', holdRequests: true },
    );
    const xml = encodeEnvelope(gpn, options);
    expect(xml).toContain('<NextLevel>0</NextLevel>');
    expect(xml).toContain('<cwmp:HoldRequests soap-env:mustUnderstand="1">1</cwmp:HoldRequests>');
    expect(decodeEnvelope(xml)).toEqual(gpn);
  });

  test('booleanLiteral word is the default', () => {
    expect(encodeEnvelope(spv)).toBe(encodeEnvelope(spv, { booleanLiteral: 'word' }));
    expect(encodeEnvelope(spv)).toContain('<Value xsi:type="xsd:boolean">true</Value>');
  });

  test('dateTimeMilliseconds false strips fractional seconds from every dateTime written', () => {
    expect(encodeEnvelope(spv)).toContain('<Value xsi:type="xsd:dateTime">2024-05-01T12:00:00.250Z</Value>');
    expect(encodeEnvelope(spv, { dateTimeMilliseconds: false })).toContain(
      '<Value xsi:type="xsd:dateTime">2024-05-01T12:00:00Z</Value>',
    );
    const download = envelope({
      method: 'DownloadResponse',
      status: 0,
      startTime: '2024-05-01T12:00:00.999+01:00',
      completeTime: '2024-05-01T12:00:01.5Z',
    });
    const xml = encodeEnvelope(download, { dateTimeMilliseconds: false });
    expect(xml).toContain('<StartTime>2024-05-01T12:00:00+01:00</StartTime>');
    expect(xml).toContain('<CompleteTime>2024-05-01T12:00:01Z</CompleteTime>');
  });
});

describe('header elements', () => {
  test('CWMP 1.3/1.4 headers carry the mustUnderstand values of the schema', () => {
    const header: EnvelopeHeader = {
      id: 'x',
      noMoreRequests: false,
      sessionTimeout: 30,
      supportedCwmpVersions: ['1.0', '1.4'],
      useCwmpVersion: '1.4',
    };
    const xml = encodeEnvelope(envelope({ method: 'InformResponse', maxEnvelopes: 1 }, header));
    expect(xml).toContain(
      [
        '  <soap-env:Header>',
        '    <cwmp:ID soap-env:mustUnderstand="1">x</cwmp:ID>',
        '    <cwmp:NoMoreRequests>false</cwmp:NoMoreRequests>',
        '    <cwmp:SessionTimeout soap-env:mustUnderstand="0">30</cwmp:SessionTimeout>',
        '    <cwmp:SupportedCWMPVersions soap-env:mustUnderstand="0">1.0,1.4</cwmp:SupportedCWMPVersions>',
        '    <cwmp:UseCWMPVersion soap-env:mustUnderstand="1">1.4</cwmp:UseCWMPVersion>',
        '  </soap-env:Header>',
      ].join('\n'),
    );
    expect(decodeEnvelope(xml).header).toEqual(header);
  });

  test('an empty ID is written and read back as empty; an absent one is not written', () => {
    const withEmpty = encodeEnvelope(envelope({ method: 'RebootResponse' }, { id: '' }));
    expect(withEmpty).toContain('<cwmp:ID soap-env:mustUnderstand="1"></cwmp:ID>');
    expect(decodeEnvelope(withEmpty).header).toEqual({ id: '' });
    const without = encodeEnvelope(envelope({ method: 'RebootResponse' }, {}));
    expect(without).not.toContain('Header');
  });
});

describe('escaping', () => {
  test('characters XML cannot carry become U+FFFD and the output stays well-formed', () => {
    const nasty = 'a\u0000b\u0008c\u000bd\ud800e\udc00f\ufffeg\uffffh';
    const xml = encodeEnvelope(envelope({ method: 'Reboot', commandKey: nasty }));
    expect(decodeEnvelope(xml).body).toEqual({
      method: 'Reboot',
      commandKey: 'a\ufffdb\ufffdc\ufffdd\ufffde\ufffdf\ufffdg\ufffdh',
    });
  });

  test('markup characters, CR, surrogate pairs and the CDATA end marker round-trip', () => {
    const text = `<a href="x">&amp;</a> ]]> it's \r\n\t 😀 \u2028`;
    const xml = encodeEnvelope(envelope({ method: 'Reboot', commandKey: text }));
    expect(xml).toContain(
      "<CommandKey>&lt;a href=&quot;x&quot;&gt;&amp;amp;&lt;/a&gt; ]]&gt; it's &#xD;\n\t 😀 \u2028</CommandKey>",
    );
    expect(decodeEnvelope(xml).body).toEqual({ method: 'Reboot', commandKey: text });
  });
});

describe('refusals', () => {
  test('a non-integer number in an integer argument is a TypeError, not bad XML', () => {
    expect(() => encodeEnvelope(envelope({ method: 'SetParameterValuesResponse', status: 1.5 }))).toThrow(TypeError);
    expect(() => encodeEnvelope(envelope({ method: 'AddObjectResponse', instanceNumber: -1, status: 0 }))).toThrow(
      TypeError,
    );
  });

  test('an unknown method is a TypeError', () => {
    const body = { method: 'DUStateChangeComplete' } as unknown as CwmpMessage;
    expect(() => encodeEnvelope(envelope(body))).toThrow(TypeError);
  });
});
