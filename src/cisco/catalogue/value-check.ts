/**
 * Checks a value against a catalogue type (digest §6). The empty string is always accepted:
 * an empty element sets the empty value or restores the default (001 L1515).
 */
import { isIPv4, isIPv6 } from 'node:net';
import { parseProfileRule, parseReportRule, parseTrigger, parseUpgradeRule, RuleSyntaxError, type Dialect } from '../rules';
import type { ParamType } from './types';

/** The guides' name for a type, as used in messages: `Str64`, `Uns16`, `Port`, `Bool`... */
export function typeLabel(type: ParamType): string {
  switch (type.kind) {
    case 'bool':
      return 'Bool';
    case 'uns':
      return `Uns${type.bits}`;
    case 'sig':
      return `Sig${type.bits}`;
    case 'port':
      return 'Port';
    case 'float':
      return type.label === 'PwrLevel' ? 'PwrLevel' : `${type.label}${type.decimals}`;
    case 'str':
      return `Str${type.max}`;
    case 'enum':
      return `{${type.options.join(',')}}`;
    case 'ip':
      return type.version === 4 ? 'IP' : 'IPv6';
    case 'host':
      return 'FQDN';
    case 'schedule':
      return 'Schedule';
    case 'hhmm':
      return 'HHmm';
    case 'rule':
      return type.syntax === 'trigger' ? 'Condition' : 'ProvisioningRuleSyntax';
  }
}

/** Decimal or `0x` hex (Uns/Sig/Port accept both, 001 L1460-1500); undefined if neither. */
export function parseInteger(value: string): number | undefined {
  const m = /^([+-]?)(?:0[xX]([0-9a-fA-F]+)|(\d+))$/.exec(value);
  if (!m) return undefined;
  const n = m[2] !== undefined ? parseInt(m[2], 16) : Number(m[3]);
  return m[1] === '-' ? -n : n;
}

const HOST_LABEL = /^(?!-)[A-Za-z0-9_-]{1,63}(?<!-)$/;

function isHost(value: string): boolean {
  if (isIPv4(value)) return true;
  if (value.startsWith('[') && value.endsWith(']')) return isIPv6(value.slice(1, -1));
  return value.split('.').every((l) => HOST_LABEL.test(l));
}

/** `host[:port]`; undefined when malformed. */
export function splitHostPort(value: string): { host: string; port?: number } | undefined {
  const m = /^(\[[^\]]*\]|[^:]+)(?::(\d{1,5}))?$/.exec(value);
  if (!m || !isHost(m[1])) return undefined;
  if (m[2] === undefined) return { host: m[1] };
  const port = Number(m[2]);
  return port <= 65535 ? { host: m[1], port } : undefined;
}

function range(label: string, raw: string, n: number, min: number, max: number): string | undefined {
  return n < min || n > max ? `${label} ${raw} out of range ${min}..${max}` : undefined;
}

/**
 * Problem with a value (without the parameter name), or undefined when it fits the type.
 * `dialect`: the rule dialect of the devices the value is for (rules/dialect.ts).
 */
export function checkValue(type: ParamType, value: string, dialect: Dialect = 'mpp'): string | undefined {
  if (value === '') return undefined;
  const label = typeLabel(type);
  switch (type.kind) {
    case 'bool':
      return /^(yes|no|1|0)$/i.test(value) ? undefined : `Bool "${value}" is not Yes/No or 1/0`;
    case 'uns':
    case 'sig':
    case 'port': {
      const n = parseInteger(value);
      if (n === undefined || (type.kind !== 'sig' && /^[+-]/.test(value))) {
        return `${label} "${value}" is not a ${type.kind === 'sig' ? 'signed ' : ''}decimal or 0x hex integer`;
      }
      if (type.kind === 'port') return range(label, value, n, type.min ?? 0, 65535);
      const bits = type.bits;
      const lo = type.kind === 'sig' ? -(2 ** (bits - 1)) : 0;
      const hi = type.kind === 'sig' ? 2 ** (bits - 1) - 1 : 2 ** bits - 1;
      return range(label, value, n, type.min ?? lo, type.max ?? hi);
    }
    case 'float': {
      const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(value);
      if (!m || (m[2] === '' && !m[3])) return `${label} "${value}" is not a decimal number`;
      if (type.label === 'Time' && m[1] === '-') return `${label} "${value}" is negative`;
      // Time<n> ignores extra decimals (001 L1498); Float<n> and PwrLevel do not allow them.
      if (type.label !== 'Time' && (m[3] ?? '').length > type.decimals) {
        return `${label} "${value}" has more than ${type.decimals} decimal places`;
      }
      const n = Number(value);
      if (type.min !== undefined || type.max !== undefined) {
        return range(label, value, n, type.min ?? -Infinity, type.max ?? Infinity);
      }
      return undefined;
    }
    case 'str':
      if (value.length > type.max) return `${label} longer than ${type.max} characters`;
      if (type.min !== undefined && value.length < type.min) return `${label} shorter than ${type.min} characters`;
      return undefined;
    case 'enum':
      return type.options.includes(value) ? undefined : `"${value}" is not one of ${type.options.join('|')}`;
    case 'ip':
      return (type.version === 4 ? isIPv4(value) : isIPv6(value))
        ? undefined
        : `${label} "${value}" is not an IPv${type.version} address`;
    case 'host':
      if (value.length > type.max) return `${label} longer than ${type.max} characters`;
      return splitHostPort(value) ? undefined : `${label} "${value}" is not a host name or IP address with optional :port`;
    case 'schedule':
      return /^\s*\d+(\s*\+\s*\d+)?(\s*,\s*\d+(\s*\+\s*\d+)?)*\s*$/.test(value)
        ? undefined
        : `${label} "${value}" is not a list of delays like 1800+300,3600`;
    case 'hhmm': {
      const m = /^(\d\d)(\d\d)$/.exec(value);
      const ok = m !== null && Number(m[2]) < 60 && Number(m[1]) * 100 + Number(m[2]) <= 2400;
      return ok ? undefined : `${label} "${value}" is not a time 0000..2400`;
    }
    case 'rule':
      try {
        if (type.syntax === 'profile') parseProfileRule(value, { dialect });
        else if (type.syntax === 'upgrade') parseUpgradeRule(value, { dialect });
        else if (type.syntax === 'report') parseReportRule(value);
        else parseTrigger(value, { dialect });
        return undefined;
      } catch (err) {
        if (err instanceof RuleSyntaxError) return `${label}: ${err.message}`;
        throw err;
      }
  }
}

/**
 * Characters a phone cannot take: its firmware knows only ASCII (001 L814). Newlines are
 * allowed (the phone turns them into spaces); other control characters are not.
 */
export function checkCharacters(value: string): string | undefined {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c > 0x7e || (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d)) {
      const code = value.codePointAt(i) as number;
      const kind = c > 0x7e && c !== 0x7f ? 'non-ASCII character' : 'control character';
      return `${kind} U+${code.toString(16).toUpperCase().padStart(4, '0')} at offset ${i}`;
    }
  }
  return undefined;
}
