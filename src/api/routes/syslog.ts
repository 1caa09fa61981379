import { notFound } from '../problem';
import { defineRoute, parameters, type RouteModule } from '../route';
import { ref } from '../schemas';
import { deviceIdSchema, limitSchema, NOT_FOUND } from './common';

/** The provisioning events the syslog role collected from a phone (S24), newest first. */
export const syslogRoutes: RouteModule = (s) => {
  const events = s.syslogEvents;
  return [
    defineRoute<{ id: string }, { limit: number }>({
      method: 'GET',
      path: '/devices/{id}/syslog',
      operationId: 'listDeviceSyslogEvents',
      summary: "The device's provisioning events from its syslog messages",
      description:
        'Resync and upgrade requests, successes and failures (with the URL or the error) parsed from the messages the phone sent to the syslog role, newest first, within ACS_SYSLOG_RETENTION and at most ACS_SYSLOG_EVENTS_PER_DEVICE of them. The device is the one the MAC in the message belongs to.',
      tag: 'devices',
      role: 'viewer',
      params: parameters({ id: deviceIdSchema }, ['id']),
      query: parameters({ limit: limitSchema }),
      responses: { 200: { description: 'The events.', schema: ref('devices', 'SyslogEventList') }, 404: NOT_FOUND },
      async handle({ params, query }) {
        if (!(await s.devices.get(params.id, { _id: 1 }))) throw notFound(`device ${params.id}`);
        const items = await events.list(params.id, query.limit);
        return { body: { items: items.map((e) => ({ ...e, at: new Date(e.at).toISOString() })) } };
      },
    }),
  ];
};
