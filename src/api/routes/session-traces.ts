import type { SessionTraceDoc } from '../../cwmp/trace';
import { decodeCursor, encodeCursor } from '../pagination';
import { invalidField, notFound } from '../problem';
import { defineRoute, parameters, type RouteModule } from '../route';
import { ref } from '../schemas';
import { cursorSchema, deviceIdSchema, NOT_FOUND } from './common';

const idParams = parameters({ id: deviceIdSchema }, ['id']);

/** The last CWMP sessions of a device, and the switch that keeps their SOAP bodies. */
export const sessionTraceRoutes: RouteModule = (s) => {
  const { traces } = s;
  const device = async (id: string) => {
    const fields = await traces.device(id);
    if (!fields) throw notFound(`device ${id}`);
    return fields;
  };
  return [
    defineRoute<{ id: string }, { limit: number; cursor?: string }>({
      method: 'GET',
      path: '/devices/{id}/sessions',
      operationId: 'listDeviceSessions',
      summary: "The device's last CWMP sessions, newest first",
      description: 'Each with its events, the RPCs the ACS sent and their outcome, and how it ended. The ACS keeps the last ACS_TRACE_SESSIONS_PER_DEVICE sessions of each device for ACS_TRACE_RETENTION_DAYS.',
      tag: 'devices',
      role: 'viewer',
      params: idParams,
      query: parameters({ limit: { type: 'integer', minimum: 1, maximum: 100, default: 20, description: 'Sessions per page.' }, cursor: cursorSchema }),
      responses: { 200: { description: 'A page of sessions.', schema: ref('sessions', 'SessionPage') }, 404: NOT_FOUND },
      async handle({ params, query }) {
        const { traceSeq = 0 } = await device(params.id);
        const before = query.cursor ? (decodeCursor(query.cursor, ['any'])[0] as number) : traceSeq + 1;
        if (!Number.isInteger(before) || before < 1) throw invalidField('query', 'cursor', 'does not belong to this list');
        const { items, more } = await traces.list(params.id, traceSeq, before, query.limit);
        const last = items[items.length - 1];
        return { body: { items: items.map(summaryView), nextCursor: more && last ? encodeCursor([last.seq]) : null } };
      },
    }),

    defineRoute<{ id: string; sessionId: number }>({
      method: 'GET',
      path: '/devices/{id}/sessions/{sessionId}',
      operationId: 'getDeviceSession',
      summary: 'One session of the device with its RPC sequence (and SOAP bodies, secrets redacted, if it was traced)',
      tag: 'devices',
      role: 'viewer',
      params: parameters({ id: deviceIdSchema, sessionId: { type: 'integer', minimum: 1, description: 'the session number from the list' } }, ['id', 'sessionId']),
      responses: { 200: { description: 'The session.', schema: ref('sessions', 'SessionTrace') }, 404: NOT_FOUND },
      async handle({ params }) {
        const doc = await traces.get(params.id, params.sessionId);
        if (!doc) throw notFound(`session ${params.sessionId} of device ${params.id}`);
        return { body: sessionView(doc) };
      },
    }),

    defineRoute<{ id: string }, Record<string, never>, { for: number }>({
      method: 'PUT',
      path: '/devices/{id}/trace',
      operationId: 'traceDevice',
      summary: "Keep the SOAP bodies of the device's sessions for a while",
      description: 'Secrets are redacted before anything is kept: values of parameters whose names look like passwords, keys, secrets or tokens, Download/Upload credentials, and URL credentials and queries. HTTP headers are never kept.',
      tag: 'devices',
      role: 'operator',
      audit: 'device.trace',
      params: idParams,
      body: { schema: ref('sessions', 'TraceSwitch'), required: false },
      responses: { 200: { description: 'Tracing is on until then.', schema: ref('sessions', 'TraceState') }, 404: NOT_FOUND },
      async handle({ params, body }) {
        const until = new Date(Date.now() + body.for * 1000);
        if (!(await traces.traceBodies(params.id, until))) throw notFound(`device ${params.id}`);
        return { body: { deviceId: params.id, until: until.toISOString() }, audit: { details: { until: until.toISOString() } } };
      },
    }),

    defineRoute<{ id: string }>({
      method: 'DELETE',
      path: '/devices/{id}/trace',
      operationId: 'untraceDevice',
      summary: "Stop keeping the SOAP bodies of the device's sessions",
      tag: 'devices',
      role: 'operator',
      audit: 'device.untrace',
      params: idParams,
      responses: { 204: { description: 'Tracing is off.' }, 404: NOT_FOUND },
      async handle({ params }) {
        if (!(await traces.traceBodies(params.id, null))) throw notFound(`device ${params.id}`);
        return {};
      },
    }),
  ];
};

/** In lists, RPCs come without their bodies. */
function summaryView(doc: SessionTraceDoc) {
  return { ...common(doc), rpcs: doc.rpcs.map(({ request: _request, response: _response, ...rpc }) => rpc) };
}

function sessionView(doc: SessionTraceDoc) {
  return { ...common(doc), rpcs: doc.rpcs, cpeRequests: doc.cpeRequests, ...(doc.inform !== undefined ? { inform: doc.inform } : {}) };
}

function common(doc: SessionTraceDoc) {
  return {
    id: doc.seq,
    deviceId: doc.deviceId,
    source: doc.source,
    cwmpVersion: doc.cwmpVersion,
    ...(doc.softwareVersion !== undefined ? { softwareVersion: doc.softwareVersion } : {}),
    startedAt: doc.startedAt.toISOString(),
    endedAt: doc.endedAt.toISOString(),
    durationMs: doc.durationMs,
    outcome: doc.outcome,
    ...(doc.reason ? { reason: doc.reason } : {}),
    events: doc.events,
    faults: doc.faults,
    bodies: doc.bodies,
  };
}
