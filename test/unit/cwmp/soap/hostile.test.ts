import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CwmpDecodeError, decodeEnvelope, type DecodeErrorKind } from '../../../../src/cwmp/soap';

const HOSTILE_DIR = join(__dirname, '../../../fixtures/cwmp/hostile');
const GOLDEN_DIR = join(__dirname, '../../../fixtures/cwmp/golden');

const hostile = (name: string) => readFileSync(join(HOSTILE_DIR, name), 'utf8');
const golden = (name: string) => readFileSync(join(GOLDEN_DIR, name), 'utf8');

const ENVELOPE_START =
  '<soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/" xmlns:cwmp="urn:dslforum-org:cwmp-1-0">' +
  '<soap-env:Header><cwmp:ID soap-env:mustUnderstand="1">h-1</cwmp:ID></soap-env:Header><soap-env:Body>';
const ENVELOPE_END = '</soap-env:Body></soap-env:Envelope>';
const inEnvelope = (body: string) => `${ENVELOPE_START}${body}${ENVELOPE_END}`;

function decodeError(xml: string, maxDepth?: number): CwmpDecodeError {
  try {
    decodeEnvelope(xml, maxDepth === undefined ? {} : { maxDepth });
  } catch (error) {
    if (error instanceof CwmpDecodeError) return error;
    throw error;
  }
  throw new Error('decodeEnvelope accepted hostile input');
}

function expectKind(xml: string, kind: DecodeErrorKind): CwmpDecodeError {
  const error = decodeError(xml);
  expect(error.kind).toBe(kind);
  return error;
}

describe('entity and DOCTYPE attacks', () => {
  test.each(['billion-laughs.xml', 'external-entity.xml', 'bare-entity-declaration.xml'])(
    '%s is refused as doctype',
    (file) => {
      const error = expectKind(hostile(file), 'doctype');
      expect(error.message).not.toContain('lol');
    },
  );

  test('an undeclared entity reference is malformed, never resolved', () => {
    expectKind(inEnvelope('<cwmp:Reboot><CommandKey>&xxe;</CommandKey></cwmp:Reboot>'), 'malformed');
  });
});

describe('nesting depth', () => {
  test('a 100,000-deep document is refused as too-deep', () => {
    const depth = 100_000;
    const xml = inEnvelope(`${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}`);
    expectKind(xml, 'too-deep');
  });

  test('an unclosed 100,000-deep document is refused the same way', () => {
    expectKind(`<x>${'<a>'.repeat(100_000)}`, 'too-deep');
  });

  test('maxDepth applies to ordinary messages: the golden Inform needs 6 levels', () => {
    const inform = golden('Inform.cwmp-1-0.xml');
    expect(decodeError(inform, 5).kind).toBe('too-deep');
    expect(decodeEnvelope(inform, { maxDepth: 6 }).body.method).toBe('Inform');
  });
});

describe('not XML, not SOAP', () => {
  test.each([
    ['empty', ''],
    ['whitespace', ' \r\n\t'],
    ['plain text', 'hello'],
    ['JSON', '{"method":"Inform"}'],
    ['an unclosed root', '<soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/">'],
    ['mismatched tags', inEnvelope('<cwmp:Reboot></cwmp:Rebooot>')],
    ['an unterminated attribute value', '<a b="1></a>'],
    ['text after the root element', `${inEnvelope('<cwmp:GetRPCMethods/>')}junk`],
    ['a second root element', `${inEnvelope('<cwmp:GetRPCMethods/>')}<again/>`],
  ])('%s is malformed', (_label, xml) => {
    expectKind(xml, 'malformed');
  });

  test('a truncated Inform is malformed', () => {
    expectKind(hostile('truncated.xml'), 'malformed');
  });

  test('a SOAP 1.2 envelope is not SOAP 1.1', () => {
    expectKind(hostile('soap-1-2.xml'), 'not-soap');
  });

  test('a root element other than Envelope is not SOAP', () => {
    expectKind('<flat-profile><Resync_Periodic>3600</Resync_Periodic></flat-profile>', 'not-soap');
  });

  test('an envelope without Body content is not SOAP, and the ID is still reported', () => {
    const error = expectKind(`${ENVELOPE_START}${ENVELOPE_END}`, 'not-soap');
    expect(error.id).toBe('h-1');
    const noBody = expectKind(ENVELOPE_START.replace('<soap-env:Body>', '') + '</soap-env:Envelope>', 'not-soap');
    expect(noBody.id).toBe('h-1');
  });
});

describe('unknown methods and namespaces', () => {
  test('an unknown method is reported with ID, namespace and method name for fault 8000', () => {
    const error = expectKind(hostile('unknown-method.xml'), 'unknown-method');
    expect(error).toMatchObject({
      id: 'cpe-77',
      namespace: 'urn:dslforum-org:cwmp-1-2',
      methodName: 'DUStateChangeComplete',
    });
  });

  test('an unknown cwmp version is unsupported-namespace, with the ID', () => {
    const error = expectKind(hostile('unsupported-namespace.xml'), 'unsupported-namespace');
    expect(error).toMatchObject({ id: 'cpe-78', methodName: 'GetRPCMethods' });
    expect(error.namespace).toBeUndefined();
  });

  test('a method in a foreign namespace is unsupported-namespace', () => {
    const xml = inEnvelope('<x:Inform xmlns:x="http://example.com/not-cwmp"/>');
    expect(expectKind(xml, 'unsupported-namespace').methodName).toBe('Inform');
  });

  test('a message with no cwmp namespace anywhere is unsupported-namespace', () => {
    const xml =
      '<soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/"><soap-env:Body><Inform/></soap-env:Body></soap-env:Envelope>';
    expectKind(xml, 'unsupported-namespace');
  });

  test.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])('a method named %s is unknown', (name) => {
    expect(expectKind(inEnvelope(`<cwmp:${name}/>`), 'unknown-method').methodName).toBe(name);
  });

  // xml2js files such an element beside the inherited member of the same name
  // (`[Function, 'x']`): the decoder must neither trip on it nor let it replace a real element.
  test.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'])('an unknown element named %s inside an Inform is ignored', (name) => {
    const inform = golden('Inform.cwmp-1-0.xml');
    const plain = decodeEnvelope(inform);
    for (const before of ['<DeviceId>', '<Event', '<ParameterList']) {
      expect(inform).toContain(before);
      expect(decodeEnvelope(inform.replace(before, `<${name}>x</${name}>${before}`))).toEqual(plain);
    }
  });
});

describe('invalid arguments', () => {
  test.each([
    ['inform-without-deviceid.xml', '1001', 'Inform/DeviceId'],
    ['parameter-without-name.xml', 'acs-0001', 'GetParameterValuesResponse/ParameterList/ParameterValueStruct[2]/Name'],
    ['instance-number-not-a-number.xml', 'acs-0006', 'AddObjectResponse/InstanceNumber'],
  ])('%s names the element and keeps the ID', (file, id, path) => {
    const error = expectKind(hostile(file), 'invalid-argument');
    expect(error.id).toBe(id);
    expect(error.message).toContain(path);
    expect(error.namespace).toMatch(/^urn:dslforum-org:cwmp-1-[02]$/);
  });

  test.each([
    [
      'a DeviceId without OUI',
      '<cwmp:Inform><DeviceId><SerialNumber>1</SerialNumber></DeviceId></cwmp:Inform>',
      'Inform/DeviceId/OUI',
    ],
    [
      'an int out of range',
      '<cwmp:SetParameterValuesResponse><Status>2147483648</Status></cwmp:SetParameterValuesResponse>',
      'Status',
    ],
    [
      'a negative unsignedInt',
      '<cwmp:ScheduleInform><DelaySeconds>-1</DelaySeconds></cwmp:ScheduleInform>',
      'DelaySeconds',
    ],
    [
      'a boolean that is neither',
      '<cwmp:GetParameterNames><ParameterPath/><NextLevel>yes</NextLevel></cwmp:GetParameterNames>',
      'NextLevel',
    ],
    [
      'an empty required number',
      '<cwmp:AddObjectResponse><InstanceNumber> </InstanceNumber><Status>0</Status></cwmp:AddObjectResponse>',
      'InstanceNumber',
    ],
    ['elements where text is due', '<cwmp:Reboot><CommandKey><b>x</b></CommandKey></cwmp:Reboot>', 'Reboot/CommandKey'],
    [
      'a Fault without detail',
      '<soap-env:Fault><faultcode>Client</faultcode><faultstring>CWMP fault</faultstring></soap-env:Fault>',
      'detail',
    ],
    [
      'a SetParameterValuesFault without FaultCode',
      '<soap-env:Fault><detail><cwmp:Fault><FaultCode>9003</FaultCode><SetParameterValuesFault><ParameterName>A</ParameterName></SetParameterValuesFault></cwmp:Fault></detail></soap-env:Fault>',
      'SetParameterValuesFault[1]/FaultCode',
    ],
  ])('%s', (_label, body, path) => {
    const error = expectKind(inEnvelope(body), 'invalid-argument');
    expect(error.message).toContain(path);
    expect(error).toMatchObject({ id: 'h-1', namespace: 'urn:dslforum-org:cwmp-1-0' });
  });

  test('a header that does not read as its type is invalid, with the ID kept', () => {
    const xml = inEnvelope('<cwmp:GetRPCMethods/>').replace(
      '</soap-env:Header>',
      '<cwmp:HoldRequests soap-env:mustUnderstand="1">maybe</cwmp:HoldRequests></soap-env:Header>',
    );
    const error = expectKind(xml, 'invalid-argument');
    expect(error.message).toContain('Header/HoldRequests');
    expect(error).toMatchObject({ id: 'h-1', methodName: 'GetRPCMethods' });
  });
});

describe('error messages quote little of the input', () => {
  const long = 'X'.repeat(10_000);
  test.each([
    ['a long method name', inEnvelope(`<cwmp:${long}/>`)],
    [
      'a long invalid number',
      inEnvelope(`<cwmp:SetParameterValuesResponse><Status>${long}</Status></cwmp:SetParameterValuesResponse>`),
    ],
    ['a long foreign namespace', inEnvelope(`<x:Inform xmlns:x="urn:dslforum-org:cwmp-${long}"/>`)],
    ['a long root name', `<${long}/>`],
    ['long malformed text', `${long}<`],
  ])('%s', (_label, xml) => {
    const error = decodeError(xml);
    expect(error.message.length).toBeLessThan(200);
    expect(error.message).not.toContain('X'.repeat(101));
  });
});

test('the decoder keeps no state between documents: hostile input does not affect the next decode', () => {
  const inform = golden('Inform.cwmp-1-0.xml');
  const expected = decodeEnvelope(inform);
  for (const xml of [
    hostile('billion-laughs.xml'),
    hostile('truncated.xml'),
    `<x>${'<a>'.repeat(1000)}`,
    `${inform}<trailing`,
  ]) {
    expect(() => decodeEnvelope(xml)).toThrow();
    expect(decodeEnvelope(inform)).toEqual(expected);
  }
});

test('any corruption of a valid envelope decodes or fails with a CwmpDecodeError, nothing else', () => {
  const documents = readdirSync(GOLDEN_DIR).map(golden);
  const insertion = fc.string({
    unit: fc.constantFrom('<', '>', '/', '&', ';', '"', '=', ':', ' ', 'a', '!', '?', '#', '\u0000'),
    maxLength: 6,
  });
  fc.assert(
    fc.property(
      fc.constantFrom(...documents),
      fc.array(fc.tuple(fc.nat(), fc.nat({ max: 12 }), insertion), { minLength: 1, maxLength: 4 }),
      (document, edits) => {
        let xml = document;
        for (const [at, removed, inserted] of edits) {
          const position = at % (xml.length + 1);
          xml = xml.slice(0, position) + inserted + xml.slice(position + removed);
        }
        try {
          decodeEnvelope(xml);
        } catch (error) {
          expect(error).toBeInstanceOf(CwmpDecodeError);
        }
      },
    ),
    { numRuns: 500 },
  );
});

describe('C0 controls XML 1.0 forbids', () => {
  // A device with one in a parameter value keeps its sessions; the decoder sees the value as sent.
  it('are read as text where they stand, in values and attributes, and nothing else changes', () => {
    const value = 'a\u0000b\u0001c\u001fd\u000be';
    const xml = inEnvelope(
      '<cwmp:GetParameterValuesResponse><ParameterList soap-enc:arrayType="cwmp:ParameterValueStruct[1]" xmlns:soap-enc="http://schemas.xmlsoap.org/soap/encoding/">' +
        `<ParameterValueStruct><Name>Device.X.Name</Name><Value xsi:type="xsd:string" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">${value}\uf701</Value></ParameterValueStruct>` +
        '</ParameterList></cwmp:GetParameterValuesResponse>',
    );
    const body = decodeEnvelope(xml).body as { parameterList: Array<{ name: string; value: unknown }> };
    // a private-use character of the document is given back as the control it stands for only when the document held raw controls
    expect(body.parameterList).toEqual([expect.objectContaining({ name: 'Device.X.Name', value: `${value}\u0001` })]);
    const plain = decodeEnvelope(xml.replace(value, 'v')).body as { parameterList: Array<{ value: unknown }> };
    expect(plain.parameterList[0]!.value).toBe('v\uf701');
  });

  it('in a tag name are still not well-formed', () => {
    expectKind(inEnvelope('<cwmp:Get\u0001ParameterNames/>'), 'malformed');
  });
});
