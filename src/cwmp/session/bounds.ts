import { bounded } from '../../devices/limits';
import type { CwmpMessage, TransferFault } from '../soap/types';

/** Parameters a device message reports (Inform, the Get*Response messages, a SetParameterValues fault). */
export function parameterCount(msg: CwmpMessage): number {
  if (msg.method === 'Fault') return msg.detail.setParameterValuesFault.length;
  return 'parameterList' in msg && Array.isArray(msg.parameterList) ? msg.parameterList.length : 0;
}

/**
 * The message with every FaultString the ACS would store cut to `max` characters (a device
 * may send a megabyte of text where TR-069 allows 256), and whether anything was cut.
 */
export function boundFaultStrings<M extends CwmpMessage>(msg: M, max: number): { msg: M; cut: boolean } {
  let cut = false;
  const text = (s: string) => {
    if (s.length > max) cut = true;
    return bounded(s, max);
  };
  const struct = (f: TransferFault): TransferFault => ({ ...f, faultString: text(f.faultString) });
  switch (msg.method) {
    case 'Fault': {
      const { detail } = msg;
      const out = {
        ...msg,
        faultstring: text(msg.faultstring),
        detail: { ...detail, faultString: text(detail.faultString), setParameterValuesFault: detail.setParameterValuesFault.map((f) => ({ ...f, parameterName: text(f.parameterName), faultString: text(f.faultString) })) },
      };
      return { msg: out, cut };
    }
    case 'TransferComplete':
    case 'AutonomousTransferComplete': {
      const out = { ...msg, faultStruct: struct(msg.faultStruct) };
      return { msg: out, cut };
    }
    default:
      return { msg, cut };
  }
}
