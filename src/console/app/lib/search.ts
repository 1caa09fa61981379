/**
 * The devices page's one search box. Free text goes to the server's `q` (serial number, MAC in
 * any notation, device id, IP address, tag, product class, software version, SIP user); a few
 * `key:value` words narrow the list with the route's exact filters.
 */
export interface DeviceSearch {
  q?: string;
  tag?: string[];
  productClass?: string;
  softwareVersion?: string;
}

const KEYS: Record<string, 'tag' | 'productClass' | 'softwareVersion'> = {
  tag: 'tag',
  class: 'productClass',
  productclass: 'productClass',
  version: 'softwareVersion',
  softwareversion: 'softwareVersion',
};

/** Words split on spaces; "double quotes" keep spaces inside one word. */
function words(text: string): string[] {
  const out: string[] = [];
  const re = /(\S*?)"([^"]*)"|(\S+)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push(m[3] ?? `${m[1]}${m[2]}`);
  return out;
}

export function parseSearch(text: string): DeviceSearch {
  const search: DeviceSearch = {};
  const free: string[] = [];
  for (const word of words(text.trim())) {
    const colon = word.indexOf(':');
    const key = colon > 0 ? KEYS[word.slice(0, colon).toLowerCase()] : undefined;
    const value = colon > 0 ? word.slice(colon + 1) : '';
    if (!key || !value) {
      free.push(word);
    } else if (key === 'tag') {
      (search.tag ??= []).push(value);
    } else {
      search[key] = value;
    }
  }
  if (free.length) search.q = free.join(' ');
  return search;
}

/** The search as the text a user would type (for the box after navigation). */
export function formatSearch(search: DeviceSearch): string {
  const quote = (v: string) => (/\s/.test(v) ? `"${v}"` : v);
  const parts: string[] = [];
  if (search.q) parts.push(search.q);
  for (const tag of search.tag ?? []) parts.push(`tag:${quote(tag)}`);
  if (search.productClass) parts.push(`class:${quote(search.productClass)}`);
  if (search.softwareVersion) parts.push(`version:${quote(search.softwareVersion)}`);
  return parts.join(' ');
}
