import Ajv from 'ajv';
import { Copy, DockerfileParser, type Instruction } from 'dockerfile-ast';
import { validate, ValidationSeverity, type ValidatorSettings } from 'dockerfile-utils';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import configSchema from '../../../schemas/config.schema.json';

const ROOT = path.join(__dirname, '../../..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

const DOCKERFILE = read('Dockerfile');
const ERROR = ValidationSeverity.ERROR;
/** Every optional rule of the linter raised to an error. */
const STRICT: ValidatorSettings = {
  deprecatedMaintainer: ERROR,
  directiveCasing: ERROR,
  emptyContinuationLine: ERROR,
  instructionCasing: ERROR,
  instructionCmdMultiple: ERROR,
  instructionEntrypointMultiple: ERROR,
  instructionHealthcheckMultiple: ERROR,
  instructionJSONInSingleQuotes: ERROR,
  instructionWorkdirRelative: ERROR,
};

const dockerfile = DockerfileParser.parse(DOCKERFILE);
const instructions = dockerfile.getInstructions();
const argDefaults = new Map(
  dockerfile.getInitialARGs().flatMap((arg) => {
    const [name, value] = (arg.getArgumentsContent() ?? '').split('=', 2);
    return value === undefined ? [] : [[name, value] as const];
  }),
);
const expand = (text: string) => text.replace(/\$\{(\w+)\}/g, (_, name: string) => argDefaults.get(name) ?? '');

/** Instructions of each build stage, in order; the last stage is the image. */
const stages: Instruction[][] = [];
for (const instruction of instructions) {
  if (instruction.getKeyword() === 'FROM') stages.push([]);
  if (stages.length > 0) stages[stages.length - 1].push(instruction);
}
const finalStage = stages[stages.length - 1];
const args = (instruction: Instruction) => instruction.getArgumentsContent() ?? '';
const inFinal = (keyword: string) => finalStage.filter((i) => i.getKeyword() === keyword);
const json = (instruction: Instruction) => JSON.parse(args(instruction)) as string[];

describe('Dockerfile', () => {
  it('passes the linter with every rule as an error', () => {
    expect(validate(DOCKERFILE, STRICT)).toEqual([]);
  });

  it('the linter does catch mistakes (guards the check above)', () => {
    const broken = DOCKERFILE.replace('EXPOSE 7547', 'EXPOSE seven').replace('WORKDIR /app', 'WORKDIR app');
    expect(validate(broken, STRICT).map((d) => d.message)).toEqual(
      expect.arrayContaining(['Invalid containerPort: seven', 'WORKDIR paths should be absolute']),
    );
  });

  it('builds in a separate stage from a pinned Node LTS image, never `latest`', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const images = dockerfile.getFROMs().map((from) => expand(from.getImage() ?? ''));
    for (const image of images) expect(image).toMatch(/^node:26\.\d+\.\d+-bookworm-slim$/);
    expect(args(stages[0][0])).toMatch(/ AS build$/);
    const buildRuns = stages[0].filter((i) => i.getKeyword() === 'RUN').map(args).join('\n');
    expect(buildRuns).toMatch(/^npm ci\b/m);
    expect(buildRuns).toContain('npm run build');
    expect(buildRuns).toContain('npm prune --omit=dev');
  });

  it('puts only built output and production dependencies in the image', () => {
    const copies = inFinal('COPY') as Copy[];
    expect(copies.map((c) => c.getFromFlag()?.getValue())).toEqual(copies.map(() => 'build'));
    expect(copies.map((c) => c.getArguments()[0].getValue())).toEqual([
      '/src/package.json',
      '/src/node_modules',
      '/src/dist',
      '/src/schemas',
    ]);
    expect(inFinal('RUN').map(args).join('\n')).not.toMatch(/npm (ci|install)/);
  });

  it('runs as a numeric non-root user', () => {
    const users = inFinal('USER').map(args);
    expect(users).toHaveLength(1);
    const [uid] = users[0].split(':');
    expect(uid).toMatch(/^\d+$/);
    expect(Number(uid)).toBeGreaterThan(0);
  });

  it('exposes the cwmp, api and fs ports', () => {
    expect(inFinal('EXPOSE').map(args).join(' ').split(/\s+/).sort()).toEqual(['7547', '7557', '7567']);
  });

  it('has `acs` as entry point, `serve` as default command, and `acs` is the package bin', () => {
    expect(inFinal('ENTRYPOINT').map(json)).toEqual([['acs']]);
    expect(inFinal('CMD').map(json)).toEqual([['serve']]);
    const bin = (JSON.parse(read('package.json')) as { bin: Record<string, string> }).bin.acs;
    expect(inFinal('RUN').map(args)).toContain(`ln -s /app/${bin} /usr/local/bin/acs`);
    expect(args(stages[0].find((i) => args(i).includes('npm run build'))!)).toContain(`chmod 0755 ${bin}`);
  });

  it('checks health with node against /healthz, no curl or wget', () => {
    const [healthcheck] = inFinal('HEALTHCHECK');
    const command = JSON.parse(args(healthcheck).replace(/^.*?CMD\s+/s, '')) as string[];
    expect(command[0]).toBe('node');
    expect(command.join(' ')).toContain('/healthz');
    expect(DOCKERFILE).not.toMatch(/\b(curl|wget)\b/);
  });

  it('carries OCI labels', () => {
    const labels = inFinal('LABEL').map(args).join(' ');
    for (const key of ['title', 'description', 'version', 'licenses']) {
      expect(labels).toContain(`org.opencontainers.image.${key}=`);
    }
  });

  it('sends the build context every COPY of the build stage needs', () => {
    const ignore = read('.dockerignore').split('\n');
    const sources = stages[0]
      .filter((i) => i.getKeyword() === 'COPY')
      .flatMap((i) => i.getArguments().slice(0, -1).map((a) => a.getValue()));
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) {
      expect(existsSync(path.join(ROOT, source))).toBe(true);
      expect(ignore).toContain(`!${source}${source.includes('.') ? '' : '/'}`);
    }
    // nothing inside an allowed folder is excluded again: tsc needs all of src/
    const exclusions = ignore.filter((line) => line.trim() !== '' && !line.startsWith('#') && !line.startsWith('!'));
    expect(exclusions).toEqual(['*']);
  });

  it('keeps the development stores (tools/local-stores) and their dependencies out of the image', () => {
    const ignore = read('.dockerignore').split('\n');
    expect(ignore.filter((line) => line.startsWith('!tools'))).toEqual(['!tools/build.js']);
    const pkg = JSON.parse(read('package.json')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
    expect(pkg.dependencies).not.toHaveProperty('proper-lockfile');
    expect(pkg.devDependencies).toHaveProperty('proper-lockfile');
  });
});

describe('docker-compose.yml', () => {
  const schema = JSON.parse(read('test/fixtures/deploy/compose-spec.json')) as object;
  // The published schema declares draft-07 by an https URL ajv does not know; its keywords are draft-07.
  const validateCompose = new Ajv({ allErrors: true, strict: false, validateSchema: false }).compile(schema);
  const compose = parseYaml(read('docker-compose.yml'), { merge: true }) as {
    services: Record<string, Record<string, any>>;
    volumes: Record<string, unknown>;
  };
  const acsServices = ['migrate', 'cwmp', 'api', 'fs', 'worker', 'tftp', 'syslog'];

  it('is valid against the Compose Specification schema', () => {
    expect(validateCompose(compose)).toBe(true);
    expect(validateCompose.errors).toBeNull();
  });

  it('the schema does reject mistakes (guards the check above)', () => {
    const broken = structuredClone(compose);
    broken.services.cwmp.ports = '7547:7547';
    broken.services.api.restartt = 'always';
    expect(validateCompose(broken)).toBe(false);
    expect(validateCompose.errors!.map((e) => e.instancePath)).toEqual(
      expect.arrayContaining(['/services/cwmp/ports', '/services/api']),
    );
  });

  it('runs one service per role, a migration first, and MongoDB 7 and Redis 7', () => {
    expect(Object.keys(compose.services).sort()).toEqual([...acsServices, 'mongodb', 'redis'].sort());
    for (const role of ['cwmp', 'api', 'fs', 'worker', 'tftp', 'syslog']) {
      expect(compose.services[role].command).toEqual(['serve', '--roles', role]);
      expect(compose.services[role].depends_on.migrate).toEqual({ condition: 'service_completed_successfully' });
    }
    expect(compose.services.migrate.command).toEqual(['migrate']);
    expect(compose.services.mongodb.image).toMatch(/^mongo:7(\.\d+)*$/);
    expect(compose.services.redis.image).toMatch(/^redis:7(\.\d+)*$/);
  });

  it('uses no `latest` or untagged image', () => {
    for (const service of Object.values(compose.services)) expect(service.image).toMatch(/^[^:]+:(?!latest$)[\w.-]+$/);
  });

  it('gives the stores health checks and volumes, and the roles wait for them', () => {
    for (const store of ['mongodb', 'redis']) {
      expect(compose.services[store].healthcheck.test[0]).toBe('CMD');
      const [volume] = compose.services[store].volumes[0].split(':');
      expect(compose.volumes).toHaveProperty(volume);
    }
    for (const name of ['cwmp', 'api', 'fs', 'worker', 'tftp', 'syslog']) {
      expect(compose.services[name].depends_on.mongodb).toEqual({ condition: 'service_healthy' });
      expect(compose.services[name].depends_on.redis).toEqual({ condition: 'service_healthy' });
    }
  });

  it('runs the ACS hardened: read-only root, tmpfs /tmp, non-root, no capabilities', () => {
    for (const name of acsServices) {
      const service = compose.services[name];
      expect(service).toMatchObject({ read_only: true, tmpfs: ['/tmp'], cap_drop: ['ALL'] });
      expect(service.user).toMatch(/^[1-9]\d*:\d+$/);
    }
  });

  it('wires the stores and sets only variables the ACS (or the image health check) reads', () => {
    const known = new Set([...Object.keys(configSchema.properties), 'ACS_HEALTHCHECK_URL', 'ACS_WORKER_PORT']);
    for (const name of acsServices) {
      const env = compose.services[name].environment as Record<string, string>;
      expect(env.MONGODB_URL).toBe('mongodb://mongodb:27017/acs');
      expect(env.REDIS_URL).toBe('redis://redis:6379');
      expect(Object.keys(env).filter((k) => !known.has(k))).toEqual([]);
    }
    for (const role of ['cwmp', 'api', 'fs']) {
      const port = compose.services[role].ports[0].split(':')[1];
      expect(compose.services[role].environment.ACS_HEALTHCHECK_URL).toBe(`http://127.0.0.1:${port}/healthz`);
    }
  });
});
