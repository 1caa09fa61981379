import { request } from 'undici';
import { startTestAcs, CPE_PASSWORD, CPE_USERNAME, type TestAcs } from '../../support/acs';
import { ManualCpe, inform } from '../../support/cwmp-client';

let acs: TestAcs;

beforeAll(async () => {
  acs = await startTestAcs({}, { roles: ['cwmp', 'api', 'fs', 'worker'] });
}, 60_000);

afterAll(async () => {
  await acs?.close();
});

const get = async (url: string) => {
  const res = await request(url);
  return { status: res.statusCode, type: String(res.headers['content-type'] ?? ''), text: await res.body.text() };
};

it('serves no /metrics on the cwmp, api, fs and worker ports, but keeps the probes there', async () => {
  const ports = { cwmp: acs.cwmpUrl, api: acs.apiUrl, fs: acs.fsUrl, worker: acs.workerUrl };
  for (const [role, base] of Object.entries(ports)) {
    const metrics = await get(`${base}/metrics`);
    expect([role, metrics.status]).toEqual([role, role === 'cwmp' ? 405 : 404]);
    expect(metrics.text).not.toMatch(/acs_/);
    expect([role, (await get(`${base}/healthz`)).status]).toEqual([role, 200]);
    expect([role, (await get(`${base}/readyz`)).status]).toEqual([role, 200]);
  }
});

it('serves the metrics of every role of the process on one metrics port, and nothing else there', async () => {
  const cpe = new ManualCpe(`${acs.cwmpUrl}/`, { username: CPE_USERNAME, password: CPE_PASSWORD });
  expect((await cpe.send(inform('METRICS1'))).status).toBe(200);
  expect((await cpe.post('')).status).toBe(204);
  expect((await request(`${acs.apiUrl}/api/v1/devices`, { headers: { authorization: `Bearer ${await acs.token('viewer')}` } })).statusCode).toBe(200);

  const metrics = await get(`${acs.metricsUrl}/metrics`);
  expect(metrics.status).toBe(200);
  expect(metrics.type).toMatch(/^text\/plain/);
  expect(metrics.text).toMatch(/^acs_cwmp_sessions_total\{outcome="completed"\} [1-9]/m);
  expect(metrics.text).toMatch(/^acs_api_requests_total\{operation="listDevices",status="200"\} [1-9]/m);
  expect(metrics.text).toMatch(/^acs_process_cpu_seconds_total /m);
  expect(metrics.text).toContain('acs_job_steps_total');
  expect((await get(`${acs.metricsUrl}/healthz`)).status).toBe(404);
  expect((await request(`${acs.metricsUrl}/metrics`, { method: 'POST' })).statusCode).toBe(405);
});
