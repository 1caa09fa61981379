import { gzipSync } from 'node:zlib';
import { decodeEnvelope } from '../../../src/cwmp/soap';
import { deviceKey } from '../../../src/devices/id';
import { TaskRepository } from '../../../src/tasks/repository';
import { CPE_PASSWORD, CPE_USERNAME, startTestAcs, type TestAcs } from '../../support/acs';
import { inform, ManualCpe } from '../../support/cwmp-client';

/**
 * Hostile and broken requests. Each must get its precise answer, be logged once without
 * secrets, and leave a bystander device's session and tasks exactly as they were.
 */
const logs: Array<Record<string, unknown>> = [];
let acs: TestAcs;
let tasks: TaskRepository;
const creds = { username: CPE_USERNAME, password: CPE_PASSWORD };
const NS = 'urn:dslforum-org:cwmp-1-2';

function envelope(body: string, id = 'x-1'): string {
  return `<?xml version="1.0"?><soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/" xmlns:cwmp="${NS}"><soap-env:Header><cwmp:ID soap-env:mustUnderstand="1">${id}</cwmp:ID></soap-env:Header><soap-env:Body>${body}</soap-env:Body></soap-env:Envelope>`;
}

/** A device in the middle of its session, with one task in flight and one waiting. */
let bystander: ManualCpe;
let inflightRpcId: string;
let firstTask: string;
let secondTask: string;

beforeAll(async () => {
  acs = await startTestAcs({ ACS_CWMP_MAX_BODY: '65536' }, { logs });
  tasks = new TaskRepository(acs.stores.db);
  bystander = new ManualCpe(acs.cwmpUrl, creds);
  await bystander.exchange(inform('BYSTANDER'));
  await bystander.post('');
  const id = deviceKey({ oui: '00562B', productClass: 'CP-8851-3PCC', serialNumber: 'BYSTANDER' });
  firstTask = (await tasks.queue(id, { method: 'GetParameterValues', parameterNames: ['Device.DeviceInfo.UpTime'] }))._id;
  secondTask = (await tasks.queue(id, { method: 'Reboot', commandKey: 'rb' }))._id;
  bystander = new ManualCpe(acs.cwmpUrl, creds);
  await bystander.exchange(inform('BYSTANDER'));
  const rpc = await bystander.post('');
  inflightRpcId = decodeEnvelope(rpc.text).header.id!;
});

afterAll(async () => acs?.close());

/** Runs one bad request and checks the log line it left and the bystander afterwards. */
async function expectContained(run: () => Promise<void>, event: string): Promise<void> {
  const before = logs.length;
  await run();
  const lines = logs.slice(before);
  expect(lines.filter((l) => l.event === event)).toHaveLength(1);
  const text = JSON.stringify(lines);
  expect(text).not.toContain(CPE_PASSWORD);
  expect(text).not.toMatch(/Digest username|response="/);
  expect(await tasks.get(firstTask)).toMatchObject({ status: 'sent', attempts: 1 });
  expect(await tasks.get(secondTask)).toMatchObject({ status: 'pending', attempts: 0 });
}

/** An authenticated session of its own, for requests that only make sense inside one. */
async function openSession(serial: string): Promise<ManualCpe> {
  const cpe = new ManualCpe(acs.cwmpUrl, creds);
  const r = await cpe.exchange(inform(serial));
  expect(r.reply.status).toBe(200);
  return cpe;
}

it('malformed XML from an authenticated device: 400', async () => {
  const cpe = await openSession('BAD-XML');
  await expectContained(async () => {
    const r = await cpe.post('<soap-env:Envelope><unclosed>');
    expect(r.status).toBe(400);
    expect(r.text).toMatch(/Bad CWMP message/);
  }, 'cwmp.undecodable');
});

it('anything from an unauthenticated client is only challenged, never parsed', async () => {
  const anon = new ManualCpe(acs.cwmpUrl);
  await expectContained(async () => {
    const r = await anon.post('<not xml');
    expect(r.status).toBe(401);
    expect(r.headers['www-authenticate']).toBeDefined();
    logs.push({ event: 'test.marker' });
  }, 'test.marker');
});

it('an unknown RPC: SOAP fault 8000 echoing the cwmp:ID', async () => {
  const cpe = await openSession('UNKNOWN-RPC');
  await expectContained(async () => {
    const r = await cpe.post(envelope('<cwmp:FrobnicateWidgets><A>1</A></cwmp:FrobnicateWidgets>', 'frob-7'));
    expect(r.status).toBe(500);
    const env = decodeEnvelope(r.text);
    expect(env.header.id).toBe('frob-7');
    expect(env.namespace).toBe(NS);
    expect(env.body).toMatchObject({ method: 'Fault', detail: { faultCode: 8000 } });
  }, 'cwmp.undecodable');
});

it('a body over the size limit: 413, also when only its decompressed size is over', async () => {
  const cpe = await openSession('TOO-BIG');
  await expectContained(async () => {
    const r = await cpe.post(envelope(`<cwmp:GetRPCMethods>${' '.repeat(70_000)}</cwmp:GetRPCMethods>`));
    expect(r.status).toBe(413);
  }, 'cwmp.bad_body');
  await expectContained(async () => {
    const bomb = gzipSync(Buffer.alloc(10_000_000, 0x20));
    expect(bomb.length).toBeLessThan(65536);
    const r = await cpe.post(bomb, { 'content-encoding': 'gzip' });
    expect(r.status).toBe(413);
  }, 'cwmp.bad_body');
});

it('entity declarations (DOCTYPE): 400, nothing expanded', async () => {
  const cpe = await openSession('DOCTYPE');
  const laughs =
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>' +
    envelope('<cwmp:GetRPCMethods>&lol2;</cwmp:GetRPCMethods>').replace('<?xml version="1.0"?>', '');
  await expectContained(async () => {
    const r = await cpe.post(laughs);
    expect(r.status).toBe(400);
    expect(r.text).not.toContain('lollol');
  }, 'cwmp.undecodable');
});

it('deep nesting: 400 without harming the process', async () => {
  const cpe = await openSession('DEEP');
  await expectContained(async () => {
    const r = await cpe.post(envelope('<a>'.repeat(8_000) + '</a>'.repeat(8_000)));
    expect(r.status).toBe(400);
  }, 'cwmp.undecodable');
});

it('a response to an RPC that was not sent: fault 8003, the session stays usable', async () => {
  const cpe = await openSession('UNSOLICITED');
  await expectContained(async () => {
    const r = await cpe.send({ method: 'GetParameterValuesResponse', parameterList: [] }, { id: 'never-sent' });
    expect(r.status).toBe(500);
    expect(decodeEnvelope(r.text).body).toMatchObject({ method: 'Fault', detail: { faultCode: 8003 } });
  }, 'cwmp.refused');
  expect((await cpe.post('')).status).toBe(204);
});

it('a second Inform in the same session: fault 8003', async () => {
  const cpe = await openSession('TWICE');
  await expectContained(async () => {
    const r = await cpe.send(inform('TWICE'));
    expect(r.status).toBe(500);
    expect(decodeEnvelope(r.text).body).toMatchObject({ method: 'Fault', detail: { faultCode: 8003 } });
  }, 'cwmp.refused');
  expect((await cpe.post('')).status).toBe(204);
});

it('an unknown or expired session cookie: 400, the device must start over with Inform', async () => {
  const cpe = new ManualCpe(acs.cwmpUrl, creds);
  cpe.cookie = 'f'.repeat(32);
  await expectContained(async () => {
    const r = await cpe.post('');
    expect(r.status).toBe(400);
    expect(r.text).toMatch(/starts with Inform/);
  }, 'cwmp.no_session');
  cpe.cookie = 'not-even-hex';
  await expectContained(async () => {
    const r = await cpe.send({ method: 'TransferComplete', commandKey: 'k', faultStruct: { faultCode: 0, faultString: '' }, startTime: '', completeTime: '' });
    expect(r.status).toBe(400);
  }, 'cwmp.no_session');
});

it('other methods than POST: 405', async () => {
  const res = await fetch(acs.cwmpUrl, { method: 'PUT', body: 'x' });
  expect(res.status).toBe(405);
  expect(res.headers.get('allow')).toBe('POST');
});

it('the bystander finishes its session untouched', async () => {
  const answer = await bystander.send(
    { method: 'GetParameterValuesResponse', parameterList: [{ name: 'Device.DeviceInfo.UpTime', value: 5, type: 'xsd:unsignedInt' }] },
    { id: inflightRpcId },
  );
  expect(decodeEnvelope(answer.text).body).toEqual({ method: 'Reboot', commandKey: 'rb' });
  const end = await bystander.send({ method: 'RebootResponse' }, { id: decodeEnvelope(answer.text).header.id });
  expect(end.status).toBe(204);
  expect(await tasks.get(firstTask)).toMatchObject({ status: 'done' });
  expect(await tasks.get(secondTask)).toMatchObject({ status: 'done' });
});
