import { PassThrough } from 'node:stream';
import type { LiveEvent } from '../../console/events';
import { apiMetrics } from '../metrics';
import type { Principal } from '../principal';
import { notFound } from '../problem';
import { defineRoute, parameters, type RouteModule } from '../route';
import { ref } from '../schemas';
import { deviceIdSchema, NOT_FOUND } from './common';

/** A client that lets this much pile up unread is dropped (it reconnects and reloads). */
const MAX_BUFFERED = 1024 * 1024;

function frame(event: LiveEvent): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/**
 * The console's live feed as Server-Sent Events: sessions starting and ending, tasks
 * finishing, values refreshed, devices changed, for one device or all. Authenticated like
 * every route (cookie or token); a comment line every ACS_CONSOLE_EVENTS_HEARTBEAT seconds.
 */
export const eventRoutes: RouteModule = (s) => [
  defineRoute<Record<string, never>, { deviceId?: string }>({
    method: 'GET',
    path: '/events',
    operationId: 'streamEvents',
    summary: 'Live events (Server-Sent Events): sessions, tasks, refreshed parameters, device changes',
    description:
      'A `text/event-stream` that stays open. Each event has `event: <type>` and `data: <LiveEvent JSON>`; a comment line (`: heartbeat`) comes every ACS_CONSOLE_EVENTS_HEARTBEAT seconds. ' +
      'Only events from the moment of connecting are sent: reload the state after (re)connecting.',
    tag: 'events',
    role: 'viewer',
    query: parameters({ deviceId: { ...deviceIdSchema, description: 'only this device\'s events' } }),
    responses: {
      200: { description: 'The event stream; each `data` is a LiveEvent.', contentType: 'text/event-stream', schema: { type: 'string', contentMediaType: 'text/event-stream', 'x-acs-event': ref('events', 'LiveEvent') } },
      404: NOT_FOUND,
    },
    async handle({ query, koa }) {
      const only = query.deviceId;
      if (only && !(await s.devices.get(only, { _id: 1 }))) throw notFound(`device ${only}`);
      const stream = new PassThrough();
      let beat: NodeJS.Timeout | undefined;
      let stop = () => undefined as void;
      let open = true;
      const done = () => {
        if (!open) return;
        open = false;
        apiMetrics.eventStreams.dec();
        clearInterval(beat);
        stop();
        if (!stream.writableEnded) stream.end();
      };
      apiMetrics.eventStreams.inc();
      stop = await s.live.subscribe((event) => {
        if (only && event.deviceId !== only) return;
        if (stream.writableLength > MAX_BUFFERED) return done();
        stream.write(frame(event));
      }, done);
      // A signed-in stream ends with its session (sign-out, expiry, user disabled); watching is no use that keeps it alive.
      const { sessionId } = koa.state.principal as Principal;
      const heartbeat = async () => {
        if (sessionId && !(await s.auth.session(sessionId, false).catch(() => undefined))) return done();
        stream.write(': heartbeat\n\n');
      };
      beat = setInterval(() => void heartbeat(), s.config.console.eventsHeartbeatSeconds * 1000);
      beat.unref();
      koa.req.on('close', done);
      stream.on('error', done);
      stream.write(`retry: 3000\n: connected\n\n`);
      return {
        body: stream,
        headers: { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', 'X-Accel-Buffering': 'no' },
      };
    },
  }),
];
