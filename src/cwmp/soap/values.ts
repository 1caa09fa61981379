import { CwmpDecodeError, quote } from './errors';
import { XSD_TYPES, type ParamValue, type XsdType } from './types';
import { localName } from './xml-tree';

export interface EncodeOptions {
  /** `true`/`false` (default) or `1`/`0`, for CPEs that accept only one spelling. */
  booleanLiteral?: 'word' | 'digit';
  /** Default true; false strips fractional seconds from every dateTime written. */
  dateTimeMilliseconds?: boolean;
}

const XSD_TYPE_BY_NAME = new Map<string, XsdType>([
  ...XSD_TYPES.map((type): [string, XsdType] => [localName(type).toLowerCase(), type]),
  // The XML Schema name of the type CWMP calls base64.
  ['base64binary', 'xsd:base64'],
]);

/**
 * The type named by an xsi:type attribute, whatever its prefix or letter case. Absent, empty or
 * unknown types read as xsd:string, which keeps the value exactly as sent.
 */
export function parseXsdType(attr: string | undefined): XsdType {
  if (attr === undefined) return 'xsd:string';
  return XSD_TYPE_BY_NAME.get(localName(attr.trim()).toLowerCase()) ?? 'xsd:string';
}

type IntegerType = 'xsd:int' | 'xsd:unsignedInt' | 'xsd:long' | 'xsd:unsignedLong';

const INTEGER_RANGES: Record<IntegerType, readonly [bigint, bigint]> = {
  'xsd:int': [-(2n ** 31n), 2n ** 31n - 1n],
  'xsd:unsignedInt': [0n, 2n ** 32n - 1n],
  'xsd:long': [-(2n ** 63n), 2n ** 63n - 1n],
  'xsd:unsignedLong': [0n, 2n ** 64n - 1n],
};

/** The same bounds as numbers: exact for int/unsignedInt, and safe integers lie well inside the others. */
const NUMBER_RANGES = {} as Record<IntegerType, readonly [number, number]>;
for (const type of Object.keys(INTEGER_RANGES) as IntegerType[]) {
  NUMBER_RANGES[type] = [Number(INTEGER_RANGES[type][0]), Number(INTEGER_RANGES[type][1])];
}

const INTEGER = /^[+-]?\d+$/;
/** 2^64 - 1 has 20 digits; longer input is out of range and must not reach BigInt(). */
const MAX_DIGITS = 20;

/**
 * An integer of the given type from its lexical form, surrounding whitespace allowed; a number,
 * or for long/unsignedLong beyond 2^53 its canonical decimal string. Undefined when invalid or
 * out of range.
 */
export function parseInteger(text: string, type: IntegerType): number | string | undefined {
  const trimmed = text.trim();
  if (!INTEGER.test(trimmed)) return undefined;
  const n = Number(trimmed);
  if (Number.isSafeInteger(n)) return numberInRange(n, type) ? n + 0 : undefined; // + 0 turns -0 into 0
  if (trimmed.replace(/^[+-]?0*/, '').length > MAX_DIGITS) return undefined;
  const big = BigInt(trimmed);
  return bigintInRange(big, type) && (type === 'xsd:long' || type === 'xsd:unsignedLong') ? big.toString() : undefined;
}

/** For an integral number; safe integers are compared without allocating a bigint. */
function numberInRange(n: number, type: IntegerType): boolean {
  if (!Number.isSafeInteger(n)) return bigintInRange(BigInt(n), type);
  const [min, max] = NUMBER_RANGES[type];
  return n >= min && n <= max;
}

function bigintInRange(value: bigint, type: IntegerType): boolean {
  const [min, max] = INTEGER_RANGES[type];
  return value >= min && value <= max;
}

/** true/false/1/0 in any letter case, surrounding whitespace allowed; undefined otherwise. */
export function parseBoolean(text: string): boolean | undefined {
  const word = text.trim().toLowerCase();
  if (word === 'true' || word === '1') return true;
  if (word === 'false' || word === '0') return false;
  return undefined;
}

function isIntegerType(type: XsdType): type is IntegerType {
  return type in INTEGER_RANGES;
}

/** A parameter value from its text, or undefined when the text is not of that type. */
export function tryDecodeValue(text: string, type: XsdType): ParamValue | undefined {
  if (type === 'xsd:boolean') return parseBoolean(text);
  if (isIntegerType(type)) return parseInteger(text, type);
  return text;
}

/**
 * A parameter value from its text. Integers and booleans are checked and converted; every
 * other type (string, dateTime, base64, hexBinary, decimal) is kept exactly as sent.
 */
export function decodeValue(text: string, type: XsdType): ParamValue {
  const value = tryDecodeValue(text, type);
  if (value === undefined) throw new CwmpDecodeError('invalid-argument', `${quote(text)} is not a valid ${type}`);
  return value;
}

export function booleanText(value: boolean, options?: EncodeOptions): string {
  if (options?.booleanLiteral === 'digit') return value ? '1' : '0';
  return value ? 'true' : 'false';
}

const FRACTIONAL_SECONDS = /(T\d{2}:\d{2}:\d{2})\.\d+/;

export function dateTimeText(value: string, options?: EncodeOptions): string {
  return options?.dateTimeMilliseconds === false ? value.replace(FRACTIONAL_SECONDS, '$1') : value;
}

/**
 * The text of a parameter value of the given type (not yet XML-escaped). A value of another
 * JS type is converted when it reads unambiguously as the XSD type ('5' as xsd:int, 1 as
 * xsd:boolean); otherwise this throws a TypeError, as sending it would only earn a fault 9006.
 */
export function encodeValue(value: ParamValue, type: XsdType, options?: EncodeOptions): string {
  if (type === 'xsd:boolean') {
    const bool = typeof value === 'boolean' ? value : parseBoolean(String(value));
    if (bool === undefined) throw new TypeError(`${quote(String(value))} is not an xsd:boolean`);
    return booleanText(bool, options);
  }
  if (isIntegerType(type)) {
    const integer =
      typeof value === 'number' && Number.isInteger(value) && numberInRange(value, type)
        ? value + 0
        : typeof value === 'string'
          ? parseInteger(value, type)
          : undefined;
    if (integer === undefined) throw new TypeError(`${quote(String(value))} is not a valid ${type}`);
    // String(2 ** 60) gives "1152921504606847000"; a bigint prints every digit.
    return typeof integer === 'number' && !Number.isSafeInteger(integer) ? BigInt(integer).toString() : String(integer);
  }
  if (type === 'xsd:dateTime' && typeof value === 'string') return dateTimeText(value, options);
  return String(value);
}
