import {
  ACS_FAULTS,
  CPE_FAULTS,
  CWMP_NAMESPACES,
  acsFault,
  cpeFault,
  decodeEnvelope,
  encodeEnvelope,
  versionOf,
  type CwmpNamespace,
} from '../../../../src/cwmp/soap';

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String(from + i));

test('the fault tables hold 8000-8006 and 9000-9032, each with a meaning', () => {
  expect(Object.keys(ACS_FAULTS)).toEqual(range(8000, 8006));
  expect(Object.keys(CPE_FAULTS)).toEqual(range(9000, 9032));
  for (const meaning of [...Object.values(ACS_FAULTS), ...Object.values(CPE_FAULTS)])
    expect(meaning.length).toBeGreaterThan(5);
});

describe('acsFault', () => {
  test('8003 Invalid arguments is a Client fault', () => {
    expect(acsFault(8003)).toEqual({
      method: 'Fault',
      faultcode: 'Client',
      faultstring: 'CWMP fault',
      detail: { faultCode: 8003, faultString: 'Invalid arguments', setParameterValuesFault: [] },
    });
  });

  test.each([8000, 8001, 8002, 8004, 8005, 8006])('%i is a Server fault', (code) => {
    expect(acsFault(code)).toMatchObject({
      faultcode: 'Server',
      detail: { faultCode: code, faultString: ACS_FAULTS[code] },
    });
  });

  test('a message replaces the standard meaning; vendor codes 8800-8899 are accepted', () => {
    expect(acsFault(8000, 'Method DUStateChangeComplete not supported').detail.faultString).toBe(
      'Method DUStateChangeComplete not supported',
    );
    expect(acsFault(8850)).toMatchObject({
      faultcode: 'Server',
      detail: { faultCode: 8850, faultString: 'Vendor-specific fault' },
    });
  });

  test.each([8007, 8799, 8900, 9003, 8000.5])('%p is refused', (code) => {
    expect(() => acsFault(code)).toThrow(RangeError);
  });
});

describe('cpeFault', () => {
  test.each([9003, 9005, 9006, 9007, 9008])('%i is a Client fault', (code) => {
    expect(cpeFault(code).faultcode).toBe('Client');
  });

  test.each([9000, 9001, 9002, 9004, 9009, 9010, 9019, 9021, 9032, 9801])('%i is a Server fault', (code) => {
    expect(cpeFault(code).faultcode).toBe('Server');
  });

  test('9003 carries its SetParameterValuesFault list', () => {
    const spv = [{ parameterName: 'Device.X', faultCode: 9007, faultString: 'Invalid parameter value' }];
    expect(cpeFault(9003, undefined, spv).detail).toEqual({
      faultCode: 9003,
      faultString: 'Invalid arguments',
      setParameterValuesFault: spv,
    });
  });

  test.each([8000, 9033, 9799, 9900])('%i is refused', (code) => {
    expect(() => cpeFault(code)).toThrow(RangeError);
  });

  test('a built fault survives encoding and decoding', () => {
    const fault = cpeFault(9003, 'Invalid arguments', [
      { parameterName: 'Device.A', faultCode: 9008, faultString: 'read-only' },
    ]);
    const envelope = { namespace: CWMP_NAMESPACES['1.0'], header: { id: '7' }, body: fault };
    expect(decodeEnvelope(encodeEnvelope(envelope))).toEqual(envelope);
  });
});

describe('versionOf', () => {
  test.each(Object.entries(CWMP_NAMESPACES))('%s is %s', (version, ns) => {
    expect(versionOf(ns)).toBe(version);
  });

  test('anything else is a RangeError', () => {
    expect(() => versionOf('urn:dslforum-org:cwmp-1-5' as CwmpNamespace)).toThrow(RangeError);
  });
});
