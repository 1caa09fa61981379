import type { Filter } from 'mongodb';
import { andId, deviceQuery, unindexedFields, type DeviceFilter } from '../../devices/filter';
import { publishLive } from '../../console/events';
import { matchingDevices } from '../../devices/matching';
import { isValidPath, parsePath } from '../../devices/params';
import type { DeviceDoc, ParamTree } from '../../devices/types';
import { conditionsAfter, decodeCursor, toPage } from '../pagination';
import { invalidField, notFound } from '../problem';
import { defineRoute, parameters, type RouteModule } from '../route';
import { ref } from '../schemas';
import { DEVICE_VIEW_FIELDS, deviceView } from '../views';
import { cursorSchema, deviceIdSchema, limitSchema, NOT_FOUND } from './common';

interface ListQuery {
  q?: string;
  id?: string[];
  productClass?: string;
  oui?: string;
  serialNumber?: string;
  softwareVersion?: string;
  tag?: string[];
  lastInformAfter?: string;
  lastInformBefore?: string;
  param?: string[];
  scan: boolean;
  sort: keyof typeof SORTS;
  limit: number;
  cursor?: string;
  fields?: string;
}

/** Sort orders of the list; each is served by an index on (field, _id) (migrations 002 and 010). */
const SORTS = {
  id: { field: '_id', dir: 1 },
  lastInformAt: { field: 'lastInformAt', dir: 1 },
  '-lastInformAt': { field: 'lastInformAt', dir: -1 },
  lastBootAt: { field: 'lastBootAt', dir: 1 },
  '-lastBootAt': { field: 'lastBootAt', dir: -1 },
  registeredAt: { field: 'registeredAt', dir: 1 },
  '-registeredAt': { field: 'registeredAt', dir: -1 },
} as const;

/** Most devices a search box query selects; past it the answer says `matchesTruncated`. */
export const SEARCH_CAP = 1000;

/** Top-level fields of a device in lists (its parameters only when asked for). */
const SUMMARY: Record<string, 1> = Object.fromEntries(DEVICE_VIEW_FIELDS.map((f) => [f, 1]));

const fieldsSchema = { type: 'string', maxLength: 4096, description: 'comma-separated parameter names or paths ending in `.` to include' };
const idParams = parameters({ id: deviceIdSchema }, ['id']);

export const deviceRoutes: RouteModule = (s) => {
  /** Tells open consoles (GET /events) that the device changed. */
  const deviceChanged = (deviceId: string, change: string) =>
    publishLive(s.redis, s.config.redisPrefix, { type: 'device', deviceId, change, at: new Date().toISOString() }).catch((err) =>
      s.log.warn({ event: 'live.publish_failed', err: (err as Error).message }, 'could not publish a device change'),
    );
  /** A page (plus one row) of devices in the list's sort order; one or two index ranges on MongoDB. */
  const pageByDevices = async (filter: DeviceFilter, q: ListQuery): Promise<DeviceDoc[]> => {
    const sort = SORTS[q.sort];
    const query = deviceQuery(filter);
    const order: Record<string, 1 | -1> = sort.field === '_id' ? { _id: sort.dir } : { [sort.field]: sort.dir, _id: sort.dir };
    const rows: DeviceDoc[] = [];
    const parts = q.cursor ? after(query, sort, decodeCursor(q.cursor, sort.field === '_id' ? ['string'] : ['any', 'string'])) : [query];
    for (const part of parts) {
      if (rows.length > q.limit) break;
      for await (const d of s.devices.find(part, { projection: SUMMARY, sort: order, limit: q.limit + 1 - rows.length })) rows.push(d);
    }
    return rows;
  };
  /** The same with conditions on parameters: `device_params` is read in id order until the page is full. */
  const pageByParams = async (filter: DeviceFilter, q: ListQuery): Promise<DeviceDoc[]> => {
    if (q.sort !== 'id') throw invalidField('query', 'sort', 'must be "id" when filtering on parameters');
    const rows: DeviceDoc[] = [];
    const afterId = q.cursor ? (decodeCursor(q.cursor, ['string'])[0] as string) : '';
    for await (const docs of matchingDevices(s.devices, filter, { after: afterId, batchSize: 1000, projection: SUMMARY })) {
      rows.push(...docs);
      if (rows.length > q.limit) break;
    }
    return rows.slice(0, q.limit + 1);
  };
  /** The asked-for parameters of a page's devices, read by `_id` (an index lookup everywhere). */
  const loadParams = async (ids: string[], fields: string[]): Promise<Map<string, ParamTree>> => {
    const projection = paramsProjection(fields);
    const out = new Map<string, ParamTree>();
    for (let i = 0; i < ids.length; i += 50) {
      const docs = await Promise.all(ids.slice(i, i + 50).map((id) => s.devices.paramsOf(id, projection)));
      for (const d of docs) if (d) out.set(d._id, d.params);
    }
    return out;
  };
  return [
    defineRoute<Record<string, never>, ListQuery>({
      method: 'GET',
      path: '/devices',
      operationId: 'listDevices',
      summary: 'List devices matching a filter, one page at a time',
      description:
        'Conditions combine with AND. Every condition except `param` uses an index; `param` needs `scan=true` because it reads every device. ' +
        'Pages follow `nextCursor`; a cursor is only valid with the filter and sort that produced it.',
      tag: 'devices',
      role: 'viewer',
      query: parameters({
        q: {
          type: 'string',
          minLength: 1,
          maxLength: 128,
          description:
            'The search box: devices with a serial number, MAC address (any notation: `00:0E:08:AA:BB:CC`, `000e.08aa.bbcc`, `000E08AABBCC`, or its start), device id, IP address (reported or of the connection-request URL), tag, product class, software version, ' +
            'or a line\'s SIP user, display name or directory number (Cisco `User_ID_n_`/`Display_Name_n_`, TR-104 `AuthUserName`/`DirectoryNumber`, as last read with GetParameterValues) that starts with this text, case-insensitively. ' +
            `Read from an index of its own; combines with the other conditions. At most ${SEARCH_CAP} devices are selected (\`matchesTruncated\` says when more matched).`,
        },
        id: { type: 'array', maxItems: 100, items: deviceIdSchema, description: 'device ids (repeat the parameter)' },
        productClass: { type: 'string', minLength: 1, maxLength: 64 },
        oui: { type: 'string', minLength: 1, maxLength: 6 },
        serialNumber: { type: 'string', minLength: 1, maxLength: 64 },
        softwareVersion: { type: 'string', minLength: 1, maxLength: 128 },
        tag: { type: 'array', maxItems: 16, items: ref('common', 'Tag'), description: 'devices carrying every one of these tags' },
        lastInformAfter: { ...ref('common', 'Timestamp'), description: 'last Inform at or after' },
        lastInformBefore: { ...ref('common', 'Timestamp'), description: 'last Inform before' },
        param: { type: 'array', maxItems: 16, items: { type: 'string', pattern: '^[^=]{1,256}=', maxLength: 1300 }, description: '`NAME=VALUE`: the parameter\'s last reported value (no index: needs scan=true)' },
        scan: { type: 'boolean', default: false, description: 'allow conditions that read every device' },
        sort: { enum: Object.keys(SORTS), default: 'id' },
        limit: limitSchema,
        cursor: cursorSchema,
        fields: fieldsSchema,
      }),
      responses: { 200: { description: 'A page of devices.', schema: ref('devices', 'DevicePage') } },
      async handle({ query }) {
        const filter = listFilter(query);
        let matchesTruncated: boolean | undefined;
        if (query.q !== undefined) {
          const found = await s.search.find(query.q, SEARCH_CAP);
          matchesTruncated = found.truncated;
          filter.ids = filter.ids ? filter.ids.filter((id) => found.ids.includes(id)) : found.ids;
          // In id order with no other condition, the page is known from the ids alone: read only its devices.
          if (query.sort === 'id' && Object.keys(filter).length === 1) {
            const afterId = query.cursor ? (decodeCursor(query.cursor, ['string'])[0] as string) : '';
            filter.ids = filter.ids.filter((id) => id > afterId).sort().slice(0, query.limit + 1);
          }
          if (!filter.ids.length) return { body: { items: [], nextCursor: null, matchesTruncated } };
        }
        const unindexed = unindexedFields(filter);
        if (unindexed.length && !query.scan) {
          throw invalidField('query', 'param', `(${unindexed[0].replace(/^params\./, '')}) has no index and would read every device; add scan=true to do that anyway`);
        }
        const sort = SORTS[query.sort];
        const fields = parseFields(query.fields);
        const rows = filter.params ? await pageByParams(filter, query) : await pageByDevices(filter, query);
        const shown = rows.slice(0, query.limit);
        const params = fields?.length ? await loadParams(shown.map((d) => d._id), fields) : new Map<string, ParamTree>();
        const key = (d: DeviceDoc): unknown[] => (sort.field === '_id' ? [d._id] : [d[sort.field as 'lastBootAt'] ?? null, d._id]);
        const page = toPage(rows, query.limit, (d) => deviceView(d, params.get(d._id), fields ?? []), key);
        return { body: matchesTruncated === undefined ? page : { ...page, matchesTruncated } };
      },
    }),

    defineRoute<{ id: string }, { fields?: string }>({
      method: 'GET',
      path: '/devices/{id}',
      operationId: 'getDevice',
      summary: 'One device with its learned parameters',
      tag: 'devices',
      role: 'viewer',
      params: idParams,
      query: parameters({ fields: fieldsSchema }),
      responses: { 200: { description: 'The device.', schema: ref('devices', 'Device') }, 404: NOT_FOUND },
      async handle({ params, query }) {
        const fields = parseFields(query.fields);
        const doc = await s.devices.getWithParams(params.id, fields ? paramsProjection(fields) : undefined);
        if (!doc) throw notFound(`device ${params.id}`);
        return { body: deviceView(doc, doc.params, fields) };
      },
    }),

    defineRoute<{ id: string }>({
      method: 'DELETE',
      path: '/devices/{id}',
      operationId: 'deleteDevice',
      summary: 'Forget a device; its pending tasks are cancelled',
      tag: 'devices',
      role: 'admin',
      audit: 'device.delete',
      params: idParams,
      responses: { 204: { description: 'Deleted.' }, 404: NOT_FOUND },
      async handle({ params }) {
        const keys = (await s.devices.get(params.id, { searchKeys: 1 }))?.searchKeys;
        if (!(await s.devices.delete(params.id))) throw notFound(`device ${params.id}`);
        await Promise.all([s.fleet.forget(params.id), s.search.remove(params.id, keys ?? [])]);
        const cancelled = await s.tasks.cancelPendingOfDevice(params.id, new Date());
        return { audit: { details: { cancelledTasks: cancelled } } };
      },
    }),

    defineRoute<{ id: string; tag: string }>({
      method: 'PUT',
      path: '/devices/{id}/tags/{tag}',
      operationId: 'tagDevice',
      summary: 'Add a tag to a device',
      tag: 'devices',
      role: 'operator',
      audit: 'device.tag',
      params: parameters({ id: deviceIdSchema, tag: ref('common', 'Tag') }, ['id', 'tag']),
      responses: { 204: { description: 'The device carries the tag.' }, 404: NOT_FOUND },
      async handle({ params }) {
        if (!(await s.devices.addTag(params.id, params.tag))) throw notFound(`device ${params.id}`);
        await Promise.all([deviceChanged(params.id, 'tags'), s.search.refresh(params.id)]);
        return { audit: { details: { tag: params.tag } } };
      },
    }),

    defineRoute<{ id: string; tag: string }>({
      method: 'DELETE',
      path: '/devices/{id}/tags/{tag}',
      operationId: 'untagDevice',
      summary: 'Remove a tag from a device',
      tag: 'devices',
      role: 'operator',
      audit: 'device.untag',
      params: parameters({ id: deviceIdSchema, tag: ref('common', 'Tag') }, ['id', 'tag']),
      responses: { 204: { description: 'The device no longer carries the tag.' }, 404: NOT_FOUND },
      async handle({ params }) {
        if (!(await s.devices.removeTag(params.id, params.tag))) throw notFound(`device ${params.id}`);
        await Promise.all([deviceChanged(params.id, 'tags'), s.search.refresh(params.id)]);
        return { audit: { details: { tag: params.tag } } };
      },
    }),

    defineRoute<{ id: string }, Record<string, never>, { username: string; password: string }>({
      method: 'PUT',
      path: '/devices/{id}/connection-request-auth',
      operationId: 'setConnectionRequestAuth',
      summary: "Set the credential the ACS uses for the device's connection requests",
      description: 'Overrides ACS_CR_USERNAME/ACS_CR_PASSWORD for this device. The password is stored for use and never shown.',
      tag: 'devices',
      role: 'admin',
      audit: 'device.set_connection_request_auth',
      params: idParams,
      body: { schema: ref('devices', 'ConnectionRequestAuth') },
      responses: { 204: { description: 'Stored.' }, 404: NOT_FOUND },
      async handle({ params, body }) {
        if (!(await s.devices.setConnectionRequestAuth(params.id, body))) throw notFound(`device ${params.id}`);
        return { audit: { details: { username: body.username } } };
      },
    }),

    defineRoute<{ id: string }>({
      method: 'DELETE',
      path: '/devices/{id}/connection-request-auth',
      operationId: 'clearConnectionRequestAuth',
      summary: "Drop the device's own connection-request credential (the default applies again)",
      tag: 'devices',
      role: 'admin',
      audit: 'device.clear_connection_request_auth',
      params: idParams,
      responses: { 204: { description: 'Dropped.' }, 404: NOT_FOUND },
      async handle({ params }) {
        if (!(await s.devices.setConnectionRequestAuth(params.id, null))) throw notFound(`device ${params.id}`);
        return {};
      },
    }),
  ];
};

function listFilter(q: ListQuery): DeviceFilter {
  const filter: DeviceFilter = {};
  if (q.id?.length) filter.ids = q.id;
  if (q.productClass !== undefined) filter.productClass = q.productClass;
  if (q.oui !== undefined) filter.oui = q.oui;
  if (q.serialNumber !== undefined) filter.serialNumber = q.serialNumber;
  if (q.softwareVersion !== undefined) filter.softwareVersion = q.softwareVersion;
  if (q.tag?.length) filter.tags = q.tag;
  if (q.lastInformAfter) filter.lastInformAfter = q.lastInformAfter;
  if (q.lastInformBefore) filter.lastInformBefore = q.lastInformBefore;
  for (const [i, entry] of (q.param ?? []).entries()) {
    const at = entry.indexOf('=');
    const name = entry.slice(0, at);
    if (!isValidPath(name) || name.endsWith('.')) throw invalidField('query', `param.${i}`, `names no parameter: ${JSON.stringify(name.slice(0, 80))}`);
    (filter.params ??= {})[name] = entry.slice(at + 1);
  }
  return filter;
}

/** Parameter paths asked for with `fields`; undefined when the parameter was not given. */
function parseFields(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  const fields = text
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  if (fields.length > 100) throw invalidField('query', 'fields', 'lists more than 100 parameters');
  for (const f of fields) if (!isValidPath(f)) throw invalidField('query', 'fields', `contains ${JSON.stringify(f.slice(0, 80))}, which is not a parameter path`);
  return fields;
}

/** Projection of the parameter subtrees asked for, without paths nested in others (MongoDB refuses those). */
function paramsProjection(fields: string[]): Record<string, 1> {
  const paths = [...new Set(fields.map((f) => ['params', ...parsePath(f).segments].join('.')))].sort();
  const kept = paths.filter((p) => !paths.some((q) => q !== p && p.startsWith(`${q}.`)));
  return Object.fromEntries(kept.map((p) => [p, 1]));
}

/** `query` restricted to the rows after a page's cursor key in the sort order, as the filters to read in turn. */
function after(query: Filter<DeviceDoc>, sort: (typeof SORTS)[keyof typeof SORTS], key: unknown[]): Array<Filter<DeviceDoc>> {
  if (sort.field === '_id') return [andId(query, { [sort.dir === 1 ? '$gt' : '$lt']: key[0] as string })];
  const [value, id] = key;
  if (value !== null && !(value instanceof Date)) throw invalidField('query', 'cursor', 'does not belong to this list or sort order');
  return conditionsAfter(sort.field, sort.dir, value, id as string).map((rest) => ({ $and: [query, rest] }) as Filter<DeviceDoc>);
}
