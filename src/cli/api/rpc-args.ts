import type { AcsRequest, XsdType } from '../../cwmp/soap/types';
import { XSD_TYPES } from '../../cwmp/soap/types';
import { UsageError } from '../errors';

/** Short names for the common RPCs; any CWMP method name works too, with --rpc for its arguments. */
export const RPC_SHORTCUTS = {
  get: 'GetParameterValues NAME... (a path ending in . gets the subtree)',
  set: 'SetParameterValues NAME[:TYPE]=VALUE... (TYPE: string, int, unsignedInt, boolean, dateTime, ...; default string)',
  names: 'GetParameterNames PATH [next-level]',
  attributes: 'GetParameterAttributes NAME...',
  reboot: 'Reboot',
  'factory-reset': 'FactoryReset',
  download: 'Download URL FILETYPE (e.g. "1 Firmware Upgrade Image")',
  'add-object': 'AddObject PATH.',
  'delete-object': 'DeleteObject PATH.',
  methods: 'GetRPCMethods',
} as const;

/**
 * The RPC a command line asks for: `get Device.DeviceInfo.`, `set X:unsignedInt=5`, `reboot`,
 * or a method name whose arguments come as JSON in `--rpc`. The API validates the result.
 */
export function parseRpc(method: string, args: string[], rpcJson?: string): AcsRequest {
  if (rpcJson !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(rpcJson);
    } catch (err) {
      throw new UsageError(`--rpc is not JSON: ${(err as Error).message}`);
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new UsageError('--rpc must be a JSON object');
    return { method, ...(parsed as object) } as AcsRequest;
  }
  const need = (n: number, what: string) => {
    if (args.length < n) throw new UsageError(`${method} needs ${what}`);
  };
  switch (method) {
    case 'get':
      need(1, 'at least one parameter name');
      return { method: 'GetParameterValues', parameterNames: args };
    case 'attributes':
      need(1, 'at least one parameter name');
      return { method: 'GetParameterAttributes', parameterNames: args };
    case 'set':
      need(1, 'at least one NAME[:TYPE]=VALUE');
      return { method: 'SetParameterValues', parameterKey: '', parameterList: args.map(parseAssignment) };
    case 'names':
      need(1, 'a parameter path');
      return { method: 'GetParameterNames', parameterPath: args[0], nextLevel: args[1] === 'next-level' };
    case 'reboot':
      return { method: 'Reboot', commandKey: '' };
    case 'factory-reset':
      return { method: 'FactoryReset' };
    case 'methods':
      return { method: 'GetRPCMethods' };
    case 'add-object':
    case 'delete-object':
      need(1, 'an object path ending in "."');
      return { method: method === 'add-object' ? 'AddObject' : 'DeleteObject', objectName: args[0], parameterKey: '' };
    case 'download':
      need(2, 'a URL and a file type');
      return { method: 'Download', url: args[0], fileType: args[1] } as AcsRequest;
    default:
      if (/^[A-Z][A-Za-z]+$/.test(method) && !args.length) return { method } as AcsRequest;
      throw new UsageError(`unknown RPC ${JSON.stringify(method)}: use one of ${Object.keys(RPC_SHORTCUTS).join(', ')}, or a CWMP method name with --rpc '{...}'`);
  }
}

function parseAssignment(text: string): { name: string; value: string | number | boolean; type: XsdType } {
  const m = /^([^=:]+)(?::([A-Za-z]+))?=(.*)$/s.exec(text);
  if (!m) throw new UsageError(`${JSON.stringify(text)} is not NAME[:TYPE]=VALUE`);
  const type = `xsd:${m[2] ?? 'string'}` as XsdType;
  if (!XSD_TYPES.includes(type)) throw new UsageError(`unknown type ${JSON.stringify(m[2])} in ${JSON.stringify(text)}: use one of ${XSD_TYPES.map((t) => t.slice(4)).join(', ')}`);
  return { name: m[1], value: m[3], type };
}
