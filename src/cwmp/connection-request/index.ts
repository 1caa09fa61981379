export { parseBlockedNetworks, type BlockedNetworks } from './blocked-networks';
export { sendConnectionRequest, type WakeOptions, type WakeResult } from './client';
