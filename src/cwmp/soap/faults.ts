import type { Fault, SetParameterValuesFault } from './types';

/** Faults the ACS returns to a CPE request (8000-8005 since CWMP 1.0, 8006 since 1.4). */
export const ACS_FAULTS: Record<number, string> = {
  8000: 'Method not supported',
  8001: 'Request denied (no reason specified)',
  8002: 'Internal error',
  8003: 'Invalid arguments',
  8004: 'Resources exceeded',
  8005: 'Retry request',
  8006: 'ACS version incompatible with CPE',
};

/** Faults a CPE returns to an ACS request (9000-9013 in 1.0, to 9019 in 1.1, to 9032 in 1.2). */
export const CPE_FAULTS: Record<number, string> = {
  9000: 'Method not supported',
  9001: 'Request denied (no reason specified)',
  9002: 'Internal error',
  9003: 'Invalid arguments',
  9004: 'Resources exceeded',
  9005: 'Invalid parameter name',
  9006: 'Invalid parameter type',
  9007: 'Invalid parameter value',
  9008: 'Attempt to set a non-writable parameter',
  9009: 'Notification request rejected',
  9010: 'File transfer failure',
  9011: 'Upload failure',
  9012: 'File transfer server authentication failure',
  9013: 'Unsupported protocol for file transfer',
  9014: 'File transfer failure: unable to join multicast group',
  9015: 'File transfer failure: unable to contact file server',
  9016: 'File transfer failure: unable to access file',
  9017: 'File transfer failure: unable to complete download',
  9018: 'File transfer failure: file corrupted',
  9019: 'File transfer failure: file authentication failure',
  9020: 'File transfer failure: unable to complete download within specified time windows',
  9021: 'Cancelation of file transfer not permitted in current transfer state',
  9022: 'Invalid UUID Format',
  9023: 'Unknown Execution Environment',
  9024: 'Disabled Execution Environment',
  9025: 'Deployment Unit to Execution Environment Mismatch',
  9026: 'Duplicate Deployment Unit',
  9027: 'System Resources Exceeded',
  9028: 'Unknown Deployment Unit',
  9029: 'Invalid Deployment Unit State',
  9030: 'Invalid Deployment Unit Update - Downgrade not permitted',
  9031: 'Invalid Deployment Unit Update - Version not specified',
  9032: 'Invalid Deployment Unit Update - Version already exists',
};

/**
 * SOAP faultcode per TR-069's fault tables: `Client` when the request itself was wrong
 * (invalid arguments; for a CPE also bad parameter names, types, values and non-writable
 * parameters), `Server` for everything else, vendor codes included.
 */
const CLIENT_FAULTS = new Set([8003, 9003, 9005, 9006, 9007, 9008]);

const VENDOR_MESSAGE = 'Vendor-specific fault';

function makeFault(
  table: Record<number, string>,
  vendorRange: readonly [number, number],
  code: number,
  message: string | undefined,
  setParameterValuesFault: SetParameterValuesFault[],
): Fault {
  const known = table[code];
  const vendor = Number.isInteger(code) && code >= vendorRange[0] && code <= vendorRange[1];
  if (known === undefined && !vendor)
    throw new RangeError(`fault code ${code} is neither standard nor vendor-specific here`);
  return {
    method: 'Fault',
    faultcode: CLIENT_FAULTS.has(code) ? 'Client' : 'Server',
    faultstring: 'CWMP fault',
    detail: { faultCode: code, faultString: message ?? known ?? VENDOR_MESSAGE, setParameterValuesFault },
  };
}

/** A fault the ACS sends to a CPE: a code of ACS_FAULTS or vendor 8800-8899. */
export function acsFault(code: number, message?: string): Fault {
  return makeFault(ACS_FAULTS, [8800, 8899], code, message, []);
}

/** A fault a CPE sends to the ACS: a code of CPE_FAULTS or vendor 9800-9899. */
export function cpeFault(code: number, message?: string, spvFaults: SetParameterValuesFault[] = []): Fault {
  return makeFault(CPE_FAULTS, [9800, 9899], code, message, spvFaults);
}
