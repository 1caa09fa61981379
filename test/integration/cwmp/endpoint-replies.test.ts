import { request } from 'undici';
import { CPE_PASSWORD, CPE_USERNAME, startTestAcs, type TestAcs } from '../../support/acs';
import { ManualCpe, inform } from '../../support/cwmp-client';

/** What the CWMP endpoint's replies carry besides the protocol: types, lengths, ids, probes. */
let acs: TestAcs;

beforeAll(async () => {
  acs = await startTestAcs();
}, 60_000);

afterAll(async () => {
  await acs?.close();
});

const headersOf = async (path: string, init: Parameters<typeof request>[1] = {}) => {
  const res = await request(`${acs.cwmpUrl}${path}`, init);
  return { status: res.statusCode, headers: res.headers, text: await res.body.text() };
};

it('answers the probes with JSON and other methods with 405, on any path', async () => {
  const health = await headersOf('/healthz?probe=1');
  expect([health.status, health.headers['content-type'], JSON.parse(health.text)]).toEqual([200, 'application/json; charset=utf-8', { status: 'ok' }]);
  const ready = await headersOf('/readyz', { method: 'HEAD' });
  expect([ready.status, ready.headers['content-length'], ready.text]).toEqual([200, '18', '']);
  const get = await headersOf('/cwmp');
  expect([get.status, get.headers.allow, get.headers['content-type'], get.text]).toEqual([405, 'POST', 'text/plain; charset=utf-8', 'CWMP endpoint: POST only\n']);
  expect(get.headers['content-length']).toBe(String(Buffer.byteLength(get.text)));
});

it("echoes an acceptable X-Request-Id and replaces any other with a new id", async () => {
  expect((await headersOf('/healthz', { headers: { 'x-request-id': 'ops-42.a' } })).headers['x-request-id']).toBe('ops-42.a');
  const replaced = String((await headersOf('/healthz', { headers: { 'x-request-id': 'bad id\twith tab' } })).headers['x-request-id']);
  expect(replaced).toMatch(/^[0-9a-f-]{36}$/);
});

it('sends the SOAP reply with its own type and length, and a 204 with neither', async () => {
  const cpe = new ManualCpe(`${acs.cwmpUrl}/`, { username: CPE_USERNAME, password: CPE_PASSWORD });
  const challenge = await headersOf('/', { method: 'POST', body: '<x/>' });
  expect([challenge.status, challenge.headers['content-type'], challenge.headers['content-length']]).toEqual([401, 'text/plain; charset=utf-8', String(Buffer.byteLength(challenge.text))]);
  const informed = await cpe.send(inform('REPLIES1'));
  expect(informed.status).toBe(200);
  const end = await request(`${acs.cwmpUrl}/`, { method: 'POST', body: '', headers: { cookie: `session=${cpe.cookie}` } });
  await end.body.text();
  expect(end.statusCode).toBe(204);
  expect(end.headers['content-type']).toBeUndefined();
  expect(end.headers['content-length']).toBeUndefined();
  expect(String(end.headers['set-cookie'])).toMatch(/^session=; Path=\/; Max-Age=0; HttpOnly/);
});
