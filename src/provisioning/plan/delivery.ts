import type { Tr069Mapper } from '../../cisco/mapping';
import { MappingError } from '../../cisco/mapping';
import type { ParameterValueStruct } from '../../cwmp/soap/types';
import { leaves } from '../../devices/params';
import type { ParamTree } from '../../devices/types';

/**
 * How desired Cisco parameters reach a phone: by SetParameterValues where the TR-069 path is
 * confirmed (an operator's override, or a path the phone's learned data model has), by the
 * rendered configuration file (Download `3 Vendor Configuration File`) for everything else.
 * The catalogue's own paths are unconfirmed candidates, so without an override or a learned
 * model every parameter goes by file: each one is deliverable either way.
 */
export interface DeliveryPlan {
  parameterValues: ParameterValueStruct[];
  /** XML names that go by file */
  byFile: string[];
}

export function planDelivery(values: Record<string, string>, mapper: Tr069Mapper, learnedPaths?: ReadonlySet<string>): DeliveryPlan {
  const parameterValues: ParameterValueStruct[] = [];
  const byFile: string[] = [];
  for (const [name, value] of Object.entries(values)) {
    const m = mapper.resolve(name);
    const paths = m ? [m.path, ...(m.portPath ? [m.portPath] : [])] : [];
    const confirmed = m !== undefined && (m.origin === 'override' || paths.every((p) => learnedPaths?.has(p)));
    if (!confirmed) {
      byFile.push(name);
      continue;
    }
    try {
      const mapped = mapper.toParameterValues({ [name]: value });
      if (mapped.unmapped.length) byFile.push(name);
      else parameterValues.push(...mapped.parameterList);
    } catch (err) {
      // A value TR-069 cannot express (e.g. an enum option with no TR-069 form) still fits the file.
      if (!(err instanceof MappingError)) throw err;
      byFile.push(name);
    }
  }
  return { parameterValues, byFile };
}

/** Paths known to exist on the device: those of its model's learned data model, and those it reported itself. */
export function confirmedPaths(model: ReadonlySet<string> | undefined, tree: ParamTree): Set<string> {
  const confirmed = new Set(model ?? []);
  for (const [path] of leaves(tree)) confirmed.add(path);
  return confirmed;
}
