import type { CommandStartedEvent } from 'mongodb';
import { TRACE_COLLECTION } from '../../src/cwmp/trace';

/**
 * A grouped write of finished session traces: many sessions share it, off their own path
 * (test/integration/cwmp/trace.test.ts counts them), so it is not one session's round trip.
 */
export function isTraceWrite(e: CommandStartedEvent): boolean {
  return e.command[e.commandName] === TRACE_COLLECTION;
}
