/**
 * Recovers canonical XML names for the elements of the damaged sample profile. The evidence,
 * strongest first: hand fixes (`NAME_FIXES`), the spelling shared by the other instances of an
 * indexed family (`Line_Enable_1_` ... `_4_`), the closing tag (a space before `>` stands for a
 * trailing underscore: `</Line Enable 1 >`), and clean names printed elsewhere in the guides.
 */
import type { RawElement } from './sample-reader';

export interface NamedElement {
  raw: RawElement;
  name: string;
  fixes: string[];
}

export interface NamingReport {
  /** Indexed families no evidence settled; named with the usual `_n_` of numbered tabs. */
  undecided: string[];
}

const WS = /\s+/g;

function squash(raw: string): string {
  return raw.trim().replace(WS, '_');
}

/** What the printed tags say about a trailing underscore: one vote per clean tag. */
function trailingEvidence(el: RawElement): boolean[] {
  const out: boolean[] = [];
  if (!/\s/.test(el.open)) out.push(el.open.endsWith('_'));
  if (el.close?.endsWith('>')) {
    const text = el.close.slice(0, -1);
    out.push(/\s$/.test(text) || text.endsWith('_'));
  }
  return out;
}

/** `Line_Enable_1` / `Line_Enable_1_` -> stem `Line_Enable`, index 1. */
function splitStem(name: string): { stem: string; index?: number } {
  const bare = name.replace(/_$/, '');
  const m = /^(.*)_(\d+)$/.exec(bare);
  return m ? { stem: m[1], index: Number(m[2]) } : { stem: bare };
}

function mostFrequent(values: string[], prefer: (v: string) => boolean): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best = values[0];
  for (const [v, n] of counts) {
    const bn = counts.get(best) ?? 0;
    if (n > bn || (n === bn && prefer(v) && !prefer(best))) best = v;
  }
  return best;
}

export function nameElements(
  elements: RawElement[],
  nameFixes: Record<string, string>,
  knownNames: Set<string>,
): { named: NamedElement[]; report: NamingReport } {
  const knownLower = new Map<string, string>();
  for (const k of knownNames) knownLower.set(k.toLowerCase(), k);

  const prepared = elements.map((raw) => {
    const squashed = squash(raw.open);
    const fix = nameFixes[squashed];
    const base = fix ?? squashed;
    const fixes = fix ? [`name printed as "${raw.open}"`] : [];
    return { raw, fixed: fix !== undefined, base, fixes, ...splitStem(base) };
  });

  // Token spellings across all opening tags, to repair names printed in lower case (`avt_...`).
  const tokenSpellings = new Map<string, string[]>();
  for (const p of prepared) {
    for (const t of p.stem.split('_')) {
      const key = t.toLowerCase();
      tokenSpellings.set(key, [...(tokenSpellings.get(key) ?? []), t]);
    }
  }

  const families = new Map<string, typeof prepared>();
  for (const p of prepared) {
    const key = p.fixed ? `!${p.base}` : `${p.stem.toLowerCase()}${p.index === undefined ? '' : '#'}`;
    families.set(key, [...(families.get(key) ?? []), p]);
  }

  const named: NamedElement[] = [];
  const undecided: string[] = [];
  for (const members of families.values()) {
    if (members[0].fixed) {
      for (const p of members) named.push({ raw: p.raw, name: p.base, fixes: p.fixes });
      continue;
    }
    let stem = mostFrequent(
      members.map((p) => p.stem),
      (s) => knownNames.has(s),
    );
    const fixes: string[] = [];
    if (/^[a-z]/.test(stem)) {
      const repaired = stem
        .split('_')
        .map((t) => {
          // Another spelling must be strictly more common; a tie keeps what was printed.
          const spellings = tokenSpellings.get(t.toLowerCase()) ?? [t];
          const best = mostFrequent(spellings, (s) => s === t);
          return spellings.filter((s) => s === best).length > spellings.filter((s) => s === t).length ? best : t;
        })
        .join('_');
      if (repaired !== stem) {
        fixes.push(`case repaired from "${stem}" after the other names of the sample`);
        stem = repaired;
      }
    }
    const evidence = members.flatMap((p) => trailingEvidence(p.raw));
    const yes = evidence.filter(Boolean).length;
    const no = evidence.length - yes;
    const sampleIndex = members[0].index;
    const probe = sampleIndex === undefined ? stem : `${stem}_${sampleIndex}`;
    let trailing: boolean;
    if (yes !== no) trailing = yes > no;
    else if (knownNames.has(`${probe}_`)) trailing = true;
    else if (knownNames.has(probe) || knownLower.has(probe.toLowerCase())) trailing = false;
    else {
      // A printed name without a closing tag is the Web-UI label with spaces; only numbered
      // tabs add a trailing underscore (001 L679-681).
      trailing = sampleIndex !== undefined;
      if (trailing) undecided.push(`${stem}_{n}_`);
    }
    for (const p of members) {
      const name = `${stem}${p.index === undefined ? '' : `_${p.index}`}${trailing ? '_' : ''}`;
      const own = [...p.fixes, ...fixes];
      if (!/\s/.test(p.raw.open) && p.raw.open !== name) own.push(`printed as "${p.raw.open}"`);
      named.push({ raw: p.raw, name, fixes: own });
    }
  }
  named.sort((a, b) => a.raw.line - b.raw.line);
  return { named, report: { undecided } };
}

/** Clean element names printed anywhere in the guides: XML tags and the legacy sample's names. */
export function knownNamesFrom(texts: string[]): Set<string> {
  const names = new Set<string>();
  for (const text of texts) {
    for (const m of text.matchAll(/<([A-Za-z][\w.-]*)[\s/>]/g)) if (m[1].includes('_')) names.add(m[1]);
    for (const m of text.matchAll(/^([A-Za-z][\w.\-/()]*?)(?:\[(\d+)\])?\s+[!?]?\s*"/gm)) {
      const base = m[1].replace(/[()/]/g, '_');
      names.add(m[2] === undefined ? base : `${base}_${m[2]}_`);
    }
  }
  return names;
}
