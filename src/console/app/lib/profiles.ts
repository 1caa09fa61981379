/**
 * The profile editor's pure logic: the form as the operator types it, the API body it sends,
 * the API's refusals placed next to the fields they name, and the differences between two
 * revisions. Nothing here checks a value: the server does (POST /profiles/validate), so the
 * console and the API cannot disagree.
 */

export type Ua = 'na' | 'ro' | 'rw';

/** A parameter as the API shows it: secret values are never sent, only `secret: true`. */
export interface ParameterView {
  name: string;
  value?: string;
  secret?: true | boolean;
  ua?: Ua;
  keep?: true | boolean;
}

export interface Selector {
  productClasses?: string[];
  ouis?: string[];
  tags?: string[];
  serialNumbers?: string[];
  macs?: string[];
  deviceIds?: string[];
  softwareVersion?: { min?: string; below?: string };
}

export const LIST_FIELDS = ['productClasses', 'ouis', 'tags', 'serialNumbers', 'macs', 'deviceIds'] as const;
export type ListField = (typeof LIST_FIELDS)[number];

export const LIST_LABELS: Record<ListField, string> = {
  productClasses: 'Product classes',
  ouis: 'OUIs',
  tags: 'Tags (all of them)',
  serialNumbers: 'Serial numbers',
  macs: 'MAC addresses',
  deviceIds: 'Device ids',
};

export interface ParameterRow {
  key: number;
  name: string;
  value: string;
  ua: '' | Ua;
  keep: boolean;
  /** the stored value is a secret the console never sees: left empty, the stored value stays */
  secret: boolean;
}

export interface ProfileForm {
  name: string;
  description: string;
  precedence: string;
  match: Record<ListField, string> & { softwareMin: string; softwareBelow: string };
  rows: ParameterRow[];
  /** the key the next added row gets */
  nextKey: number;
}

export function emptyForm(): ProfileForm {
  return { name: '', description: '', precedence: '0', match: { productClasses: '', ouis: '', tags: '', serialNumbers: '', macs: '', deviceIds: '', softwareMin: '', softwareBelow: '' }, rows: [], nextKey: 0 };
}

/** Rows for parameters (a saved profile's, or an imported file's), keys from `firstKey` on. */
export function rowsOf(parameters: readonly ParameterView[], firstKey = 0): ParameterRow[] {
  return parameters.map((p, i) => ({ key: firstKey + i, name: p.name, value: p.value ?? '', ua: p.ua ?? '', keep: !!p.keep, secret: !!p.secret && p.value === undefined }));
}

export function formOf(profile: { name: string; description?: string; precedence: number; match: Selector; parameters: readonly ParameterView[] }): ProfileForm {
  const m = profile.match;
  const rows = rowsOf(profile.parameters);
  return {
    name: profile.name,
    description: profile.description ?? '',
    precedence: String(profile.precedence),
    match: {
      ...(Object.fromEntries(LIST_FIELDS.map((f) => [f, (m[f] ?? []).join(', ')])) as Record<ListField, string>),
      softwareMin: m.softwareVersion?.min ?? '',
      softwareBelow: m.softwareVersion?.below ?? '',
    },
    rows,
    nextKey: rows.length,
  };
}

/** A list typed with commas, spaces or new lines between the entries. */
export function splitList(text: string): string[] {
  return text.split(/[\s,;]+/).filter(Boolean);
}

export function selectorOf(match: ProfileForm['match']): Selector {
  const out: Selector = {};
  for (const f of LIST_FIELDS) {
    const list = splitList(match[f]);
    if (list.length) out[f] = list;
  }
  const min = match.softwareMin.trim();
  const below = match.softwareBelow.trim();
  if (min || below) out.softwareVersion = { ...(min ? { min } : {}), ...(below ? { below } : {}) };
  return out;
}

export interface ParameterInput {
  name: string;
  value?: string;
  ua?: Ua;
  keep?: boolean;
  secret?: boolean;
}

export interface ProfileBody {
  name: string;
  description?: string;
  precedence: number;
  match: Selector;
  parameters: ParameterInput[];
}

/**
 * The body the form stands for, and which row each sent parameter came from (blank rows are
 * not sent, so the API's `parameters.3` is `rowKeys[3]`). A precedence that is not a number
 * is sent as it is (null), for the API to refuse by name.
 */
export function bodyOf(form: ProfileForm): { body: ProfileBody; rowKeys: number[] } {
  const sent = form.rows.filter((r) => r.name.trim() !== '' || r.value !== '');
  const parameters = sent.map((r): ParameterInput => {
    const ua = r.ua ? { ua: r.ua } : {};
    if (r.keep) return { name: r.name.trim(), ...ua, keep: true };
    if (r.secret && r.value === '') return { name: r.name.trim(), ...ua, secret: true };
    return { name: r.name.trim(), value: r.value, ...ua };
  });
  const precedence = form.precedence.trim() === '' ? Number.NaN : Number(form.precedence);
  return {
    body: { name: form.name.trim(), ...(form.description ? { description: form.description } : {}), precedence, match: selectorOf(form.match), parameters },
    rowKeys: sent.map((r) => r.key),
  };
}

/** Form fields a refusal can name, besides parameter rows. */
export type FormField = 'name' | 'description' | 'precedence' | 'match' | 'parameters';
const FORM_FIELDS = new Set<string>(['name', 'description', 'precedence', 'match', 'parameters']);

/** Selector inputs a refusal can name (`match.macs`, `match.softwareVersion.min`). */
export type SelectorField = ListField | 'softwareMin' | 'softwareBelow';

export interface FieldErrors {
  fields: Partial<Record<FormField, string[]>>;
  /** by selector input; what names no single one stays under `fields.match` */
  selector: Partial<Record<SelectorField, string[]>>;
  /** by row key */
  rows: Record<number, string[]>;
  /** what names no field of the form */
  other: string[];
}

export interface ProblemField {
  field?: string;
  message?: string;
}

export const NO_ERRORS: FieldErrors = { fields: {}, selector: {}, rows: {}, other: [] };

/** The selector input a `match` refusal is about, from its field (`match.macs.0`) or its message (`match.macs: "x" is not valid`). */
function selectorField(field: string, message: string): SelectorField | undefined {
  const m = /^match\.(\w+)(?:\.(min|below))?/.exec(field.startsWith('match.') ? field : message);
  if (!m) return undefined;
  if (m[1] === 'softwareVersion') return m[2] === 'below' ? 'softwareBelow' : m[2] === 'min' ? 'softwareMin' : undefined;
  return (LIST_FIELDS as readonly string[]).includes(m[1]!) ? (m[1] as ListField) : undefined;
}

/**
 * Places the API's refusals: a schema error names `precedence` or `parameters.2.value`, a
 * profile check names the parameter as it was given (`SIP_Port_1_`), or `match`, or `name`.
 */
export function fieldErrors(form: ProfileForm, rowKeys: readonly number[], errors: readonly ProblemField[], detail: string): FieldErrors {
  const out: FieldErrors = { fields: {}, selector: {}, rows: {}, other: [] };
  const toRow = (key: number, message: string) => (out.rows[key] ??= []).push(message);
  for (const e of errors) {
    const field = e.field ?? '';
    const message = e.message ?? detail;
    const [head, index] = field.split('.');
    if (head === 'parameters' && index !== undefined && /^\d+$/.test(index) && rowKeys[Number(index)] !== undefined) {
      const rest = field.split('.').slice(2).join('.');
      toRow(rowKeys[Number(index)]!, rest ? `${rest} ${message}` : message);
    } else if (head === 'match' && selectorField(field, message)) {
      (out.selector[selectorField(field, message)!] ??= []).push(message);
    } else if (head !== undefined && FORM_FIELDS.has(head)) {
      (out.fields[head as FormField] ??= []).push(field.includes('.') && !message.includes(field) ? `${field.slice(head.length + 1)} ${message}` : message);
    } else {
      const rows = form.rows.filter((r) => field !== '' && r.name.trim() === field);
      if (rows.length) rows.forEach((r) => toRow(r.key, message));
      else out.other.push(field && !message.includes(field) ? `${field}: ${message}` : message);
    }
  }
  if (!errors.length) out.other.push(detail);
  return out;
}

export function hasErrors(e: FieldErrors): boolean {
  return e.other.length > 0 || Object.keys(e.rows).length > 0 || [...Object.values(e.fields), ...Object.values(e.selector)].some((l) => l?.length);
}

/** A selector in one line: `product class CP-8851-3PCC · tags lobby, floor2`; `every device` for `{}`. */
export function selectorSummary(s: Selector): string {
  const parts: string[] = [];
  const names: Record<ListField, string> = { productClasses: 'product class', ouis: 'OUI', tags: 'tags', serialNumbers: 'serial', macs: 'MAC', deviceIds: 'device' };
  for (const f of LIST_FIELDS) if (s[f]?.length) parts.push(`${names[f]} ${s[f]!.join(', ')}`);
  if (s.softwareVersion) {
    const { min, below } = s.softwareVersion;
    parts.push(`software ${[min ? `≥ ${min}` : '', below ? `< ${below}` : ''].filter(Boolean).join(' and ')}`);
  }
  return parts.length ? parts.join(' · ') : 'every device';
}

/** How a parameter reads in a revision: its value, `(secret)` or `(kept by the phone)`, and its ua. */
export function shownParameter(p: ParameterView): string {
  const value = p.secret ? '(secret)' : p.keep ? '(kept by the phone)' : p.value ?? '';
  return p.ua ? `${value} [ua=${p.ua}]` : value;
}

export type DiffStatus = 'added' | 'removed' | 'changed' | 'same';

export interface DiffRow {
  name: string;
  left?: string;
  right?: string;
  status: DiffStatus;
}

interface RevisionLike {
  description?: string;
  precedence: number;
  match: Selector;
  parameters?: readonly ParameterView[];
}

/**
 * Two revisions side by side: precedence, description and selector first, then each
 * parameter in the newer one's order, then those only the older one has. Two secrets compare
 * equal: the console cannot see whether they differ.
 */
export function diffRevisions(left: RevisionLike, right: RevisionLike): DiffRow[] {
  const row = (name: string, l: string | undefined, r: string | undefined): DiffRow => ({
    name,
    ...(l !== undefined ? { left: l } : {}),
    ...(r !== undefined ? { right: r } : {}),
    status: l === undefined ? 'added' : r === undefined ? 'removed' : l === r ? 'same' : 'changed',
  });
  const rows = [row('Precedence', String(left.precedence), String(right.precedence)), row('Description', left.description ?? '', right.description ?? ''), row('Applies to', selectorSummary(left.match), selectorSummary(right.match))];
  const before = new Map((left.parameters ?? []).map((p) => [p.name, shownParameter(p)]));
  const after = new Set<string>();
  for (const p of right.parameters ?? []) {
    after.add(p.name);
    rows.push(row(p.name, before.get(p.name), shownParameter(p)));
  }
  for (const [name, shown] of before) if (!after.has(name)) rows.push(row(name, shown, undefined));
  return rows;
}
