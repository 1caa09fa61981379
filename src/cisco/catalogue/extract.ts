/**
 * Builds the parameter catalogue from the provisioning guide's XML sample profile (seed 001)
 * and the clean names printed in the other guides. Pure: text in, catalogue and a review
 * report out; `regenerate.ts` does the file I/O.
 */
import {
  DEFAULT_TYPE,
  NAME_FIXES,
  OPTION_FIXES,
  SECRET,
  SUPPLEMENTS,
  SUPPLEMENT_TYPES,
  TR069_MAPPINGS,
  TYPE_RULES,
  VALUE_FIXES,
  WEB_NAMES,
} from './curation';
import { knownNamesFrom, nameElements } from './naming';
import { splitIndexed, webNameToXmlName } from './names';
import { readSample } from './sample-reader';
import type { Catalogue, CatalogueEntry, ParamType, Ua } from './types';
import { checkValue } from './value-check';

export interface ExtractionReport {
  /** Elements read from the sample (one per `ua=` tag). */
  sampleElements: number;
  /** Parameters added from the guides' text outside the sample. */
  supplements: number;
  /** Entries whose name, value or options needed a hand fix (curation.ts). */
  manualFixes: number;
  /** Entries whose name the evidence rules repaired (case, trailing underscore). */
  evidenceFixes: number;
  /** Entries printed with spaces for underscores, recovered by the naming rule. */
  spacedNames: number;
  withTr069: number;
  secrets: number;
  guideTypes: number;
  undecidedFamilies: string[];
  unreadableOptions: string[];
  ignoredLines: Array<{ line: number; text: string }>;
}

const UA = new Set(['na', 'ro', 'rw']);

function webNameOf(name: string, template: string | undefined): string {
  const known = WEB_NAMES[template ?? name] ?? WEB_NAMES[name];
  if (known) return known;
  const base = template ? template.replace(/_\{n\}_$/, '') : name;
  if (/__|_$/.test(base)) throw new Error(`${name}: add its Web-UI label to WEB_NAMES (brackets were lost)`);
  return base.replace(/_/g, ' ');
}

function typeOf(key: string, sample: string | undefined, options: string[] | undefined): { type: ParamType; guide: boolean } {
  if (options) return { type: { kind: 'enum', options }, guide: true };
  for (const rule of TYPE_RULES) {
    if (!rule.match.test(key)) continue;
    if (rule.when && (sample === undefined ? !rule.sampleOptional : !rule.when.test(sample))) continue;
    return { type: rule.type, guide: rule.guide !== undefined };
  }
  return { type: DEFAULT_TYPE, guide: false };
}

export function extractCatalogue(sampleSeed: string, otherSeeds: string[]): { catalogue: Catalogue; report: ExtractionReport } {
  const reading = readSample(sampleSeed);
  const { named, report: naming } = nameElements(reading.elements, NAME_FIXES, knownNamesFrom(otherSeeds));

  // An indexed family shares its option list; some instances were printed without one.
  const familyOptions = new Map<string, string[]>();
  for (const n of named) {
    const key = splitIndexed(n.name)?.template ?? n.name;
    if (n.raw.options && !familyOptions.has(key)) familyOptions.set(key, n.raw.options);
  }

  const entries: CatalogueEntry[] = [];
  const unreadableOptions: string[] = [];
  let manualFixes = 0;
  let evidenceFixes = 0;
  let spacedNames = 0;
  for (const n of named) {
    const { raw, name } = n;
    if (!UA.has(raw.ua)) throw new Error(`${name} (001 L${raw.line}): ua="${raw.ua}"`);
    const indexed = splitIndexed(name);
    const key = indexed?.template ?? name;
    const fixes = [...n.fixes];
    const secret = SECRET.test(name);

    let sample = secret ? undefined : raw.value?.replace(/\s+/g, ' ').trim();
    const valueFix = VALUE_FIXES[name];
    if (valueFix && sample === valueFix.printed) {
      sample = valueFix.value;
      fixes.push(`value printed as "${valueFix.printed}"`);
    }
    let options = familyOptions.get(key)?.map((o) => o.replace(/\\rightarrow$/, '').trim());
    const optionFix = OPTION_FIXES[key];
    if (optionFix) {
      options = optionFix.options;
      fixes.push(optionFix.why);
    }
    if (raw.optionsUnreadable && !options) unreadableOptions.push(name);

    const { type, guide } = typeOf(key, sample, options);
    const problem = sample === undefined ? undefined : checkValue(type, sample);
    if (problem) throw new Error(`${name} (001 L${raw.line}): sample value does not fit its type: ${problem}`);

    const mapping = TR069_MAPPINGS[key];
    const entry: CatalogueEntry = {
      name,
      webName: webNameOf(name, indexed?.template),
      ...(indexed ? { index: indexed.index, template: indexed.template } : {}),
      section: raw.section,
      ua: raw.ua as Ua,
      ...(sample === undefined || raw.value === undefined ? {} : { sample }),
      type,
      typeSource: guide ? 'guide' : 'inferred',
      ...(secret ? { secret: true as const } : {}),
      ...(mapping ? { tr069: { ...mapping, confirmed: false as const } } : {}),
      source: `001 L${raw.line}`,
      ...(fixes.length ? { fixes } : {}),
    };
    if (webNameToXmlName(entry.webName, entry.index) !== name) {
      throw new Error(`${name}: Web-UI name "${entry.webName}" does not convert back to it`);
    }
    const manual = fixes.some((f) => /^(name printed as|value printed as)/.test(f)) || optionFix !== undefined;
    if (manual) manualFixes++;
    else if (fixes.length) evidenceFixes++;
    if (/\s/.test(raw.open)) spacedNames++;
    entries.push(entry);
  }

  const names = new Set(entries.map((e) => e.name));
  for (const s of SUPPLEMENTS) {
    if (names.has(s.name)) throw new Error(`${s.name} is in the sample now; drop it from SUPPLEMENTS`);
    const indexed = splitIndexed(s.name);
    const key = indexed?.template ?? s.name;
    const sibling = indexed && entries.find((e) => e.template === indexed.template);
    const supplementType = SUPPLEMENT_TYPES[s.name];
    const { type, guide } = supplementType ? { type: supplementType, guide: false } : typeOf(key, undefined, undefined);
    const mapping = TR069_MAPPINGS[key];
    entries.push({
      name: s.name,
      webName: s.webName,
      ...(indexed ? { index: indexed.index, template: indexed.template } : {}),
      section: s.section,
      ua: sibling?.ua ?? 'na',
      type: sibling?.type ?? type,
      typeSource: sibling?.typeSource ?? (guide ? 'guide' : 'inferred'),
      ...(SECRET.test(s.name) ? { secret: true as const } : {}),
      ...(mapping ? { tr069: { ...mapping, confirmed: false as const } } : {}),
      source: s.source,
      fixes: [`not in the sample profile: ${s.why}`],
    });
    names.add(s.name);
  }

  const seen = new Set<string>();
  for (const e of entries) {
    if (seen.has(e.name)) throw new Error(`duplicate parameter ${e.name}`);
    seen.add(e.name);
  }

  const catalogue: Catalogue = {
    version: 1,
    description:
      'Cisco MPP XML parameters of the sample profile in the 6800 MPP Provisioning Guide (seed 001), ' +
      'with data types and candidate TR-069 paths (unconfirmed). Generated by src/cisco/catalogue/regenerate.ts.',
    instanceScheme:
      'Extension n of the phone is Device.Services.VoiceService.1.VoiceProfile.{n}, with its line at ' +
      'VoiceProfile.{n}.Line.1; {n} in a TR-069 path is the index of the XML name (User_ID_2_ -> 2).',
    parameters: entries,
  };
  const report: ExtractionReport = {
    sampleElements: reading.elements.length,
    supplements: SUPPLEMENTS.length,
    manualFixes,
    evidenceFixes,
    spacedNames,
    withTr069: entries.filter((e) => e.tr069).length,
    secrets: entries.filter((e) => e.secret).length,
    guideTypes: entries.filter((e) => e.typeSource === 'guide').length,
    undecidedFamilies: naming.undecided,
    unreadableOptions,
    ignoredLines: reading.ignored,
  };
  return { catalogue, report };
}
