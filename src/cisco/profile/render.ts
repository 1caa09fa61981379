/**
 * Renders `<flat-profile>` documents the phones accept: UTF-8 that holds only ASCII (001 L625,
 * L814), `&`, `<`, `>` escaped (001 L795-810), values trimmed and on one line (the phone would
 * trim them and turn newlines into spaces anyway), `ua` double-quoted (001 L752).
 *
 * Non-ASCII text is refused rather than written as `&#...;`: the phone would decode the
 * reference into a character its firmware does not support.
 */
import { checkCharacters } from '../catalogue';
import { ProfileRenderError, type ProfileEntry } from './types';

export interface RenderOptions {
  /** Wrap in `<?xml ...?><device>...</device>` like the activation-code example (001 L498-507). */
  device?: boolean;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const SPECIAL = /[&<>]/g;
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

export function escapeText(value: string): string {
  return value.replace(SPECIAL, (c) => ESCAPES[c]);
}

function element(e: ProfileEntry): string {
  if (!NAME.test(e.name)) throw new ProfileRenderError(`"${e.name}" is not a valid parameter name`);
  const bad = checkCharacters(e.value);
  if (bad) throw new ProfileRenderError(`${e.name}: ${bad}; the phones accept ASCII only`);
  const ua = e.ua === undefined ? '' : ` ua="${e.ua}"`;
  if (e.selfClosing) {
    if (e.value !== '') throw new ProfileRenderError(`${e.name}: a self-closing element cannot carry a value`);
    return `<${e.name}${ua}/>`;
  }
  const value = e.value.replace(/[\r\n\t]+/g, ' ').trim();
  return `<${e.name}${ua}>${escapeText(value)}</${e.name}>`;
}

/** Entries in the given order; a later entry of the same name would win on the phone. */
export function renderProfile(entries: Iterable<ProfileEntry>, options: RenderOptions = {}): string {
  const lines = options.device ? ['<?xml version="1.0" encoding="UTF-8"?>', '<device>', '<flat-profile>'] : ['<flat-profile>'];
  for (const e of entries) lines.push(element(e));
  lines.push('</flat-profile>');
  if (options.device) lines.push('</device>');
  return `${lines.join('\n')}\n`;
}

/** Renders plain name/value pairs, no ua attributes. */
export function renderValues(values: Record<string, string>, options: RenderOptions = {}): string {
  return renderProfile(
    Object.entries(values).map(([name, value]) => ({ name, value })),
    options,
  );
}
