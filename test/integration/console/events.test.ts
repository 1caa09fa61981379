import { request } from 'undici';
import { TaskRepository } from '../../../src/tasks/repository';
import { CPE_PASSWORD, CPE_USERNAME, startTestAcs, type TestAcs } from '../../support/acs';
import { apiClient, eventually } from '../../support/api';
import { signedIn } from '../../support/console';
import { decodeEnvelope } from '../../../src/cwmp/soap';
import { inform, ManualCpe } from '../../support/cwmp-client';
import { seedDevices } from '../../support/seed';

/** GET /events: Server-Sent Events of a device's sessions, tasks and refreshed values. */
let acs: TestAcs;

beforeAll(async () => {
  // the worker expires tasks; its sweep runs every second here
  acs = await startTestAcs({ ACS_CONSOLE_EVENTS_HEARTBEAT: '1', ACS_RECONCILE_INTERVAL: '1' }, { roles: ['cwmp', 'api', 'worker'] });
});
afterAll(async () => acs?.close());

interface Stream {
  status: number;
  headers: Record<string, unknown>;
  events: Array<{ event: string; data: any }>;
  comments: string[];
  close(): void;
}

/** Opens an event stream and collects what arrives. */
async function open(path: string, headers: Record<string, string>): Promise<Stream> {
  const controller = new AbortController();
  const res = await request(`${acs.apiUrl}/api/v1${path}`, { headers, signal: controller.signal });
  const out: Stream = { status: res.statusCode, headers: res.headers, events: [], comments: [], close: () => controller.abort() };
  if (res.statusCode !== 200) {
    await res.body.text();
    return out;
  }
  let buffer = '';
  res.body.setEncoding('utf8');
  res.body.on('data', (chunk: string) => {
    buffer += chunk;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const lines = block.split('\n');
      for (const l of lines) if (l.startsWith(':')) out.comments.push(l.slice(1).trim());
      const event = lines.find((l) => l.startsWith('event: '))?.slice(7);
      const data = lines.find((l) => l.startsWith('data: '))?.slice(6);
      if (event && data) out.events.push({ event, data: JSON.parse(data) });
    }
  });
  res.body.on('error', () => undefined);
  return out;
}

/** Streams this process holds open, from its Prometheus metrics. */
async function openStreams(): Promise<number> {
  const text = await (await request(`${acs.metricsUrl}/metrics`)).body.text();
  return Number(/^acs_api_event_streams (\d+)/m.exec(text)?.[1]);
}

it('delivers a session, the refreshed parameters and the finished task to a signed-in viewer', async () => {
  const [id] = await seedDevices(acs.stores.db, [{ serialNumber: 'SSE1' }]);
  const [other] = await seedDevices(acs.stores.db, [{ serialNumber: 'SSE2' }]);
  const browser = await signedIn(acs, 'viewer', 'watcher');
  const stream = await open(`/events?deviceId=${encodeURIComponent(id)}`, { cookie: browser.cookieHeader() });
  try {
    expect(stream.status).toBe(200);
    expect(await openStreams()).toBe(1);
    expect(stream.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    await eventually(async () => stream.comments, (c) => c.includes('connected'), 5000, 20);
    const task = await new TaskRepository(acs.stores.db).queue(id, { method: 'GetParameterValues', parameterNames: ['Device.DeviceInfo.UpTime'] });
    // a session of another device is not this stream's business
    const stranger = new ManualCpe(`${acs.cwmpUrl}/cwmp`, { username: CPE_USERNAME, password: CPE_PASSWORD });
    await stranger.exchange(inform('SSE2'));
    await stranger.post('');
    const cpe = new ManualCpe(`${acs.cwmpUrl}/cwmp`, { username: CPE_USERNAME, password: CPE_PASSWORD });
    await cpe.exchange(inform('SSE1'));
    const rpc = decodeEnvelope((await cpe.post('')).text);
    expect(rpc.body.method).toBe('GetParameterValues');
    const end = await cpe.send({ method: 'GetParameterValuesResponse', parameterList: [{ name: 'Device.DeviceInfo.UpTime', value: 42, type: 'xsd:unsignedInt' }] }, { id: rpc.header.id });
    expect(end.status).toBe(204);
    const events = await eventually(async () => stream.events, (e) => e.some((x) => x.event === 'session' && x.data.state === 'ended'), 10_000, 20);
    expect(events.map((e) => e.event)).toEqual(['session', 'parameters', 'task', 'session']);
    expect(events[0].data).toMatchObject({ type: 'session', deviceId: id, state: 'started' });
    expect(events[1].data).toMatchObject({ type: 'parameters', deviceId: id, paths: ['Device.DeviceInfo.UpTime'] });
    expect(events[2].data).toMatchObject({ type: 'task', deviceId: id, id: task._id, status: 'done' });
    expect(events[3].data).toMatchObject({ state: 'ended', sessionId: events[0].data.sessionId });
    expect(events.some((e) => e.data.deviceId === other)).toBe(false);
    // a tag added through the API is a device change
    const operator = apiClient(acs, await acs.token('operator'));
    expect((await operator.put(`/devices/${encodeURIComponent(id)}/tags/floor-3`)).status).toBe(204);
    const changed = await eventually(async () => stream.events, (e) => e.some((x) => x.event === 'device'), 5000, 20);
    expect(changed.find((e) => e.event === 'device')!.data).toMatchObject({ deviceId: id, change: 'tags' });
    // heartbeats keep coming while nothing happens
    const beats = stream.comments.filter((c) => c === 'heartbeat').length;
    await eventually(async () => stream.comments.filter((c) => c === 'heartbeat').length, (n) => n > beats, 10_000, 50);
  } finally {
    stream.close();
  }
  // the server lets go of a client that disconnected
  expect(await eventually(openStreams, (n) => n === 0, 5000, 20)).toBe(0);
});

it('announces a job\'s progress when one of its tasks finishes (the jobs pages listen for it)', async () => {
  const [id] = await seedDevices(acs.stores.db, [{ serialNumber: 'SSEJOB1' }]);
  const jobId = '0123456789abcdef01234567';
  const stream = await open('/events', { authorization: `Bearer ${await acs.token('viewer')}` });
  try {
    await eventually(async () => stream.comments, (c) => c.includes('connected'), 5000, 20);
    const task = await new TaskRepository(acs.stores.db).queue(id, { method: 'Reboot', commandKey: 'job-reboot' }, { jobId });
    const cpe = new ManualCpe(`${acs.cwmpUrl}/cwmp`, { username: CPE_USERNAME, password: CPE_PASSWORD });
    await cpe.exchange(inform('SSEJOB1'));
    const rpc = decodeEnvelope((await cpe.post('')).text);
    expect(rpc.body.method).toBe('Reboot');
    expect((await cpe.send({ method: 'RebootResponse' }, { id: rpc.header.id })).status).toBe(204);
    const events = await eventually(async () => stream.events, (e) => e.some((x) => x.event === 'job'), 10_000, 20);
    const mine = events.filter((e) => e.data.deviceId === id && (e.event === 'task' || e.event === 'job'));
    expect(mine.map((e) => e.event)).toEqual(['task', 'job']);
    expect(mine[1]!.data).toMatchObject({ type: 'job', jobId, deviceId: id, status: 'done' });
    expect(mine[0]!.data).toMatchObject({ id: task._id });
  } finally {
    stream.close();
  }
});

it('announces a task cancelled through the API and one the worker expired, with no session of the device', async () => {
  const [id] = await seedDevices(acs.stores.db, [{ serialNumber: 'SSE3' }]);
  const browser = await signedIn(acs, 'viewer', 'expiry-watcher');
  const stream = await open(`/events?deviceId=${encodeURIComponent(id)}`, { cookie: browser.cookieHeader() });
  try {
    await eventually(async () => stream.comments, (c) => c.includes('connected'), 5000, 20);
    const operator = apiClient(acs, await acs.token('operator'));
    const path = `/devices/${encodeURIComponent(id)}/tasks`;
    const kept = await operator.post(path, { rpc: { method: 'Reboot' }, expiresIn: 3600 });
    const expiring = await operator.post(path, { rpc: { method: 'FactoryReset' }, expiresIn: 1 });
    expect([kept.status, expiring.status]).toEqual([201, 201]);
    expect((await operator.post(`/tasks/${kept.body.id}/cancel`)).status).toBe(200);
    const events = await eventually(async () => stream.events.filter((e) => e.event === 'task'), (e) => e.length >= 2, 20_000, 50);
    expect(events.map((e) => e.data)).toEqual([
      { type: 'task', deviceId: id, id: kept.body.id, status: 'cancelled', at: expect.any(String) },
      { type: 'task', deviceId: id, id: expiring.body.id, status: 'expired', at: expect.any(String) },
    ]);
    // the event tells the truth the API tells
    expect((await operator.get(`/tasks/${expiring.body.id}`)).body.status).toBe('expired');
  } finally {
    stream.close();
  }
});

it('ends a signed-in stream when its session ends', async () => {
  const browser = await signedIn(acs, 'viewer', 'leaver');
  const stream = await open('/events', { cookie: browser.cookieHeader() });
  try {
    await eventually(async () => stream.comments, (c) => c.includes('heartbeat'), 10_000, 50);
    expect((await browser.call('DELETE', '/session')).status).toBe(204);
    expect(await eventually(openStreams, (n) => n === 0, 10_000, 50)).toBe(0);
  } finally {
    stream.close();
  }
});

it('is authenticated like the rest: a token works, nothing or a forged cookie gets 401, unknown devices 404', async () => {
  const token = await acs.token('viewer');
  const all = await open('/events', { authorization: `Bearer ${token}` });
  expect(all.status).toBe(200);
  all.close();
  expect((await open('/events', {})).status).toBe(401);
  expect((await open('/events', { cookie: `acs_session=${'A'.repeat(43)}` })).status).toBe(401);
  expect((await open('/events?deviceId=000000-X-NOPE', { authorization: `Bearer ${token}` })).status).toBe(404);
  expect((await apiClient(acs, token).get('/events?deviceId=bad id')).status).toBe(400);
});
