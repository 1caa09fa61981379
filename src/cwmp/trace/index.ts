export { SessionTraceRecorder } from './recorder';
export { redactMessage, redactUrl, REDACTED } from './redact';
export { SessionTraceStore, TRACE_COLLECTION, type DeviceTraceFields } from './store';
export type { SessionEnd, SessionTrace, SessionTraceDoc, TracedCpeRequest, TracedRpc } from './types';
export { WatchedSessionStore } from './watched-store';
