import type { ParamValue, XsdType } from '../../cwmp/soap/types';
import type { ParamSpec } from './spec';

/** Why a value the ACS sent cannot be stored: 9006 wrong type, 9007 bad value. */
export interface ValueProblem {
  code: 9006 | 9007;
  message: string;
}

const INTEGER_RANGES: Partial<Record<XsdType, [number, number]>> = {
  'xsd:int': [-(2 ** 31), 2 ** 31 - 1],
  'xsd:unsignedInt': [0, 2 ** 32 - 1],
  'xsd:long': [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  'xsd:unsignedLong': [0, Number.MAX_SAFE_INTEGER],
};

const DATE_TIME = /^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;

/**
 * Checks a value sent by the ACS against the parameter's declaration. The xsi:type must be
 * the parameter's own type: a strict CPE, so that an ACS sending the wrong type is caught.
 */
export function checkValue(spec: ParamSpec, type: XsdType, value: ParamValue): ValueProblem | undefined {
  if (type !== spec.type) return { code: 9006, message: `expected ${spec.type}, got ${type}` };
  const range = INTEGER_RANGES[type];
  if (range) {
    // long/unsignedLong beyond 2^53 arrive as decimal strings; the model has none that large.
    if (typeof value !== 'number' || !Number.isInteger(value)) return { code: 9007, message: `not an integer: ${String(value)}` };
    const min = Math.max(range[0], spec.check?.min ?? -Infinity);
    const max = Math.min(range[1], spec.check?.max ?? Infinity);
    if (value < min || value > max) return { code: 9007, message: `${value} is outside ${min}..${max}` };
    return undefined;
  }
  if (type === 'xsd:boolean') return typeof value === 'boolean' ? undefined : { code: 9007, message: 'not a boolean' };
  if (typeof value !== 'string') return { code: 9007, message: `not a ${type} value` };
  if (type === 'xsd:dateTime' && !DATE_TIME.test(value)) return { code: 9007, message: 'not an ISO 8601 dateTime' };
  const check = spec.check;
  if (check?.maxLength !== undefined && value.length > check.maxLength) {
    return { code: 9007, message: `longer than ${check.maxLength} characters` };
  }
  if (check?.oneOf && !check.oneOf.includes(value)) return { code: 9007, message: `must be one of ${check.oneOf.join(', ')}` };
  return undefined;
}
