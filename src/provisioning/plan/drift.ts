import { MappingError, type Tr069Mapper } from '../../cisco/mapping';
import type { ProfileEntry } from '../../cisco/profile';
import { isLeaf, parsePath, subtree } from '../../devices/params';
import type { ParamTree } from '../../devices/types';
import { sameValue } from './config';

/**
 * Drift: where what a device last reported differs from its desired state. Reported values
 * come from the parameters the ACS learned over TR-069 (Inform, GetParameterValues, its own
 * SetParameterValues) and, for parameters without a TR-069 path, from the phone's last
 * configuration report (Report_Rule). A parameter reported neither way is `unknown`, and so is
 * a secret (devices do not read passwords back). Pure.
 */
export interface DriftItem {
  name: string;
  path?: string;
  status: 'in-sync' | 'drift' | 'unknown';
  desired?: string;
  reported?: string;
  reportedAt?: Date;
  via?: 'parameters' | 'report';
  secret?: true;
}

export interface ReportedConfig {
  config?: Record<string, string>;
  configAt?: Date;
}

export function driftOf(entries: readonly ProfileEntry[], secret: ReadonlySet<string>, mapper: Tr069Mapper, tree: ParamTree, report: ReportedConfig | undefined): DriftItem[] {
  const out: DriftItem[] = [];
  for (const e of entries) {
    if (e.selfClosing) continue;
    if (secret.has(e.name)) {
      out.push({ name: e.name, status: 'unknown', secret: true });
      continue;
    }
    const fromTree = viaParameters(e, mapper, tree);
    if (fromTree) {
      out.push(fromTree);
      continue;
    }
    const reported = report?.config?.[e.name];
    if (reported !== undefined) {
      out.push({ name: e.name, status: reported === e.value ? 'in-sync' : 'drift', desired: e.value, reported, via: 'report', ...(report?.configAt ? { reportedAt: report.configAt } : {}) });
      continue;
    }
    out.push({ name: e.name, status: 'unknown', desired: e.value });
  }
  return out;
}

function viaParameters(e: ProfileEntry, mapper: Tr069Mapper, tree: ParamTree): DriftItem | undefined {
  let list;
  try {
    const mapped = mapper.toParameterValues({ [e.name]: e.value });
    if (mapped.unmapped.length || !mapped.parameterList.length) return undefined;
    list = mapped.parameterList;
  } catch (err) {
    if (err instanceof MappingError) return undefined;
    throw err;
  }
  const known = list.map((p) => {
    const leaf = subtree(tree, parsePath(p.name).segments);
    return isLeaf(leaf) && leaf._v !== undefined ? { p, leaf } : undefined;
  });
  if (known.some((k) => k === undefined)) return undefined;
  const pairs = known as Array<NonNullable<(typeof known)[number]>>;
  const inSync = pairs.every(({ p, leaf }) => sameValue(p.value, p.type, leaf._v));
  const reported = mapper.fromParameterValues(pairs.map(({ p, leaf }) => ({ name: p.name, value: leaf._v! }))).values[e.name];
  const at = pairs.map(({ leaf }) => (leaf._ts ? new Date(leaf._ts) : undefined)).filter((d): d is Date => !!d && !Number.isNaN(d.getTime()));
  return {
    name: e.name,
    path: list[0].name,
    status: inSync ? 'in-sync' : 'drift',
    desired: e.value,
    ...(reported !== undefined ? { reported } : {}),
    ...(at.length ? { reportedAt: new Date(Math.min(...at.map((d) => d.getTime()))) } : {}),
    via: 'parameters',
  };
}
