/**
 * Parses Cisco XML profiles: `<flat-profile>` anywhere in the document, possibly inside other
 * elements such as `<device>` (003 L662). Built on sax rather than xml2js because xml2js
 * reports `<X/>` and `<X></X>` alike, and the two mean different things here.
 *
 * Hostile input is refused: DOCTYPE (and so any entity definition), entities other than XML's
 * five and numeric references, documents, nesting, element counts and values over the limits.
 */
import sax from 'sax';
import type { Ua } from '../catalogue';
import { ProfileParseError, type ParseLimits, type ParsedProfile, type ProfileEntry } from './types';

const DEFAULTS: Required<ParseLimits> = {
  maxBytes: 4 * 1024 * 1024,
  maxDepth: 16,
  maxEntries: 20_000,
  maxValueLength: 65_536,
};

const UA = new Set<string>(['na', 'ro', 'rw']);
const utf8 = new TextDecoder('utf-8', { fatal: true });

function decode(input: string | Uint8Array, maxBytes: number): string {
  if (typeof input === 'string') {
    if (Buffer.byteLength(input) > maxBytes) throw new ProfileParseError(`profile larger than ${maxBytes} bytes`);
    return input.replace(/^\uFEFF/, '');
  }
  if (input.byteLength > maxBytes) throw new ProfileParseError(`profile larger than ${maxBytes} bytes`);
  try {
    return utf8.decode(input).replace(/^\uFEFF/, '');
  } catch {
    throw new ProfileParseError('profile is not valid UTF-8 (the phones read UTF-8 only, 001 L625)');
  }
}

export function parseProfile(input: string | Uint8Array, limits: ParseLimits = {}): ParsedProfile {
  const lim = { ...DEFAULTS, ...limits };
  const text = decode(input, lim.maxBytes);
  const parser = sax.parser(true, { strictEntities: true, position: true } as sax.SAXOptions);
  const fail = (message: string): never => {
    throw new ProfileParseError(message, parser.line + 1, parser.column + 1);
  };

  const stack: string[] = [];
  const entries = new Map<string, ProfileEntry>();
  const duplicates = new Set<string>();
  let wrappers: string[] | undefined;
  let profileDepth = -1;
  let current: { entry: ProfileEntry; text: string } | undefined;
  let count = 0;

  parser.ondoctype = () => fail('DOCTYPE is not allowed in a profile');
  parser.onerror = (err) => fail(err.message.split('\n')[0]);
  parser.onopentag = (tag) => {
    const node = tag as sax.Tag;
    stack.push(node.name);
    if (stack.length > lim.maxDepth) fail(`elements nested deeper than ${lim.maxDepth}`);
    if (current) fail(`${current.entry.name}: unexpected element <${node.name}> inside a parameter`);
    if (profileDepth < 0) {
      if (node.name === 'flat-profile') {
        profileDepth = stack.length;
        wrappers ??= stack.slice(0, -1);
      }
      return;
    }
    if (++count > lim.maxEntries) fail(`more than ${lim.maxEntries} parameters`);
    const entry: ProfileEntry = { name: node.name, value: '' };
    const ua = node.attributes.ua;
    if (ua !== undefined) {
      if (!UA.has(ua)) fail(`${node.name}: ua="${ua}" is not na, ro or rw`);
      entry.ua = ua as Ua;
    }
    if (node.isSelfClosing) entry.selfClosing = true;
    current = { entry, text: '' };
  };
  const onText = (t: string): void => {
    if (!current) return;
    current.text += t;
    if (current.text.length > lim.maxValueLength) fail(`${current.entry.name}: value longer than ${lim.maxValueLength} characters`);
  };
  parser.ontext = onText;
  parser.oncdata = onText;
  parser.onclosetag = () => {
    if (current && stack.length === profileDepth + 1) {
      const { entry, text } = current;
      entry.value = text.replace(/\r\n|\r|\n/g, ' ').trim();
      if (entries.has(entry.name)) {
        duplicates.add(entry.name);
        entries.delete(entry.name);
      }
      entries.set(entry.name, entry);
      current = undefined;
    }
    if (stack.length === profileDepth) profileDepth = -1;
    stack.pop();
  };

  parser.write(text).close();
  if (!wrappers) throw new ProfileParseError('no <flat-profile> element');
  return { entries: [...entries.values()], duplicates: [...duplicates], wrappers };
}

/** The profile's values by name (self-closing elements give ''). */
export function profileValues(profile: ParsedProfile): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of profile.entries) out[e.name] = e.value;
  return out;
}
