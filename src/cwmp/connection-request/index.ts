export { sendConnectionRequest, type WakeOptions, type WakeResult } from './client';
