import type { CommandStartedEvent } from 'mongodb';
import { request } from 'undici';
import { decodeEnvelope } from '../../../src/cwmp/soap';
import type { AcsRequest, CwmpMessage } from '../../../src/cwmp/soap/types';
import { deviceKey } from '../../../src/devices/id';
import { TaskRepository } from '../../../src/tasks/repository';
import { CPE_PASSWORD, CPE_USERNAME, startTestAcs, type TestAcs } from '../../support/acs';
import { apiClient, enc, eventually, type ApiClient } from '../../support/api';
import { inform, ManualCpe } from '../../support/cwmp-client';
import { runCli } from '../../support/cli';
import { isTraceWrite } from '../../support/mongo';

const creds = { username: CPE_USERNAME, password: CPE_PASSWORD };
const idOf = (serial: string) => deviceKey({ oui: '00562B', productClass: 'CP-8851-3PCC', serialNumber: serial });
const SIP_SECRET = 'sip-S3CRET-4711';
const DOWNLOAD_SECRET = 'dl-S3CRET-0815';
const SIGNATURE = 'sig=Zm9vYmFyc2lnbmF0dXJl';
const PASSWORD_PARAM = 'Device.Services.VoiceService.1.VoiceProfile.1.Line.1.SIP.AuthPassword';
const NAME_PARAM = 'Device.Services.VoiceService.1.VoiceProfile.1.Line.1.SIP.AuthUserName';

let acs: TestAcs;
let api: ApiClient;
let tasks: TaskRepository;
const logs: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  acs = await startTestAcs({ ACS_TRACE_SESSIONS_PER_DEVICE: '3', ACS_TRACE_FLUSH_MS: '20' }, { roles: ['cwmp', 'api'], logs });
  api = apiClient(acs, await acs.token('viewer'));
  tasks = new TaskRepository(acs.stores.db);
}, 60_000);

afterAll(async () => {
  await acs?.close();
});

/** One session: Inform, empty POST, then each ACS request answered by `answer`, until 204. */
async function session(serial: string, answer: (rpc: AcsRequest) => CwmpMessage = () => ({ method: 'GetRPCMethodsResponse', methodList: [] }), events = ['2 PERIODIC']): Promise<AcsRequest[]> {
  const cpe = new ManualCpe(acs.cwmpUrl, creds);
  expect((await cpe.send(inform(serial, events))).status).toBe(200);
  const seen: AcsRequest[] = [];
  let reply = await cpe.post('');
  for (let i = 0; reply.status === 200 && i < 20; i++) {
    const env = decodeEnvelope(reply.text);
    seen.push(env.body as AcsRequest);
    reply = await cpe.send(answer(env.body as AcsRequest), { id: env.header.id });
  }
  expect(reply.status).toBe(204);
  return seen;
}

const sessionsOf = (serial: string) => api.get(`/devices/${enc(idOf(serial))}/sessions`);
const sessionLines = (serial: string) => logs.filter((l) => l.event === 'cwmp.session' && l.deviceId === idOf(serial));

it('keeps each session with its RPCs and their outcome, serves it newest first, and logs one line per session', async () => {
  await session('TRACE1', undefined, ['0 BOOTSTRAP', '1 BOOT']);
  await tasks.queue(idOf('TRACE1'), { method: 'GetParameterValues', parameterNames: ['Device.DeviceInfo.UpTime'] });
  await tasks.queue(idOf('TRACE1'), { method: 'Reboot', commandKey: 'r1' });
  await session('TRACE1', (rpc) =>
    rpc.method === 'Reboot'
      ? { method: 'Fault', faultcode: 'Server', faultstring: 'CWMP fault', detail: { faultCode: 9002, faultString: 'Internal error', setParameterValuesFault: [] } }
      : { method: 'GetParameterValuesResponse', parameterList: [{ name: 'Device.DeviceInfo.UpTime', value: 42, type: 'xsd:unsignedInt' }] },
  );

  const list = await eventually(() => sessionsOf('TRACE1'), (r) => r.status === 200 && r.body.items.length === 2);
  expect(list.status).toBe(200);
  const [latest, first] = list.body.items;
  expect(first).toMatchObject({ id: 1, outcome: 'completed', events: ['0 BOOTSTRAP', '1 BOOT'], rpcs: [], faults: 0, bodies: false, source: '127.0.0.1' });
  expect(latest).toMatchObject({ id: 2, deviceId: idOf('TRACE1'), outcome: 'completed', events: ['2 PERIODIC'], faults: 1, bodies: false });
  expect(latest.rpcs.map((r: { method: string; outcome: string }) => [r.method, r.outcome])).toEqual([
    ['GetParameterValues', 'done'],
    ['Reboot', 'fault'],
  ]);
  expect(latest.rpcs[1].fault).toEqual({ code: 9002, message: 'Internal error' });

  const one = await api.get(`/devices/${enc(idOf('TRACE1'))}/sessions/2`);
  expect(one.status).toBe(200);
  expect(one.body).toMatchObject({ id: 2, cpeRequests: [], bodies: false });
  expect(one.body.rpcs[0]).not.toHaveProperty('request');
  expect(one.body).not.toHaveProperty('inform');
  expect((await api.get(`/devices/${enc(idOf('TRACE1'))}/sessions/7`)).status).toBe(404);
  expect((await api.get(`/devices/${enc(idOf('NOBODY'))}/sessions`)).status).toBe(404);

  const lines = sessionLines('TRACE1');
  expect(lines).toHaveLength(2);
  expect(lines[1]).toMatchObject({
    level: 30,
    session: 2,
    source: '127.0.0.1',
    events: ['2 PERIODIC'],
    outcome: 'completed',
    faults: 1,
    rpcs: [
      { method: 'GetParameterValues', outcome: 'done' },
      { method: 'Reboot', outcome: 'fault', fault: 9002 },
    ],
  });
  expect(typeof lines[1].durationMs).toBe('number');
});

it('keeps only the last N sessions of a device, pages through them, and records a silent session as timed out', async () => {
  for (let i = 0; i < 4; i++) await session('RING');
  const page = await eventually(() => sessionsOf('RING'), (r) => r.body.items?.[0]?.id === 4);
  expect(page.body.items.map((s: { id: number }) => s.id)).toEqual([4, 3, 2]);
  expect(await acs.stores.db.collection('session_traces').countDocuments({ deviceId: idOf('RING') })).toBe(3);
  const small = await api.get(`/devices/${enc(idOf('RING'))}/sessions?limit=2`);
  expect(small.body.items.map((s: { id: number }) => s.id)).toEqual([4, 3]);
  const rest = await api.get(`/devices/${enc(idOf('RING'))}/sessions?limit=2&cursor=${small.body.nextCursor}`);
  expect(rest.body).toEqual({ items: [expect.objectContaining({ id: 2 })], nextCursor: null });

  // The device takes a request and goes silent: after the 1 s session timeout, the trace says so.
  const impatient = await startTestAcs({ ACS_TRACE_SESSIONS_PER_DEVICE: '3', ACS_TRACE_FLUSH_MS: '20', ACS_CWMP_SESSION_TIMEOUT: '1' }, { stores: acs.stores, logs });
  try {
    await tasks.queue(idOf('RING'), { method: 'GetParameterValues', parameterNames: ['Device.DeviceInfo.UpTime'] });
    const cpe = new ManualCpe(impatient.cwmpUrl, creds);
    await cpe.send(inform('RING'));
    expect((await cpe.post('')).status).toBe(200);
    await eventually(() => sessionsOf('RING'), (r) => r.body.items?.[0]?.id === 5, 20_000, 200);
  } finally {
    await impatient.close();
  }
  const silent = await sessionsOf('RING');
  expect(silent.body.items[0]).toMatchObject({ id: 5, outcome: 'timed_out', rpcs: [expect.objectContaining({ method: 'GetParameterValues', outcome: 'unanswered' })] });
  expect(sessionLines('RING').at(-1)).toMatchObject({ outcome: 'timed_out', session: 5 });
}, 60_000);

it('keeps SOAP bodies while an operator traces the device, with every secret redacted, until tracing is switched off', async () => {
  await session('TRACED');
  const operator = apiClient(acs, await acs.token('operator'));
  expect((await api.put(`/devices/${enc(idOf('TRACED'))}/trace`, { for: 600 })).status).toBe(403);
  const on = await operator.put(`/devices/${enc(idOf('TRACED'))}/trace`, { for: 600 });
  expect(on.status).toBe(200);
  expect(Date.parse(on.body.until)).toBeGreaterThan(Date.now() + 500_000);
  expect((await operator.put(`/devices/${enc(idOf('NOBODY'))}/trace`, {})).status).toBe(404);
  expect((await operator.put(`/devices/${enc(idOf('TRACED'))}/trace`, { for: 1 })).status).toBe(400);

  await tasks.queue(idOf('TRACED'), {
    method: 'SetParameterValues',
    parameterKey: 'k1',
    parameterList: [
      { name: NAME_PARAM, value: 'alice-4001', type: 'xsd:string' },
      { name: PASSWORD_PARAM, value: SIP_SECRET, type: 'xsd:string' },
    ],
  });
  await tasks.queue(idOf('TRACED'), {
    method: 'Download',
    commandKey: 'cfg',
    fileType: '3 Vendor Configuration File',
    url: `http://files.example.net/profiles/cfg.xml?${SIGNATURE}`,
    username: 'dl-user',
    password: DOWNLOAD_SECRET,
    fileSize: 0,
    targetFileName: '',
    delaySeconds: 0,
    successURL: '',
    failureURL: '',
  });
  const sent = await session('TRACED', (rpc) =>
    rpc.method === 'SetParameterValues'
      ? { method: 'SetParameterValuesResponse', status: 0 }
      : { method: 'DownloadResponse', status: 1, startTime: '0001-01-01T00:00:00Z', completeTime: '0001-01-01T00:00:00Z' },
  );
  expect(JSON.stringify(sent)).toContain(SIP_SECRET);

  const list = await eventually(() => sessionsOf('TRACED'), (r) => r.body.items?.[0]?.id === 2);
  expect(list.body.items[0]).toMatchObject({ bodies: true });
  const traced = await api.get(`/devices/${enc(idOf('TRACED'))}/sessions/2`);
  const [spv, download] = traced.body.rpcs;
  expect(spv).toMatchObject({ method: 'SetParameterValues', outcome: 'done' });
  expect(spv.request).toContain('<cwmp:SetParameterValues>');
  expect(spv.request).toContain('alice-4001');
  expect(spv.request).toContain(PASSWORD_PARAM);
  expect(spv.response).toContain('SetParameterValuesResponse');
  expect(download).toMatchObject({ method: 'Download', outcome: 'awaiting' });
  expect(download.request).toContain('http://files.example.net/profiles/cfg.xml?');
  expect(traced.body.inform).toContain('<cwmp:Inform>');
  const stored = JSON.stringify(await acs.stores.db.collection('session_traces').find({ deviceId: idOf('TRACED') }).toArray());
  for (const text of [JSON.stringify(traced.body), stored, JSON.stringify(logs)]) {
    expect(text).not.toContain(SIP_SECRET);
    expect(text).not.toContain(DOWNLOAD_SECRET);
    expect(text).not.toContain(SIGNATURE);
  }
  expect(spv.request).toContain('[redacted]');

  expect((await operator.delete(`/devices/${enc(idOf('TRACED'))}/trace`)).status).toBe(204);
  await session('TRACED');
  const off = await eventually(() => sessionsOf('TRACED'), (r) => r.body.items?.[0]?.id === 3);
  expect(off.body.items[0].bodies).toBe(false);
  expect((await api.get(`/devices/${enc(idOf('TRACED'))}/sessions/3`)).body).not.toHaveProperty('inform');
});

it('logs one line per API request with its route, status, duration and token, under the X-Request-Id it echoes', async () => {
  const token = await acs.token('viewer', 'trace-reader');
  const given = await request(`${acs.apiUrl}/api/v1/devices/${enc(idOf('TRACE1'))}/sessions`, { headers: { authorization: `Bearer ${token}`, 'x-request-id': 'ops-4711.a' } });
  await given.body.text();
  expect(given.statusCode).toBe(200);
  expect(given.headers['x-request-id']).toBe('ops-4711.a');
  const line = logs.find((l) => l.event === 'api.request' && l.requestId === 'ops-4711.a');
  expect(line).toMatchObject({ level: 30, method: 'GET', route: '/devices/{id}/sessions', status: 200, userId: null });
  expect(line!.tokenId).toBe(token.split('_')[1]);
  expect(typeof line!.durationMs).toBe('number');
  expect(JSON.stringify(logs)).not.toContain(token);

  for (const bad of ['x'.repeat(129), 'a b', 'evil\u00e9', '']) {
    const res = await request(`${acs.apiUrl}/api/v1/devices`, { headers: { 'x-request-id': bad } });
    await res.body.text();
    expect(res.statusCode).toBe(401);
    const echoed = String(res.headers['x-request-id']);
    expect(echoed).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(logs.find((l) => l.event === 'api.request' && l.requestId === echoed)).toMatchObject({ status: 401, route: '/devices', tokenId: null });
  }

  const cwmp = await request(`${acs.cwmpUrl}/`, { method: 'POST', body: '', headers: { 'x-request-id': 'cpe-req-1' } });
  await cwmp.body.text();
  expect(cwmp.headers['x-request-id']).toBe('cpe-req-1');
});

it('acs devices sessions lists them as a table or JSON; acs devices trace switches bodies on and off', async () => {
  const token = await acs.token('operator', 'cli');
  const flags = ['--api-url', acs.apiUrl, '--token', token];
  const id = idOf('TRACE1');
  const listed = await runCli('devices', 'sessions', id, ...flags);
  expect(listed.code).toBe(0);
  expect(listed.stdout).toMatch(/SESSION.*OUTCOME/);
  expect(listed.stdout).toMatch(/GetParameterValues:done, Reboot:fault/);
  const page = JSON.parse((await runCli('devices', 'sessions', id, '--json', ...flags)).stdout);
  expect(page.items.map((t: { id: number }) => t.id)).toEqual([2, 1]);
  const one = await runCli('devices', 'sessions', id, '2', ...flags);
  expect(one.stdout).toMatch(/Reboot.*fault.*9002 Internal error/);
  expect((await runCli('devices', 'sessions', id, 'latest', ...flags)).stderr).toContain('session must be a session number');

  const on = await runCli('devices', 'trace', id, '--on', '--for', '2h', '--json', ...flags);
  expect(on.code).toBe(0);
  const until = Date.parse(JSON.parse(on.stdout).until);
  expect(until).toBeGreaterThan(Date.now() + 7000_000);
  expect((await acs.stores.db.collection('devices').findOne({ _id: id as never }))?.traceBodiesUntil).toEqual(new Date(until));
  for (const bad of [['--on', '--for', '10s'], ['--on', '--for', '8d'], ['--on', '--for', 'soon'], ['--on', '--off'], []]) {
    const run = await runCli('devices', 'trace', id, ...bad, ...flags);
    expect([bad, run.code]).not.toEqual([bad, 0]);
    expect(run.stderr).toMatch(/--for must be a duration|--on or --off/);
  }
  expect((await runCli('devices', 'trace', id, '--off', ...flags)).stdout).toContain(`tracing off for ${id}`);
  expect((await acs.stores.db.collection('devices').findOne({ _id: id as never }))?.traceBodiesUntil).toBeUndefined();
});

it('writes the traces of many sessions in one grouped write, off the sessions\' path', async () => {
  const grouped = await startTestAcs({ ACS_TRACE_FLUSH_MS: '60000' }, { stores: acs.stores });
  const writes: string[] = [];
  const seen = (e: CommandStartedEvent) => void (isTraceWrite(e) && writes.push(e.commandName));
  grouped.ctx.mongo.on('commandStarted', seen);
  try {
    for (let i = 0; i < 4; i++) {
      const cpe = new ManualCpe(grouped.cwmpUrl, creds);
      await cpe.send(inform(`GROUP${i}`));
      expect((await cpe.post('')).status).toBe(204);
    }
    expect(writes).toEqual([]);
    await grouped.close();
  } finally {
    grouped.ctx.mongo.off('commandStarted', seen);
  }
  expect(writes).toEqual(['update']);
  expect(await acs.stores.db.collection('session_traces').countDocuments({ deviceId: { $in: [0, 1, 2, 3].map((i) => idOf(`GROUP${i}`)) } })).toBe(4);
});
