import { DockerfileParser } from 'dockerfile-ast';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

/** The image's HEALTHCHECK command, run as Docker would, against a loopback /healthz. */

const dockerfile = DockerfileParser.parse(readFileSync(path.join(__dirname, '../../../Dockerfile'), 'utf8'));
const healthcheck = dockerfile.getHEALTHCHECKs().at(-1)!;
const command = JSON.parse((healthcheck.getArgumentsContent() ?? '').replace(/^.*?CMD\s+/s, '')) as string[];

let server: Server;
let base: string;
let status = 200;
const paths: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    paths.push(req.url ?? '');
    res.statusCode = status;
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function check(url: string): Promise<number> {
  const [program, ...args] = command;
  expect(program).toBe('node');
  return new Promise((resolve) => {
    execFile(process.execPath, args, { env: { ...process.env, ACS_HEALTHCHECK_URL: url }, timeout: 20_000 }, (err) =>
      resolve(err ? ((err as { code?: number }).code ?? -1) : 0),
    );
  });
}

it('passes when /healthz answers 200', async () => {
  status = 200;
  expect(await check(`${base}/healthz`)).toBe(0);
  expect(paths.at(-1)).toBe('/healthz');
});

it('fails when /healthz answers an error', async () => {
  status = 503;
  expect(await check(`${base}/healthz`)).toBe(1);
});

it('fails when nothing listens', async () => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  expect(await check(`http://127.0.0.1:${port}/healthz`)).toBe(1);
});

it('defaults to the cwmp port', () => {
  expect(command.join(' ')).toContain("'http://127.0.0.1:7547/healthz'");
});
