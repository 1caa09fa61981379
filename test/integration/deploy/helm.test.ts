import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { parseAllDocuments } from 'yaml';
import configSchema from '../../../schemas/config.schema.json';
import { loadConfig } from '../../../src/config';
import { ensureHelmTools, type HelmTools } from './helm-binary';

/**
 * The chart, rendered with the values files of test/fixtures/helm: `helm lint`, then every
 * manifest validated against the Kubernetes API schemas (kubernetes-models) and decoded strictly
 * into client-go's types (kstrict: no unknown fields), then the properties operators rely on.
 */

const run = promisify(execFile);
const ROOT = path.join(__dirname, '../../..');
const CHART = path.join(ROOT, 'helm', 'acs');
/** Values files shipped with the chart (helm/acs/examples) are rendered like the test fixtures. */
const EXAMPLES = ['https-client-certificates'];
const fixture = (name: string) => (EXAMPLES.includes(name) ? path.join(CHART, 'examples', `${name}.yaml`) : path.join(ROOT, 'test', 'fixtures', 'helm', `${name}.yaml`));

type Manifest = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [key: string]: any;
};

/** Model classes by apiVersion/kind; a kind the chart renders but this map lacks fails the test. */
const MODELS: Record<string, new (data: any) => { validate(): void }> = {
  'apps/v1/Deployment': Deployment,
  'apps/v1/StatefulSet': StatefulSet,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'batch/v1/Job': Job,
  'networking.k8s.io/v1/Ingress': Ingress,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'v1/ServiceAccount': ServiceAccount,
  'monitoring.coreos.com/v1/ServiceMonitor': ServiceMonitor,
};

let tools: HelmTools;

beforeAll(async () => {
  tools = await ensureHelmTools((message) => process.stderr.write(`${message}\n`));
}, 900_000);

async function helm(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(tools.helm, args, { maxBuffer: 16 * 1024 * 1024, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

async function render(values: string, ...extra: string[]): Promise<{ text: string; manifests: Manifest[] }> {
  const result = await helm('template', 'acs', CHART, '--namespace', 'acs', '-f', fixture(values), ...extra);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const manifests = parseAllDocuments(result.stdout)
    .map((doc) => doc.toJS() as Manifest | null)
    .filter((m): m is Manifest => m !== null);
  return { text: result.stdout, manifests };
}

async function kstrict(text: string): Promise<Array<{ kind: string; name: string; skipped?: boolean; error?: string }>> {
  const child = execFile(tools.kstrict, { timeout: 60_000 });
  let stdout = '';
  child.stdout!.on('data', (chunk: string) => (stdout += chunk));
  const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
  child.stdin!.end(text);
  await exited;
  return stdout.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line));
}

const byKind = (manifests: Manifest[], kind: string) => manifests.filter((m) => m.kind === kind);
const named = (manifests: Manifest[], kind: string, name: string) => {
  const found = manifests.find((m) => m.kind === kind && m.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} rendered`);
  return found;
};

const GOOD_VALUES = ['external-stores', 'all-features', 'existing-secret', 'bundled-stores', ...EXAMPLES];

describe.each(GOOD_VALUES)('with %s.yaml', (values) => {
  let rendered: { text: string; manifests: Manifest[] };
  beforeAll(async () => {
    rendered = await render(values);
  }, 120_000);

  it('passes helm lint --strict', async () => {
    const result = await helm('lint', '--strict', CHART, '-f', fixture(values));
    expect(result.stdout).toContain('1 chart(s) linted, 0 chart(s) failed');
    expect(result.code).toBe(0);
  }, 60_000);

  it('renders only manifests valid against the Kubernetes API schemas', () => {
    for (const manifest of rendered.manifests) {
      const Model = MODELS[`${manifest.apiVersion}/${manifest.kind}`];
      if (!Model) throw new Error(`no schema known for ${manifest.apiVersion} ${manifest.kind}`);
      expect(() => new Model(manifest).validate()).not.toThrow();
    }
  });

  it('renders no field the Kubernetes API types lack', async () => {
    const results = await kstrict(rendered.text);
    expect(results).toHaveLength(rendered.manifests.length);
    expect(results.filter((r) => r.error)).toEqual([]);
    expect(results.filter((r) => r.skipped).map((r) => r.kind)).toEqual(
      rendered.manifests.filter((m) => m.kind === 'ServiceMonitor').map(() => 'ServiceMonitor'),
    );
  }, 60_000);

  it('runs each role in its own hardened Deployment with health and readiness probes', () => {
    const deployments = byKind(rendered.manifests, 'Deployment');
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual(['acs-api', 'acs-cwmp', 'acs-fs', 'acs-worker']);
    for (const deployment of deployments) {
      const role = deployment.metadata.name.replace('acs-', '');
      const pod = deployment.spec.template.spec;
      const [container] = pod.containers;
      expect(container.args).toEqual(['serve', '--roles', role]);
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      expect(container.securityContext).toMatchObject({
        runAsNonRoot: true,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
      });
      expect(container.livenessProbe.httpGet.path).toBe('/healthz');
      expect(container.readinessProbe.httpGet.path).toBe('/readyz');
      const probePort = container.livenessProbe.httpGet.port;
      expect(container.readinessProbe.httpGet.port).toBe(probePort);
      expect(container.ports.map((p: { name: string }) => p.name)).toContain(probePort);
      expect(probePort).not.toBe('metrics');
      expect(container.ports).toContainEqual({ name: 'metrics', containerPort: 9464, protocol: 'TCP' });
      expect(container.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
      expect(container.image).not.toMatch(/:latest$/);
      expect(container.resources.requests.cpu).toBeDefined();
      expect(deployment.spec.selector.matchLabels['app.kubernetes.io/component']).toBe(role);
    }
  });

  it('sets only variables the ACS reads, and keeps credentials out of the ConfigMap', () => {
    const known = new Set(Object.keys(configSchema.properties));
    const configMap = named(rendered.manifests, 'ConfigMap', 'acs');
    expect(Object.keys(configMap.data).filter((k) => !known.has(k))).toEqual([]);
    for (const secret of byKind(rendered.manifests, 'Secret')) {
      expect(Object.keys(secret.stringData ?? {}).filter((k) => !known.has(k))).toEqual([]);
    }
    expect(Object.keys(configMap.data)).not.toEqual(expect.arrayContaining(['ACS_SECRET']));
    expect(Object.keys(configMap.data).filter((k) => /PASSWORD|SECRET/.test(k))).toEqual([]);
    // the chart's default keeps connection requests off loopback too, unlike a laptop's ACS
    const blocked = loadConfig({ ACS_CR_BLOCKED_NETWORKS: configMap.data.ACS_CR_BLOCKED_NETWORKS }).connectionRequests.blockedNetworks;
    for (const address of ['127.0.0.1', '::1', '169.254.169.254']) expect([address, blocked.list.check(address, address.includes(':') ? 'ipv6' : 'ipv4')]).toEqual([address, true]);
  });

  it('migrates with `acs migrate` in a hook Job that gets the same settings as the roles', () => {
    const job = named(rendered.manifests, 'Job', 'acs-migrate');
    const configMap = named(rendered.manifests, 'ConfigMap', 'acs');
    const [container] = job.spec.template.spec.containers;
    expect(container.args).toEqual(['migrate']);
    // the stores' CA (storesCa) is Node's setting, not the ACS's
    const { NODE_EXTRA_CA_CERTS: _ca, ...env } = Object.fromEntries(container.env.map((e: { name: string; value: string }) => [e.name, e.value]));
    expect(env).toEqual(configMap.data);
    expect(job.metadata.annotations!['helm.sh/hook']).toMatch(/pre-upgrade/);
    expect(job.metadata.annotations!['helm.sh/hook-delete-policy']).toContain('before-hook-creation');
  });

  it('serves metrics on the internal metrics port only: no role Service carries it, only monitoring may reach it', () => {
    const configMap = named(rendered.manifests, 'ConfigMap', 'acs');
    expect(configMap.data.ACS_METRICS_PORT).toBe('9464');
    for (const role of ['cwmp', 'api', 'fs']) {
      const ports = named(rendered.manifests, 'Service', `acs-${role}`).spec.ports;
      expect([role, ports.map((p: { targetPort: string }) => p.targetPort)]).toEqual([role, ['http']]);
    }
    for (const role of ['cwmp', 'api', 'fs', 'worker']) {
      const service = named(rendered.manifests, 'Service', `acs-${role}-metrics`);
      expect(service.spec.type).toBe('ClusterIP');
      expect(service.spec.selector['app.kubernetes.io/component']).toBe(role);
      expect(service.spec.ports).toEqual([{ name: 'metrics', port: 9464, targetPort: 'metrics', protocol: 'TCP' }]);
    }
    expect(byKind(rendered.manifests, 'Service').filter((s) => s.spec.ports.some((p: { targetPort: string }) => p.targetPort === 'metrics')).map((s) => s.spec.type)).toEqual(
      ['ClusterIP', 'ClusterIP', 'ClusterIP', 'ClusterIP'],
    );
    const policies = byKind(rendered.manifests, 'NetworkPolicy');
    if (!policies.length) return;
    for (const role of ['cwmp', 'api', 'fs', 'worker']) {
      const rules = named(rendered.manifests, 'NetworkPolicy', `acs-${role}`).spec.ingress as Array<{ from?: unknown[]; ports: Array<{ port: string }> }>;
      const metricsRules = rules.filter((r) => r.ports.some((p) => p.port === 'metrics'));
      expect([role, metricsRules.map((r) => r.from)]).toEqual([role, [[{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }]]]);
    }
  });

  it('keeps the device source address on the cwmp Service when it is exposed', () => {
    const service = named(rendered.manifests, 'Service', 'acs-cwmp');
    if (service.spec.type === 'ClusterIP') expect(service.spec.externalTrafficPolicy).toBeUndefined();
    else expect(service.spec.externalTrafficPolicy).toBe('Local');
  });
});

describe('feature switches', () => {
  it('defaults: cwmp autoscaled (no fixed replicas), LoadBalancer with externalTrafficPolicy Local, no ServiceMonitor or Ingress', async () => {
    const { manifests } = await render('external-stores');
    expect(byKind(manifests, 'HorizontalPodAutoscaler').map((h) => h.metadata.name)).toEqual(['acs-cwmp']);
    expect(named(manifests, 'Deployment', 'acs-cwmp').spec.replicas).toBeUndefined();
    expect(named(manifests, 'Deployment', 'acs-api').spec.replicas).toBe(2);
    expect(named(manifests, 'Service', 'acs-cwmp').spec).toMatchObject({ type: 'LoadBalancer', externalTrafficPolicy: 'Local' });
    expect(byKind(manifests, 'ServiceMonitor')).toEqual([]);
    expect(byKind(manifests, 'Ingress')).toEqual([]);
    expect(byKind(manifests, 'PodDisruptionBudget').map((p) => p.metadata.name).sort()).toEqual(['acs-api', 'acs-cwmp', 'acs-fs']);
    const secret = named(manifests, 'Secret', 'acs');
    expect(secret.stringData.MONGODB_URL).toMatch(/^mongodb:\/\/mongo-0/);
    expect(named(manifests, 'Job', 'acs-migrate').metadata.annotations!['helm.sh/hook']).toBe('pre-install,pre-upgrade');
    expect(named(manifests, 'ConfigMap', 'acs').data.ACS_PUBLIC_FS_URL).toBe('http://acs-fs:7567');
  }, 60_000);

  it('all features: HPA for api too, Ingress with TLS for api and fs, ServiceMonitor, credentials in the Secret', async () => {
    const { manifests } = await render('all-features');
    expect(byKind(manifests, 'HorizontalPodAutoscaler').map((h) => h.metadata.name).sort()).toEqual(['acs-api', 'acs-cwmp']);
    const ingresses = byKind(manifests, 'Ingress');
    expect(ingresses.map((i) => [i.metadata.name, i.spec.rules[0].host, i.spec.tls[0].secretName])).toEqual([
      ['acs-api', 'acs-api.example.net', 'acs-api-tls'],
      ['acs-fs', 'files.example.net', 'files-tls'],
    ]);
    const [monitor] = byKind(manifests, 'ServiceMonitor');
    expect(monitor.metadata.labels!.release).toBe('prometheus');
    expect(monitor.spec.endpoints.map((e: { port: string; path: string }) => [e.port, e.path])).toEqual([['metrics', '/metrics']]);
    expect(monitor.spec.selector.matchLabels['app.kubernetes.io/metrics']).toBe('true');
    const scraped = byKind(manifests, 'Service').filter((s) => Object.entries(monitor.spec.selector.matchLabels).every(([k, v]) => s.metadata.labels?.[k] === v));
    expect(scraped.map((s) => s.metadata.name).sort()).toEqual(['acs-api-metrics', 'acs-cwmp-metrics', 'acs-fs-metrics', 'acs-worker-metrics']);
    expect(named(manifests, 'ConfigMap', 'acs').data).toMatchObject({
      ACS_PUBLIC_FS_URL: 'https://files.example.net',
      ACS_CWMP_SESSION_TIMEOUT: '45',
      ACS_CWMP_HOLD_REQUESTS: 'true',
    });
    expect(named(manifests, 'Secret', 'acs').stringData).toMatchObject({ ACS_CWMP_USERNAME: 'cpe', ACS_CWMP_PASSWORD: 'cpe-password' });
    expect(named(manifests, 'Deployment', 'acs-cwmp').spec.template.spec.containers[0].image).toBe(
      'registry.example.net/acs/cwmp-acs@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
    );
    const apiPolicy = named(manifests, 'NetworkPolicy', 'acs-api');
    expect(apiPolicy.spec.ingress[0].from).toContainEqual({ ipBlock: { cidr: '198.51.100.0/24' } });
  }, 60_000);

  it('existingSecret: no Secret rendered, every pod reads the named one', async () => {
    const { manifests } = await render('existing-secret');
    expect(byKind(manifests, 'Secret')).toEqual([]);
    for (const deployment of byKind(manifests, 'Deployment')) {
      expect(deployment.spec.template.spec.containers[0].envFrom).toContainEqual({ secretRef: { name: 'acs-credentials' } });
      expect(deployment.spec.template.metadata.annotations['checksum/secret']).toBeUndefined();
    }
    expect(named(manifests, 'Job', 'acs-migrate').spec.template.spec.containers[0].envFrom).toEqual([
      { secretRef: { name: 'acs-credentials' } },
    ]);
  }, 60_000);

  it('bundled stores: MongoDB and Redis StatefulSets reachable only from the ACS, migration after install', async () => {
    const { manifests } = await render('bundled-stores');
    expect(byKind(manifests, 'StatefulSet').map((s) => s.metadata.name)).toEqual(['acs-mongodb', 'acs-redis']);
    expect(named(manifests, 'ConfigMap', 'acs').data).toMatchObject({
      MONGODB_URL: 'mongodb://acs-mongodb:27017/acs',
      REDIS_URL: 'redis://acs-redis:6379',
    });
    expect(named(manifests, 'Secret', 'acs').stringData ?? {}).not.toHaveProperty('MONGODB_URL');
    expect(named(manifests, 'Job', 'acs-migrate').metadata.annotations!['helm.sh/hook']).toBe('post-install,pre-upgrade');
    const policy = named(manifests, 'NetworkPolicy', 'acs-mongodb');
    expect(policy.spec.ingress[0].from[0].podSelector.matchLabels).toEqual({
      'app.kubernetes.io/name': 'acs',
      'app.kubernetes.io/instance': 'acs',
    });
    for (const set of byKind(manifests, 'StatefulSet')) {
      expect(set.spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem).toBe(true);
      expect(set.spec.template.spec.containers[0].image).toMatch(/^(mongo:7|redis:7)\./);
    }
  }, 60_000);
});

describe('TLS in the pods (examples/https-client-certificates.yaml)', () => {
  let manifests: Manifest[];
  beforeAll(async () => {
    ({ manifests } = await render('https-client-certificates'));
  }, 120_000);
  const container = (role: string) => named(manifests, 'Deployment', `acs-${role}`).spec.template.spec.containers[0];
  const env = (c: { env?: Array<{ name: string; value: string }> }) => Object.fromEntries((c.env ?? []).map((e) => [e.name, e.value]));

  it('cwmp and fs get their certificate, key and client CA as files, and the ACS reads those settings', () => {
    const configMap = named(manifests, 'ConfigMap', 'acs');
    for (const role of ['cwmp', 'fs']) {
      const ROLE = role.toUpperCase();
      const vars = env(container(role));
      expect(vars).toMatchObject({
        [`ACS_${ROLE}_TLS_CERT`]: '/etc/acs/tls/tls.crt',
        [`ACS_${ROLE}_TLS_KEY`]: '/etc/acs/tls/tls.key',
        [`ACS_${ROLE}_TLS_CLIENT_CA`]: '/etc/acs/client-ca/ca.crt',
      });
      const config = loadConfig({ ...configMap.data, ...vars });
      expect(config[role as 'cwmp' | 'fs'].tls).toEqual({ certFile: '/etc/acs/tls/tls.crt', keyFile: '/etc/acs/tls/tls.key', clientCaFile: '/etc/acs/client-ca/ca.crt' });
      expect([...config.tls.revokedSerials]).toEqual(['A1B2C3D']);
    }
    for (const role of ['api', 'worker']) expect(Object.keys(env(container(role))).filter((k) => k.includes('_TLS_'))).toEqual([]);
  });

  it('every file a variable names is mounted read-only from the Secret key of that name', () => {
    const known = new Set(Object.keys(configSchema.properties));
    for (const deployment of [...byKind(manifests, 'Deployment'), named(manifests, 'Job', 'acs-migrate')]) {
      const pod = deployment.spec.template.spec;
      const [c] = pod.containers;
      for (const [name, value] of Object.entries(env(c))) {
        if (deployment.kind === 'Deployment') expect([name, known.has(name) || name === 'NODE_EXTRA_CA_CERTS']).toEqual([name, true]);
        if (!String(value).startsWith('/etc/acs/')) continue;
        const mount = c.volumeMounts.find((m: { mountPath: string }) => m.mountPath === path.dirname(String(value)));
        expect([name, mount?.readOnly]).toEqual([name, true]);
        const volume = pod.volumes.find((v: { name: string }) => v.name === mount.name);
        expect([name, volume.secret.items.map((i: { path: string }) => i.path)]).toEqual([name, expect.arrayContaining([path.basename(String(value))])]);
      }
    }
    const volumes = (role: string) => Object.fromEntries(named(manifests, 'Deployment', `acs-${role}`).spec.template.spec.volumes.filter((v: { secret?: object }) => v.secret).map((v: { name: string; secret: { secretName: string } }) => [v.name, v.secret.secretName]));
    expect(volumes('cwmp')).toEqual({ tls: 'cwmp-tls', 'client-ca': 'phone-client-ca', 'stores-ca': 'stores-ca' });
    expect(volumes('fs')).toEqual({ tls: 'files-tls', 'client-ca': 'phone-client-ca', 'stores-ca': 'stores-ca' });
  });

  it('trusts the stores CA in every pod and in the migration Job', () => {
    for (const c of [...byKind(manifests, 'Deployment').map((d) => d.spec.template.spec.containers[0]), named(manifests, 'Job', 'acs-migrate').spec.template.spec.containers[0]]) {
      expect(env(c).NODE_EXTRA_CA_CERTS).toBe('/etc/acs/stores-ca/ca.crt');
    }
  });

  it('probes cwmp and fs over HTTPS, api and worker over HTTP', () => {
    for (const role of ['cwmp', 'fs']) {
      expect([role, container(role).livenessProbe.httpGet.scheme, container(role).readinessProbe.httpGet.scheme]).toEqual([role, 'HTTPS', 'HTTPS']);
    }
    for (const role of ['api', 'worker']) expect([role, container(role).livenessProbe.httpGet.scheme]).toEqual([role, undefined]);
  });

  it('exposes cwmp and fs on 443 through TCP LoadBalancers that keep the phone address, open to phones', () => {
    for (const role of ['cwmp', 'fs']) {
      const service = named(manifests, 'Service', `acs-${role}`);
      expect(service.spec).toMatchObject({ type: 'LoadBalancer', externalTrafficPolicy: 'Local', ports: [{ port: 443, targetPort: 'http', protocol: 'TCP' }] });
      const rules = named(manifests, 'NetworkPolicy', `acs-${role}`).spec.ingress;
      expect(rules).toContainEqual({ ports: [{ port: 'http', protocol: 'TCP' }] });
    }
    expect(byKind(manifests, 'Ingress')).toEqual([]);
    expect(named(manifests, 'ConfigMap', 'acs').data.ACS_PUBLIC_FS_URL).toBe('https://files.example.net');
  });

  it('leaves the fs NetworkPolicy closed to outsiders while fs sits behind the Ingress', async () => {
    const { manifests: plain } = await render('all-features');
    expect(named(plain, 'NetworkPolicy', 'acs-fs').spec.ingress[0].from).toBeDefined();
  }, 60_000);

  it('refuses client certificates without HTTPS', async () => {
    const result = await helm('template', 'acs', CHART, '-f', fixture('external-stores'), '--set', 'fs.tls.clientCa.secretName=phones');
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('fs.tls.clientCa needs fs.tls.secretName: client certificates come with HTTPS');
  }, 60_000);
});

describe('values the chart refuses', () => {
  it('fails helm template with the schema messages for bad-values.yaml', async () => {
    const result = await helm('template', 'acs', CHART, '-f', fixture('bad-values'));
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("values don't meet the specifications of the schema(s)");
    expect(result.stderr).toContain("at '/cwmp/replicas': got string, want integer");
    expect(result.stderr).toContain("at '/externalMongodb/url': 'postgres://db.example.net/acs' does not match pattern");
    expect(result.stderr).toContain("at '/acs/logLevel': value must be one of");
  }, 60_000);

  it.each([
    [['--set', 'image.tag=latest'], "at '/image/tag'"],
    [['--set', 'cwmp.service.type=ExternalName'], "at '/cwmp/service/type'"],
    [['--set', 'secrets.acsSecret=short'], "at '/secrets/acsSecret'"],
    [['--set', 'acs.extraEnv.ACS_CWMP_PASSWORD=x'], "at '/acs/extraEnv/ACS_CWMP_PASSWORD'"],
    [['--set', 'acs.extraEnv.LOG_LEVEL=debug'], "at '/acs/extraEnv': additional properties 'LOG_LEVEL' not allowed"],
    [['--set', 'cwmp.replicaz=3'], "at '/cwmp': additional properties 'replicaz' not allowed"],
    [['--set', 'worker.connectionRequestBlockedNetworks=10.0.0.0/8\\,metadata'], "at '/worker/connectionRequestBlockedNetworks'"],
    [['--set', 'acs.extraEnv.ACS_CR_BLOCKED_NETWORKS=10.0.0.0/8'], "at '/acs/extraEnv/ACS_CR_BLOCKED_NETWORKS'"],
    [['--set', 'podSecurityContext.runAsNonRoot=false'], "at '/podSecurityContext/runAsNonRoot'"],
    [['--set', 'cwmp.tls.secretName=Not_A_Name'], "at '/cwmp/tls/secretName'"],
    [['--set', 'api.tls.secretName=api-tls'], "at '/api': additional properties 'tls' not allowed"],
  ])('refuses %j', async (args, message) => {
    const result = await helm('template', 'acs', CHART, '-f', fixture('external-stores'), ...args);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(message);
  }, 60_000);

  it('says which store is missing when no URL, bundled store or existing Secret is given', async () => {
    const result = await helm('template', 'acs', CHART);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('externalMongodb.url is required unless mongodb.enabled or secrets.existingSecret is set');
  }, 60_000);

  it('refuses a device username without a password', async () => {
    const result = await helm('template', 'acs', CHART, '-f', fixture('external-stores'), '--set', 'secrets.cwmpUsername=cpe');
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('secrets.cwmpUsername and secrets.cwmpPassword go together');
  }, 60_000);

  it('catches an unknown field with kstrict (guards the strict check)', async () => {
    const { text } = await render('external-stores');
    const results = await kstrict(text.replace('revisionHistoryLimit: 5', 'revisionHistoryLimt: 5'));
    expect(results.find((r) => r.error)?.error).toContain('unknown field "spec.revisionHistoryLimt"');
  }, 60_000);
});

describe('values.yaml', () => {
  it('documents a value for every top-level key of the schema', () => {
    const schema = JSON.parse(readFileSync(path.join(CHART, 'values.schema.json'), 'utf8')) as { properties: object };
    const defaults = parseAllDocuments(readFileSync(path.join(CHART, 'values.yaml'), 'utf8'))[0].toJS() as object;
    expect(Object.keys(schema.properties).filter((k) => k !== 'global').sort()).toEqual(Object.keys(defaults).sort());
  });
});
