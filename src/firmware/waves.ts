/**
 * Staged rollout arithmetic. Pure.
 *
 * Waves are cumulative: `[{ percent: 10 }, { percent: 50 }, { percent: 100 }]` upgrades 10 % of
 * the population, then up to half of it, then everyone; `{ count: n }` means up to n devices.
 * The population is the number of devices of the product class that needed the upgrade when
 * the rollout started. A 100 % wave has no cap, so devices that appear later are upgraded too.
 *
 * A wave is finished when it has admitted its size and every admitted device reported back.
 * Once `minResults` devices of a wave reported, a fault rate above `faultThreshold` pauses the
 * rollout; otherwise a finished wave opens the next one after `soakSeconds`.
 */
export interface Wave {
  percent?: number;
  count?: number;
}

export interface WaveProgress {
  admitted: number;
  done: number;
  fault: number;
  /** when the wave finished (all admitted reported), if it did */
  finishedAt?: Date;
}

export interface RolloutRules {
  waves: readonly Wave[];
  /** fraction 0..1 of faulted results above which the rollout pauses */
  faultThreshold: number;
  /** results a wave needs before its fault rate counts */
  minResults: number;
  soakSeconds: number;
}

export type RolloutStatus = 'running' | 'paused' | 'aborted';

export interface RolloutState {
  status: RolloutStatus;
  wave: number;
  population: number;
  progress: WaveProgress[];
  reason?: string;
}

/** A reason a policy is refused, and the input field it is about (dotted: `waves.1.percent`). */
export interface PolicyProblem {
  field: string;
  message: string;
}

export function checkWaves(waves: readonly Wave[]): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  const refuse = (field: string, message: string) => void problems.push({ field, message });
  if (!waves.length) refuse('waves', 'waves must list at least one wave');
  let last = 0;
  waves.forEach((w, i) => {
    const given = (w.percent !== undefined ? 1 : 0) + (w.count !== undefined ? 1 : 0);
    if (given !== 1) return refuse(`waves.${i}`, `waves.${i} needs exactly one of percent and count`);
    if (w.percent !== undefined && !(w.percent > 0 && w.percent <= 100)) refuse(`waves.${i}.percent`, `waves.${i}.percent must be above 0 and at most 100`);
    if (w.count !== undefined && !(Number.isInteger(w.count) && w.count > 0)) refuse(`waves.${i}.count`, `waves.${i}.count must be a positive integer`);
    if (w.percent === 100 && i !== waves.length - 1) refuse(`waves.${i}.percent`, `waves.${i}: a 100 % wave must be the last`);
    const rank = w.percent ?? 0;
    if (w.percent !== undefined && rank < last) refuse(`waves.${i}.percent`, `waves.${i}: waves are cumulative, so percentages cannot decrease`);
    if (w.percent !== undefined) last = rank;
  });
  return problems;
}

/** Cumulative caps of the waves for a population (Infinity for a 100 % wave). */
export function waveCaps(waves: readonly Wave[], population: number): number[] {
  let previous = 0;
  return waves.map((w) => {
    const cap = w.percent === 100 ? Infinity : w.percent !== undefined ? Math.ceil((w.percent / 100) * population) : w.count!;
    previous = Math.max(previous, cap);
    return previous;
  });
}

/** Devices wave `i` admits (its cap minus the caps before it). */
export function waveSize(waves: readonly Wave[], population: number, i: number): number {
  const caps = waveCaps(waves, population);
  return caps[i] - (i > 0 ? caps[i - 1] : 0);
}

export function isFinished(p: WaveProgress, size: number): boolean {
  return p.admitted >= size && p.done + p.fault >= p.admitted;
}

export type Verdict = 'pause' | 'finished' | 'continue';

/** What a wave's results say once one more arrived. */
export function judgeWave(p: WaveProgress, size: number, rules: Pick<RolloutRules, 'faultThreshold' | 'minResults'>): Verdict {
  const results = p.done + p.fault;
  if (results > 0 && results >= Math.min(rules.minResults, size) && p.fault / results > rules.faultThreshold) return 'pause';
  return isFinished(p, size) ? 'finished' : 'continue';
}

/**
 * The wave that takes new devices now, or undefined: paused or aborted, the current wave full
 * and not finished, or finished but still soaking, or the last wave full.
 */
export function admittingWave(state: RolloutState, rules: RolloutRules, now: Date): number | undefined {
  if (state.status !== 'running') return undefined;
  for (let i = state.wave; i < rules.waves.length; i++) {
    const size = waveSize(rules.waves, state.population, i);
    const p = state.progress[i] ?? { admitted: 0, done: 0, fault: 0 };
    if (p.admitted < size) return i;
    if (!isFinished(p, size)) return undefined;
    const soaked = p.finishedAt !== undefined && now.getTime() - p.finishedAt.getTime() >= rules.soakSeconds * 1000;
    if (!soaked) return undefined;
  }
  return undefined;
}
