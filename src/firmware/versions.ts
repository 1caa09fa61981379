import { parseLegacyVersion, parseMppVersion, type Dialect } from '../cisco/rules';
import { tryCompare } from '../profiles/selector';
import type { PolicyProblem } from './waves';

/**
 * Upgrade paths: which load a device installs next on its way to the target. Pure.
 *
 * - `stages`: loads a device must pass through (load A must go through B): a device below a
 *   stage that lies below the target installs the lowest such stage first, then moves on.
 * - `floor`: no load below it is ever installed (checked when the policy is saved, for the
 *   target and every stage).
 * - A device above the target is downgraded only when the policy allows it, straight to the
 *   target.
 */
export interface UpgradePath {
  target: string;
  stages: readonly string[];
  floor?: string;
  allowDowngrade: boolean;
}

export type Hop = { install: string } | { none: 'at-target' | 'above-target' | 'unknown-version' | 'not-comparable' };

export function nextHop(current: string | undefined, path: UpgradePath): Hop {
  if (current === undefined || current === '') return { none: 'unknown-version' };
  if (current === path.target) return { none: 'at-target' };
  const c = tryCompare(current, path.target);
  if (c === undefined) return { none: 'not-comparable' };
  if (c === 0) return { none: 'at-target' };
  if (c > 0) return path.allowDowngrade ? { install: path.target } : { none: 'above-target' };
  const stage = path.stages
    .filter((s) => tryCompare(current, s) === -1 && tryCompare(s, path.target) === -1)
    .sort((a, b) => tryCompare(a, b) ?? 0)[0];
  return { install: stage ?? path.target };
}

/**
 * Problems of a path as an operator wrote it (versions that do not parse, compare or respect
 * the floor). `dialect`: the product class's (rules/dialect.ts); an MPP phone knows only its
 * load names, so `11.0.0` is refused for it (001 L935-956), not for a Small Business device
 * (`2.0.6`: 003 L1063-1070).
 */
export function checkUpgradePath(path: UpgradePath, dialect: Dialect = 'mpp'): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  const refuse = (field: string, message: string) => void problems.push({ field, message });
  const all: [string, string][] = [['target', path.target], ...path.stages.map((s, i): [string, string] => [`stages.${i}`, s]), ...(path.floor !== undefined ? [['floor', path.floor] as [string, string]] : [])];
  const parses = (v: string) => parseMppVersion(v) !== undefined || (dialect === 'legacy' && parseLegacyVersion(v) !== undefined);
  for (const [field, v] of all) if (!parses(v)) refuse(field, `"${v.slice(0, 80)}" is not a firmware version like ${dialect === 'mpp' ? 'sip88xx.12-0-1MPP' : '2.0.6'}`);
  if (problems.length) return problems;
  path.stages.forEach((s, i) => {
    const c = tryCompare(s, path.target);
    if (c === undefined) refuse(`stages.${i}`, `stage ${s} and target ${path.target} are of different series`);
    else if (c >= 0) refuse(`stages.${i}`, `stage ${s} is not below the target ${path.target}`);
  });
  if (new Set(path.stages).size !== path.stages.length) refuse('stages', 'a stage is listed twice');
  if (path.floor !== undefined) {
    for (const [field, v] of all.filter(([f]) => f !== 'floor')) {
      const c = tryCompare(v, path.floor);
      if (c === undefined) refuse(field, `${v} and the floor ${path.floor} are of different series`);
      else if (c < 0) refuse(field, `${v} is below the downgrade floor ${path.floor}`);
    }
  }
  return problems;
}
