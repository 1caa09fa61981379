import type { MacDirectory } from '../devices/mac-directory';
import type { Logger } from '../log';
import { parseFrame, parseProvisioningMessage, type ProvisioningMessage } from './parse';
import type { SyslogEventStore } from './store';

/**
 * From a syslog message to a device's event. The device is found by the MAC the message
 * carries (`$MAC` in the default templates, 000 L240-262), through the MAC directory: the
 * sender's address is recorded but identifies nothing (phones sit behind NAT, 001 L1702-1710,
 * and UDP sources are trivially forged). Messages that are not provisioning messages, or
 * whose MAC no device has, are dropped. One phone's messages are recorded in the order they
 * arrived (a resync's request before its outcome), others' alongside.
 */
export function syslogCollector(deps: { macs: MacDirectory; events: SyslogEventStore; log: Logger }): (text: string, from: string) => Promise<void> {
  const chains = new Map<string, Promise<void>>();
  const handle = async (message: ProvisioningMessage, from: string) => {
    const deviceId = await deps.macs.lookup(message.mac);
    if (!deviceId) {
      deps.log.debug({ mac: message.mac, from }, 'syslog message from an unknown MAC dropped');
      return;
    }
    await deps.events.record(deviceId, message, from);
  };
  return async (text, from) => {
    const message = parseProvisioningMessage(parseFrame(text).message);
    if (!message) return;
    const done = (chains.get(message.mac) ?? Promise.resolve()).then(() => handle(message, from));
    const settled = done.catch(() => undefined);
    chains.set(message.mac, settled);
    void settled.then(() => {
      if (chains.get(message.mac) === settled) chains.delete(message.mac);
    });
    await done;
  };
}
