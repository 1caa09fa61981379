/**
 * Reads the XML sample profile as printed in the PDF-to-text provisioning guide (seed 001).
 * The extraction broke it in known ways (digest §0): underscores printed as spaces, closing
 * tags mangled or missing, tags split over two lines, comment openers damaged (`< ! --`), HTML
 * debris (`</pre>`, `<il>`). This reader recovers one record per element with every piece of
 * evidence about its name; deciding the canonical name is `extract.ts`'s job.
 */

export interface RawElement {
  /** 1-based line of the opening tag in the seed. */
  line: number;
  /** Opening tag name as printed (may hold spaces). */
  open: string;
  /**
   * Closing tag text as printed, up to its `>` (`Line Enable 1 >` keeps the space that stands for
   * a trailing underscore); without `>` when the closing tag was cut off.
   */
  close?: string;
  ua: string;
  /** Undefined for a self-closing element. */
  value?: string;
  /** The element stood inside a comment (`<!-- <Admin_Password ua="na"/> -->`). */
  commented: boolean;
  section: string;
  /** `available options:` list that followed the element. */
  options?: string[];
  /** An options comment followed but its list was unreadable. */
  optionsUnreadable?: true;
}

export interface SampleReading {
  elements: RawElement[];
  /** Lines that were neither elements, comments nor values (kept for review). */
  ignored: Array<{ line: number; text: string }>;
  firstLine: number;
  lastLine: number;
}

interface Line {
  no: number;
  text: string;
}

const OPEN_TAG = /<([^<>!]+?)\s+ua\s*=\s*"([^"]*)"\s*(\/?)\s*>/;
const COMMENT_START = /^\s*<\s*[!1]\s*-\s*-/;
const OPTIONS = /available options:(.*)$/;

/** Finds the sample between `<flat-profile>` and `</flat-profile>` after its heading. */
function sampleLines(text: string): Line[] {
  const all = text.split(/\r?\n/);
  const heading = all.findIndex((l) => l.trim() === 'XML Open Format Sample');
  const start = all.findIndex((l, i) => i > heading && l.trim() === '<flat-profile>');
  const end = all.findIndex((l, i) => i > start && l.trim() === '</flat-profile>');
  if (heading < 0 || start < 0 || end < 0) {
    throw new Error('seed has no "XML Open Format Sample" section with <flat-profile>...</flat-profile>');
  }
  const lines: Line[] = [];
  for (let i = start + 1; i < end; i++) {
    const raw = all[i].replace(/<\/pre>/g, '');
    if (/^\s*```\s*$/.test(raw)) continue;
    const prev = lines[lines.length - 1];
    // A tag whose `>` is on the next line: `<Secure Call Indication Tone` / `ua="na">...`.
    if (prev && /<[A-Za-z][^<>]*$/.test(prev.text) && !/\s+ua\s*=/.test(prev.text.slice(prev.text.lastIndexOf('<')))) {
      prev.text = `${prev.text.trimEnd()} ${raw.trim()}`;
      continue;
    }
    lines.push({ no: i + 1, text: raw });
  }
  return lines;
}

/** Splits `value</Name>` or `value/Name >` (closing without `<`) into value and closing text. */
function splitValue(rest: string, open: string): { value: string; close?: string } {
  const lt = rest.indexOf('</');
  if (lt >= 0) return { value: rest.slice(0, lt), close: closing(rest.slice(lt + 2)) };
  // `Disabled/Broadcast_Echo>`: a slash followed by (a mangled copy of) the element's name.
  const target = loose(open);
  for (let i = rest.indexOf('/'); i >= 0; i = rest.indexOf('/', i + 1)) {
    const tail = rest.slice(i + 1);
    const l = loose(tail.replace(/>.*$/, ''));
    if (l.length >= 3 && (target.startsWith(l) || l.slice(1) === target.slice(1))) {
      return { value: rest.slice(0, i), close: closing(tail) };
    }
  }
  return { value: rest };
}

/** Closing tag text up to and including its `>`; a missing `>` means the tag was cut off. */
function closing(text: string): string {
  return text.replace(/>.*$/, '>');
}

function loose(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function options(list: string): string[] | undefined {
  const items = list
    .replace(/-->.*$/, '')
    .split('|')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return items.length > 1 || list.includes('|') ? items : undefined;
}

export function readSample(text: string): SampleReading {
  const lines = sampleLines(text);
  const elements: RawElement[] = [];
  const ignored: SampleReading['ignored'] = [];
  let section = '';
  let pending: { el: RawElement; parts: string[] } | undefined;
  let optionsPending: RawElement | undefined;

  const finish = (): void => {
    if (!pending) return;
    pending.el.value = pending.parts.join(' ');
    pending = undefined;
  };

  for (const { no, text: line } of lines) {
    const trimmed = line.trim();
    if (pending) {
      if (trimmed.startsWith('</') || (trimmed.startsWith('<') && OPEN_TAG.test(trimmed))) {
        if (trimmed.startsWith('</')) pending.el.close = closing(trimmed.slice(2));
        finish();
        if (trimmed.startsWith('</')) continue;
      } else {
        if (trimmed !== '') pending.parts.push(trimmed);
        continue;
      }
    }
    if (trimmed === '') continue;

    if (optionsPending) {
      const el = optionsPending;
      optionsPending = undefined;
      if (!OPTIONS.test(trimmed) && !OPEN_TAG.test(trimmed) && !COMMENT_START.test(trimmed)) {
        const list = options(trimmed);
        if (list) el.options = list;
        else el.optionsUnreadable = true;
        continue;
      }
      el.optionsUnreadable = true;
    }

    const opt = OPTIONS.exec(trimmed);
    if (opt) {
      const el = elements[elements.length - 1];
      const list = options(opt[1]);
      if (list) el.options = list;
      else if (opt[1].replace(/-->/, '').trim() === '') optionsPending = el;
      else el.optionsUnreadable = true;
      continue;
    }

    const commented = COMMENT_START.test(trimmed);
    const m = OPEN_TAG.exec(trimmed);
    if (m) {
      const [whole, open, ua, selfClosing] = m;
      const el: RawElement = { line: no, open: open.trim(), ua, commented, section };
      elements.push(el);
      if (selfClosing) continue;
      const rest = trimmed.slice(trimmed.indexOf(whole) + whole.length).replace(/\s*-->\s*$/, '');
      if (rest.trim() === '') {
        pending = { el, parts: [] };
        continue;
      }
      const { value, close } = splitValue(rest, open);
      el.value = value;
      if (close !== undefined) el.close = close;
      continue;
    }

    if (commented) {
      const inner = trimmed
        .replace(COMMENT_START, '')
        .replace(/-->\s*$/, '')
        .trim();
      if (/^[A-Za-z0-9][\w .\-()/]*$/.test(inner)) section = inner;
      continue;
    }
    if (trimmed === '-->' || trimmed === '-') continue;
    ignored.push({ line: no, text: trimmed });
  }
  finish();
  return { elements, ignored, firstLine: lines[0]?.no ?? 0, lastLine: lines[lines.length - 1]?.no ?? 0 };
}
