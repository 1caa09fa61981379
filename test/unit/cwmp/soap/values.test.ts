import { CwmpDecodeError, decodeValue, encodeValue, parseXsdType, type XsdType } from '../../../../src/cwmp/soap';

describe('parseXsdType', () => {
  test.each([
    ['xsd:int', 'xsd:int'],
    ['xs:int', 'xsd:int'],
    ['int', 'xsd:int'],
    [' xsd:boolean ', 'xsd:boolean'],
    ['xsd:unsignedint', 'xsd:unsignedInt'],
    ['XSD:DATETIME', 'xsd:dateTime'],
    ['xsd:base64Binary', 'xsd:base64'],
    ['xsd:hexBinary', 'xsd:hexBinary'],
    ['xsd:unsignedLong', 'xsd:unsignedLong'],
    ['xsd:decimal', 'xsd:decimal'],
    ['', 'xsd:string'],
    [undefined, 'xsd:string'],
    ['xsd:anySimpleType', 'xsd:string'],
    ['soap-enc:string', 'xsd:string'],
  ])('%p reads as %s', (attr, type) => {
    expect(parseXsdType(attr)).toBe(type);
  });
});

describe('decodeValue', () => {
  test.each([
    ['true', true],
    ['false', false],
    ['1', true],
    ['0', false],
    ['TRUE', true],
    ['False', false],
    [' \ttrue\n', true],
    [' 0 ', false],
  ])('boolean %p', (text, value) => {
    expect(decodeValue(text, 'xsd:boolean')).toBe(value);
  });

  test.each([
    ['xsd:int', '2147483647', 2147483647],
    ['xsd:int', '-2147483648', -2147483648],
    ['xsd:int', ' 42 ', 42],
    ['xsd:int', '+7', 7],
    ['xsd:int', '007', 7],
    ['xsd:unsignedInt', '4294967295', 4294967295],
    ['xsd:unsignedInt', '00', 0],
    ['xsd:long', '9007199254740991', 9007199254740991],
    ['xsd:long', '-9007199254740991', -9007199254740991],
    ['xsd:long', '9007199254740992', '9007199254740992'],
    ['xsd:long', '-9223372036854775808', '-9223372036854775808'],
    ['xsd:long', '9223372036854775807', '9223372036854775807'],
    ['xsd:unsignedLong', '18446744073709551615', '18446744073709551615'],
    ['xsd:unsignedLong', '0018446744073709551615', '18446744073709551615'],
    ['xsd:unsignedLong', ' 12 ', 12],
  ])('%s %p', (type, text, value) => {
    expect(decodeValue(text, type as XsdType)).toBe(value);
  });

  test('-0 reads as 0, not negative zero', () => {
    expect(Object.is(decodeValue('-0', 'xsd:int'), 0)).toBe(true);
  });

  test.each([
    ['xsd:int', '2147483648'],
    ['xsd:int', '-2147483649'],
    ['xsd:int', 'abc'],
    ['xsd:int', '1.5'],
    ['xsd:int', '1e3'],
    ['xsd:int', ''],
    ['xsd:int', '0x10'],
    ['xsd:int', '1 2'],
    ['xsd:unsignedInt', '-1'],
    ['xsd:unsignedInt', '4294967296'],
    ['xsd:long', '9223372036854775808'],
    ['xsd:long', '-9223372036854775809'],
    ['xsd:unsignedLong', '18446744073709551616'],
    ['xsd:unsignedLong', '-1'],
    ['xsd:boolean', 'yes'],
    ['xsd:boolean', ''],
    ['xsd:boolean', '2'],
  ])('%s %p is refused as invalid-argument', (type, text) => {
    let error: unknown;
    try {
      decodeValue(text, type as XsdType);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CwmpDecodeError);
    expect((error as CwmpDecodeError).kind).toBe('invalid-argument');
  });

  test('a million-digit number is refused, leading zeros are not counted', () => {
    expect(() => decodeValue('9'.repeat(1_000_000), 'xsd:long')).toThrow(CwmpDecodeError);
    expect(decodeValue(`${'0'.repeat(1_000)}18446744073709551615`, 'xsd:unsignedLong')).toBe('18446744073709551615');
  });

  test.each(['xsd:string', 'xsd:dateTime', 'xsd:base64', 'xsd:hexBinary', 'xsd:decimal'] as const)(
    '%s is kept exactly, whitespace included',
    (type) => {
      expect(decodeValue('  not validated \n', type)).toBe('  not validated \n');
    },
  );
});

describe('encodeValue', () => {
  test.each([
    [true, undefined, 'true'],
    [false, undefined, 'false'],
    [true, 'word', 'true'],
    [true, 'digit', '1'],
    [false, 'digit', '0'],
    ['TRUE', 'digit', '1'],
    [0, 'word', 'false'],
  ] as const)('boolean %p with %p', (value, booleanLiteral, text) => {
    expect(encodeValue(value, 'xsd:boolean', booleanLiteral ? { booleanLiteral } : undefined)).toBe(text);
  });

  test.each([
    [-5, 'xsd:int', '-5'],
    [-0, 'xsd:int', '0'],
    ['5', 'xsd:int', '5'],
    [' 6 ', 'xsd:unsignedInt', '6'],
    [4294967295, 'xsd:unsignedInt', '4294967295'],
    ['18446744073709551615', 'xsd:unsignedLong', '18446744073709551615'],
    [2 ** 60, 'xsd:long', '1152921504606846976'],
  ] as const)('integer %p as %s', (value, type, text) => {
    expect(encodeValue(value, type)).toBe(text);
  });

  test.each([
    [1.5, 'xsd:int'],
    [2147483648, 'xsd:int'],
    [-1, 'xsd:unsignedInt'],
    [2 ** 64, 'xsd:unsignedLong'],
    [Number.NaN, 'xsd:int'],
    ['abc', 'xsd:int'],
    [true, 'xsd:int'],
    ['maybe', 'xsd:boolean'],
  ] as const)('%p as %s throws a TypeError', (value, type) => {
    expect(() => encodeValue(value, type)).toThrow(TypeError);
  });

  test('dateTime keeps fractional seconds unless told not to', () => {
    expect(encodeValue('2024-01-01T00:00:00.123Z', 'xsd:dateTime')).toBe('2024-01-01T00:00:00.123Z');
    const plain = { dateTimeMilliseconds: false };
    expect(encodeValue('2024-01-01T00:00:00.123Z', 'xsd:dateTime', plain)).toBe('2024-01-01T00:00:00Z');
    expect(encodeValue('2024-01-01T10:20:30.5+02:00', 'xsd:dateTime', plain)).toBe('2024-01-01T10:20:30+02:00');
    expect(encodeValue('v1.2.3T00:00:00.5', 'xsd:string', plain)).toBe('v1.2.3T00:00:00.5');
  });

  test('strings are written unchanged (escaping is the envelope writer’s job)', () => {
    expect(encodeValue(' <a & b> ', 'xsd:string')).toBe(' <a & b> ');
    expect(encodeValue(12, 'xsd:string')).toBe('12');
  });
});
