import type { AcsRequest, ParameterValueStruct, XsdType } from '../cwmp/soap/types';
import { encodeValue, tryDecodeValue } from '../cwmp/soap/values';
import { invalidField } from './problem';

/** An SPV item as the API accepts it: the type may be left to the value. */
type LooseValue = Omit<ParameterValueStruct, 'type'> & { type?: XsdType };

/**
 * The RPC as the session will send it, from a body that passed the schema: SetParameterValues
 * items get a type from their value when none was given, and a value that its type cannot
 * carry ("abc" as xsd:int) is refused here, naming the field, rather than faulting on the
 * device. `field` is where the RPC sits in the body (`rpc`, `rpcs.2`).
 */
export function normaliseRpc(rpc: AcsRequest, field: string): AcsRequest {
  if (rpc.method !== 'SetParameterValues') return rpc;
  const names = new Set<string>();
  const parameterList = (rpc.parameterList as LooseValue[]).map((p, i) => {
    const at = `${field}.parameterList.${i}`;
    if (p.name.endsWith('.')) throw invalidField('body', `${at}.name`, 'must name a parameter, not an object');
    if (names.has(p.name)) throw invalidField('body', `${at}.name`, `sets ${p.name} a second time`);
    names.add(p.name);
    const type = p.type ?? inferType(p.value);
    let text: string;
    try {
      text = encodeValue(p.value, type);
    } catch {
      throw invalidField('body', `${at}.value`, `${JSON.stringify(p.value)} is not a valid ${type}`);
    }
    // Stored as the device will report it ("5" as xsd:int is 5), so filters match later.
    return { name: p.name, value: tryDecodeValue(text, type) ?? p.value, type };
  });
  return { ...rpc, parameterList };
}

function inferType(value: ParameterValueStruct['value']): XsdType {
  if (typeof value === 'boolean') return 'xsd:boolean';
  if (typeof value === 'number') return Number.isInteger(value) ? (value < 0 ? 'xsd:int' : 'xsd:unsignedInt') : 'xsd:decimal';
  return 'xsd:string';
}
