import { request } from 'undici';
import { CPE_PASSWORD, CPE_USERNAME, startTestAcs, type TestAcs } from '../../support/acs';
import { ManualCpe, inform } from '../../support/cwmp-client';
import { RoundRobinProxy } from '../../support/proxy';

/**
 * The empty POST that ends an idle session is answered from the state the replica stored at
 * the Inform, without reading it back; the end proves the store still holds it. Two replicas
 * on one store behind a proxy without affinity, so a session's requests alternate.
 */
let a: TestAcs;
let b: TestAcs;
let proxy: RoundRobinProxy;
let url: string;

beforeAll(async () => {
  a = await startTestAcs();
  b = await startTestAcs({}, { stores: a.stores });
  proxy = new RoundRobinProxy([a.cwmpUrl, b.cwmpUrl]);
  url = `${await proxy.start()}/`;
}, 60_000);

afterAll(async () => {
  await proxy?.close();
  await b?.close();
  await a?.close();
});

/** Sessions completed so far (both replicas run in this process: one registry counts both). */
async function completed(): Promise<number> {
  const text = await (await request(`${a.metricsUrl}/metrics`)).body.text();
  return Number(/^acs_cwmp_sessions_total\{outcome="completed"\} (\d+)/m.exec(text)?.[1] ?? 0);
}

it('a session the other replica ended meanwhile is not ended twice by the one that opened it', async () => {
  const cpe = new ManualCpe(url, { username: CPE_USERNAME, password: CPE_PASSWORD });
  const before = await completed();
  // 401 from one replica, the session opened by the other, which remembers the state it stored.
  expect((await cpe.send(inform('IDLE1'))).status).toBe(200);
  const cookie = cpe.cookie;
  // The first replica, which never stored it, reads it and ends the session.
  expect((await cpe.post('')).status).toBe(204);
  expect(await completed()).toBe(before + 1);
  // The same empty POST again, now to the replica that opened it: its copy is out of date.
  expect(cpe.cookie).toBe(cookie);
  expect((await cpe.post('')).status).toBe(204);
  expect(await completed()).toBe(before + 1);
  expect(proxy.counts.forwarded).toEqual([2, 2]);
});

it('an idle session opened and ended on one replica completes once', async () => {
  const cpe = new ManualCpe(`${a.cwmpUrl}/`, { username: CPE_USERNAME, password: CPE_PASSWORD });
  const before = await completed();
  expect((await cpe.send(inform('IDLE2'))).status).toBe(200);
  expect((await cpe.post('')).status).toBe(204);
  expect(await completed()).toBe(before + 1);
  // A later empty POST with the ended session's cookie finds it ended, and counts nothing.
  expect((await cpe.post('')).status).toBe(204);
  expect(await completed()).toBe(before + 1);
});
