/**
 * The jobs pages' pure logic: a job's figures, the measured finishing rate, the request the
 * create form sends, and which form field an API refusal belongs to.
 */
import { parseSearch } from './search';

export interface JobCounts {
  pending: number;
  sent: number;
  done: number;
  fault: number;
  expired: number;
  cancelled: number;
}

export interface JobLike {
  status: string;
  devices: number | null;
  released: number;
  tasks: JobCounts;
  rpcs: unknown[];
}

export interface JobFigures {
  /** devices whose tasks were released */
  released: number;
  /** tasks in flight */
  running: number;
  done: number;
  /** faulted or expired: the tasks that did not do their work */
  faulted: number;
  /** final tasks over all tasks, 0..100 (0 while planning) */
  percent: number;
  finished: number;
}

export function jobFigures(job: JobLike): JobFigures {
  const t = job.tasks;
  const finished = t.done + t.fault + t.expired + t.cancelled;
  const total = job.devices === null ? 0 : job.devices * Math.max(1, job.rpcs.length);
  const percent = total > 0 ? Math.min(100, Math.floor((finished * 100) / total)) : job.status === 'done' ? 100 : 0;
  return { released: job.released, running: t.sent, done: t.done, faulted: t.fault + t.expired, percent, finished };
}

/**
 * What the results list does not show: a device's tasks exist only from its release on, so
 * the devices not released have no row (their tasks count in the figures all the same). Null
 * when every device was released, or while planning.
 */
export function unreleasedNote(job: JobLike & { expiresAt?: string }, now = Date.now()): string | null {
  const n = job.devices === null ? 0 : job.devices - job.released;
  if (n <= 0) return null;
  const [devices, their] = n === 1 ? ['1 device', 'its'] : [`${n} devices`, 'their'];
  if (job.status === 'cancelling' || job.status === 'cancelled') return `${devices} never released (the job was cancelled first): ${their} tasks count as cancelled.`;
  if (job.expiresAt && Date.parse(job.expiresAt) <= now) return `${devices} never released (the job expired first): ${their} tasks count as expired.`;
  return `${devices} not released yet: ${their} results appear here once released.`;
}

/** Jobs whose figures still move (the list refetches them now and then besides the events). */
export function isActive(status: string): boolean {
  return status === 'planning' || status === 'running' || status === 'cancelling';
}

export interface Sample {
  at: number;
  finished: number;
}

/** Tasks finished per second between two samples of the same job; null without a later sample. */
export function finishingRate(before: Sample | undefined, after: Sample): number | null {
  if (!before || after.at <= before.at) return null;
  return Math.max(0, ((after.finished - before.finished) * 1000) / (after.at - before.at));
}

// ---------------------------------------------------------------------------- the create form

export type TargetKind = 'deviceIds' | 'tag' | 'filter';
export type StepMethod = 'GetRPCMethods' | 'GetParameterValues' | 'SetParameterValues' | 'Reboot' | 'FactoryReset';
export const STEP_METHODS: readonly StepMethod[] = ['GetParameterValues', 'SetParameterValues', 'Reboot', 'GetRPCMethods', 'FactoryReset'];
export const VALUE_TYPES = ['xsd:string', 'xsd:unsignedInt', 'xsd:int', 'xsd:boolean'] as const;

export interface Step {
  method: StepMethod;
  /** GetParameterValues: names separated by spaces or commas; SetParameterValues: the one name */
  names: string;
  value: string;
  type: (typeof VALUE_TYPES)[number];
}

export interface JobForm {
  name: string;
  targetKind: TargetKind;
  /** device ids, one a line (or separated by spaces or commas) */
  deviceIds: string;
  tag: string;
  /** the device search's syntax: tag:, class:, version: */
  search: string;
  steps: Step[];
  /** as typed: the API judges it */
  rate: string;
  connectionRequest: boolean;
  paused: boolean;
  /** cumulative waves as typed: `10%, 50%` or `5, 20` */
  waves: string;
}

export const NEW_STEP: Step = { method: 'GetParameterValues', names: 'Device.DeviceInfo.SoftwareVersion', value: '', type: 'xsd:string' };

export function emptyForm(): JobForm {
  return { name: '', targetKind: 'tag', deviceIds: '', tag: '', search: '', steps: [{ ...NEW_STEP }], rate: '50', connectionRequest: true, paused: false, waves: '' };
}

/** The form a link from the devices page opens: `?ids=a,b`, `?tag=x` or `?q=tag:x class:y`. */
export function formFromQuery(query: string): JobForm {
  const p = new URLSearchParams(query);
  const form = emptyForm();
  if (p.get('ids')) return { ...form, targetKind: 'deviceIds', deviceIds: p.get('ids')!.split(',').filter(Boolean).join('\n') };
  if (p.get('tag')) return { ...form, targetKind: 'tag', tag: p.get('tag')! };
  if (p.get('q')) return { ...form, targetKind: 'filter', search: p.get('q')! };
  return form;
}

/** The devices page's link to a job on what it shows: its selection, else its search. */
export function newJobLink(selected: readonly string[], search: string): string {
  if (selected.length) return `/jobs/new?ids=${selected.map(encodeURIComponent).join(',')}`;
  const parsed = parseSearch(search);
  if (parsed.tag?.length === 1 && !parsed.q && !parsed.productClass && !parsed.softwareVersion) return `/jobs/new?tag=${encodeURIComponent(parsed.tag[0]!)}`;
  return search.trim() ? `/jobs/new?q=${encodeURIComponent(search.trim())}` : '/jobs/new';
}

const split = (text: string) => text.split(/[\s,]+/).filter(Boolean);

export type Target = { deviceIds: string[] } | { tag: string } | { filter: { tags?: string[]; productClass?: string; softwareVersion?: string } };

/** What this form's problems are before anything is sent, by form input. */
export type FieldErrors = Record<string, string>;

/** The target as the API takes it, or the form field that cannot become one. */
export function formTarget(form: JobForm): { target: Target } | { errors: FieldErrors } {
  switch (form.targetKind) {
    case 'deviceIds':
      return { target: { deviceIds: [...new Set(split(form.deviceIds))] } };
    case 'tag':
      return { target: { tag: form.tag.trim() } };
    case 'filter': {
      const s = parseSearch(form.search);
      // Free text is the search box's fuzzy match, which no job filter has.
      if (s.q) return { errors: { target: `"${s.q}" is free text; a job filter takes only tag:, class: and version: words` } };
      const filter = { ...(s.tag ? { tags: s.tag } : {}), ...(s.productClass ? { productClass: s.productClass } : {}), ...(s.softwareVersion ? { softwareVersion: s.softwareVersion } : {}) };
      return { target: { filter } };
    }
  }
}

function stepRpc(step: Step): Record<string, unknown> {
  switch (step.method) {
    case 'GetParameterValues':
      return { method: step.method, parameterNames: split(step.names) };
    case 'SetParameterValues':
      return { method: step.method, parameterList: [{ name: step.names.trim(), value: step.type === 'xsd:boolean' ? step.value.trim() === 'true' || step.value.trim() === '1' : ['xsd:unsignedInt', 'xsd:int'].includes(step.type) && /^-?\d+$/.test(step.value.trim()) ? Number(step.value.trim()) : step.value, type: step.type }] };
    default:
      return { method: step.method };
  }
}

export type Wave = { percent: number } | { count: number };

/** `10%, 50%` or `5 20`: cumulative percentages or device counts; the API judges their order. */
export function parseWaves(text: string): { waves: Wave[] } | { errors: FieldErrors } {
  const waves: Wave[] = [];
  for (const word of split(text.replace(/\s+%/g, '%'))) {
    const percent = /^(\d+(?:\.\d+)?)%$/.exec(word);
    if (percent) waves.push({ percent: Number(percent[1]) });
    else if (/^\d+$/.test(word)) waves.push({ count: Number(word) });
    else return { errors: { waves: `"${word}" is neither a device count (5) nor a percentage (10%)` } };
  }
  return { waves };
}

/** How many of a job's waves are out, of how many (the last wave ends with the last device). */
export function wavesReleased(ends: readonly number[], released: number, devices: number): { released: number; of: number } {
  return { released: ends.filter((e) => e <= released).length + (devices > 0 && released >= devices ? 1 : 0), of: ends.length + 1 };
}

/** The body of POST /jobs. The rate goes as typed (a number when it reads as one) so the API judges it. */
export function jobRequest(form: JobForm): { body: Record<string, unknown> } | { errors: FieldErrors } {
  const target = formTarget(form);
  if ('errors' in target) return target;
  const waves = parseWaves(form.waves);
  if ('errors' in waves) return waves;
  const rate = form.rate.trim() === '' ? undefined : Number(form.rate);
  return {
    body: {
      ...(form.name.trim() ? { name: form.name.trim() } : {}),
      rpcs: form.steps.map(stepRpc),
      target: target.target,
      ...(rate === undefined ? {} : { rate: Number.isFinite(rate) ? rate : form.rate }),
      connectionRequest: form.connectionRequest,
      paused: form.paused,
      ...(waves.waves.length ? { waves: waves.waves } : {}),
    },
  };
}

/**
 * The form input an API refusal names: `rpcs.1.parameterList.0.value` belongs to step 2,
 * `target.deviceIds.3` to the target, `rate` to the rate; undefined for what no input holds
 * (for lib/forms' formErrors).
 */
export function formField(apiField: string): string | undefined {
  const parts = apiField.split('.');
  if (parts[0] === 'rpcs') return parts[1] !== undefined && /^\d+$/.test(parts[1]) ? `rpcs.${parts[1]}` : 'rpcs';
  if (parts[0] === 'target' || parts[0] === 'scan') return 'target';
  // anything else the form has no input for goes to the top of the form
  return FORM_INPUTS.has(parts[0]!) ? parts[0] : undefined;
}

const FORM_INPUTS = new Set(['name', 'rate', 'waves', 'connectionRequest', 'paused']);
