import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { request } from 'undici';
import { startTestAcs, type TestAcs } from '../../support/acs';

/** The api role serves the console's built files at `/`, with strict headers. */
let acs: TestAcs;
let dir: string;
const INDEX = '<!doctype html><title>console</title><script type="module" src="/assets/index-Ab3dE9_x.js"></script>';

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'acs-console-'));
  await mkdir(path.join(dir, 'assets'));
  await writeFile(path.join(dir, 'index.html'), INDEX);
  await writeFile(path.join(dir, 'assets', 'index-Ab3dE9_x.js'), 'console.log("hi")');
  await writeFile(path.join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  await writeFile(path.join(tmpdir(), 'outside-console.txt'), 'secret');
  acs = await startTestAcs({ ACS_CONSOLE_DIR: dir }, { roles: ['api'] });
});
afterAll(async () => {
  await acs?.close();
  await rm(dir, { recursive: true, force: true });
});

/** As a browser navigating asks: app paths are served only to a request that accepts HTML. */
const NAVIGATION = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

const get = async (p: string, method: 'GET' | 'HEAD' = 'GET', base = acs.apiUrl, headers: Record<string, string> = NAVIGATION) => {
  const res = await request(`${base}${p}`, { method, headers });
  return { status: res.statusCode, headers: res.headers, body: await res.body.text() };
};

function expectStrictHeaders(headers: Record<string, unknown>): void {
  const csp = String(headers['content-security-policy']);
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("script-src 'self'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).not.toMatch(/https?:|\*|unsafe-inline|unsafe-eval/);
  expect(headers['x-content-type-options']).toBe('nosniff');
}

it('serves index.html at / and for unknown app paths, never cached for long', async () => {
  for (const p of ['/', '/devices', '/devices/000000-CP%252D8851-X1/parameters']) {
    const r = await get(p);
    expect({ p, status: r.status, body: r.body }).toEqual({ p, status: 200, body: INDEX });
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.headers['cache-control']).toBe('no-cache');
    expectStrictHeaders(r.headers);
  }
});

it('answers 404, not the app, to a request that does not ask for HTML (a scraper, a script)', async () => {
  for (const accept of ['text/plain', 'application/openmetrics-text; version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1', '*/*']) {
    const r = await get('/metrics', 'GET', acs.apiUrl, { accept });
    expect({ accept, status: r.status }).toEqual({ accept, status: 404 });
    expect(r.body).not.toContain('<title>console</title>');
  }
});

it('serves hashed assets as immutable, other files revalidated, with their types', async () => {
  const js = await get('/assets/index-Ab3dE9_x.js');
  expect(js).toMatchObject({ status: 200, body: 'console.log("hi")' });
  expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
  expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  expectStrictHeaders(js.headers);
  const svg = await get('/favicon.svg');
  expect(svg.headers['content-type']).toBe('image/svg+xml');
  expect(svg.headers['cache-control']).toBe('no-cache');
  const head = await get('/assets/index-Ab3dE9_x.js', 'HEAD');
  expect(head.status).toBe(200);
  expect(head.headers['content-length']).toBe(String('console.log("hi")'.length));
});

it('answers 404 for missing files and paths outside the folder, and leaves /api/v1 to the API', async () => {
  expect((await get('/assets/missing-12345678.js')).status).toBe(404);
  expect((await get('/..%2foutside-console.txt')).status).toBe(404);
  expect((await get('/%2e%2e/outside-console.txt')).body).not.toBe('secret');
  const api = await get('/api/v1/devices');
  expect(api.status).toBe(401);
  expect(api.headers['content-type']).toMatch(/problem\+json/);
  expect((await get('/api/v1/nothing')).headers['content-type']).toMatch(/problem\+json/);
  expect((await get('/healthz')).body).toBe('{"status":"ok"}');
});

it('says to run npm run build when the console is not built', async () => {
  const bare = await startTestAcs({ ACS_CONSOLE_DIR: path.join(dir, 'not-there') }, { roles: ['api'], stores: acs.stores });
  try {
    const r = await get('/', 'GET', bare.apiUrl);
    expect(r.status).toBe(503);
    expect(r.body).toContain('npm run build');
    expectStrictHeaders(r.headers);
  } finally {
    await bare.close();
  }
});
