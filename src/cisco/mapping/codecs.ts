/**
 * Value conversions between Cisco XML values and typed TR-069 values. A conversion that has no
 * TR-069 form (an empty number, Cisco's `AUTO` transport) returns undefined: that parameter
 * then travels in a rendered configuration file instead.
 */
import type { ParamValue, XsdType } from '../../cwmp/soap/types';
import { parseInteger, splitHostPort, type ParamType, type Tr069Codec } from '../catalogue';

export interface TypedValue {
  value: ParamValue;
  type: XsdType;
}

/** Raised for values that do not fit their own parameter type; validation catches them first. */
export class MappingError extends Error {
  override name = 'MappingError';
}

const MAX_UINT = 2 ** 32 - 1;

function bool(xml: string): boolean | undefined {
  if (/^(yes|1)$/i.test(xml)) return true;
  if (/^(no|0)$/i.test(xml)) return false;
  return undefined;
}

/** A TR-069 boolean as devices send it: true/false or 1/0 (tr069.md §1.9). */
function tr069Bool(v: ParamValue): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (v === 1 || v === '1' || v === 'true') return true;
  if (v === 0 || v === '0' || v === 'false') return false;
  return undefined;
}

function integer(v: ParamValue): number | undefined {
  if (typeof v === 'number') return Number.isInteger(v) ? v : undefined;
  return typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : undefined;
}

export interface CodecSpec {
  codec: Tr069Codec;
  values?: Record<string, string>;
}

/** XML -> TR-069. Throws MappingError for malformed XML values. */
export function toTr069(name: string, spec: CodecSpec, xml: string): TypedValue | undefined {
  const bad = (what: string): never => {
    throw new MappingError(`${name}: "${xml}" is not ${what}`);
  };
  switch (spec.codec) {
    case 'string':
      return { value: xml, type: 'xsd:string' };
    case 'boolean': {
      if (xml === '') return undefined;
      const b = bool(xml) ?? bad('Yes/No or 1/0');
      return { value: b, type: 'xsd:boolean' };
    }
    case 'enabled': {
      if (xml === '') return undefined;
      const b = bool(xml) ?? bad('Yes/No or 1/0');
      return { value: b ? 'Enabled' : 'Disabled', type: 'xsd:string' };
    }
    case 'unsignedInt':
    case 'int': {
      if (xml === '') return undefined;
      const n = parseInteger(xml) ?? bad('an integer');
      if (spec.codec === 'unsignedInt' && (n < 0 || n > MAX_UINT)) bad('an unsigned 32-bit integer');
      if (spec.codec === 'int' && (n < -(2 ** 31) || n > 2 ** 31 - 1)) bad('a signed 32-bit integer');
      return { value: n, type: spec.codec === 'int' ? 'xsd:int' : 'xsd:unsignedInt' };
    }
    case 'enum': {
      const v = (spec.values ?? {})[xml];
      return v === undefined ? undefined : { value: v, type: 'xsd:string' };
    }
    case 'hostPort':
      throw new MappingError(`${name}: host:port values convert with splitHostPortValue`);
  }
}

/** TR-069 -> XML; undefined when the value has no XML form. */
export function fromTr069(spec: CodecSpec, value: ParamValue): string | undefined {
  switch (spec.codec) {
    case 'string':
      return String(value);
    case 'boolean': {
      const b = tr069Bool(value);
      return b === undefined ? undefined : b ? 'Yes' : 'No';
    }
    case 'enabled':
      return value === 'Enabled' ? 'Yes' : value === 'Disabled' ? 'No' : undefined;
    case 'unsignedInt':
    case 'int': {
      const n = integer(value);
      return n === undefined ? undefined : String(n);
    }
    case 'enum': {
      const hit = Object.entries(spec.values ?? {}).find(([, v]) => v === String(value));
      return hit?.[0];
    }
    case 'hostPort':
      return undefined;
  }
}

/** `host[:port]` -> host (xsd:string) and, when given, port (xsd:unsignedInt). */
export function splitHostPortValue(name: string, xml: string): { host: TypedValue; port?: TypedValue } {
  if (xml === '') return { host: { value: '', type: 'xsd:string' } };
  const hp = splitHostPort(xml);
  if (!hp) throw new MappingError(`${name}: "${xml}" is not host or host:port`);
  const host: TypedValue = { value: hp.host, type: 'xsd:string' };
  return hp.port === undefined ? { host } : { host, port: { value: hp.port, type: 'xsd:unsignedInt' } };
}

export function joinHostPort(host: ParamValue, port: ParamValue | undefined): string | undefined {
  const h = String(host);
  if (port === undefined || port === '') return h;
  const p = integer(port);
  return p === undefined || h === '' ? undefined : `${h}:${p}`;
}

/** The conversion used for operator-mapped parameters, after the parameter's type. */
export function defaultCodec(type: ParamType): Tr069Codec {
  switch (type.kind) {
    case 'bool':
      return 'boolean';
    case 'uns':
    case 'port':
      return 'unsignedInt';
    case 'sig':
      return 'int';
    default:
      return 'string';
  }
}
