import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { repoRoot } from '../../../src/stores/paths';
import { buildCacheDir } from '../../../tools/local-stores/paths';
import { findExecutable, runCommand } from '../../../tools/local-stores/process';

/**
 * Helm 3 for the chart tests, built from the Go module proxy into the machine's build cache (`~/.cache/cwmp-acs/helm`), with
 * `kstrict` (helm/tools/kstrict) beside it. `go install helm.sh/helm/v3/cmd/helm@version` cannot
 * be used here (the proxy refuses some modules' version lists), so helm/tools is a module that
 * requires Helm as a tool and `go install` runs inside it. The build (two to three minutes on
 * two cores) runs again only when the module, kstrict or Go changes.
 */

export interface HelmTools {
  helm: string;
  kstrict: string;
}

const TOOLS_DIR = () => path.join(repoRoot(), 'helm', 'tools');

function required(goMod: string, module: string): string {
  const match = new RegExp(`^\\s*${module.replace(/[.]/g, '\\.')} (v\\S+)`, 'm').exec(goMod);
  if (!match) throw new Error(`helm/tools/go.mod does not require ${module}`);
  return match[1];
}

/**
 * The version stamps Helm's own release build sets: without them `helm version` prints nothing
 * useful and `helm template` assumes Kubernetes 1.20. The Kubernetes minor version follows the
 * client-go module Helm is built with (v0.N.x is Kubernetes 1.N).
 */
function ldflags(goMod: string): string {
  const helm = required(goMod, 'helm.sh/helm/v3');
  const kubeMinor = /^v0\.(\d+)\./.exec(required(goMod, 'k8s.io/client-go'))?.[1];
  if (!kubeMinor) throw new Error('cannot tell the Kubernetes version from k8s.io/client-go in helm/tools/go.mod');
  const flags = ['-s', '-w', `-X helm.sh/helm/v3/internal/version.version=${helm}`];
  for (const pkg of ['helm.sh/helm/v3/pkg/chartutil', 'helm.sh/helm/v3/pkg/lint/rules']) {
    flags.push(`-X ${pkg}.k8sVersionMajor=1`, `-X ${pkg}.k8sVersionMinor=${kubeMinor}`);
  }
  return flags.join(' ');
}

/** Paths of helm and kstrict built from helm/tools, building them first when missing or stale. */
export async function ensureHelmTools(log: (message: string) => void): Promise<HelmTools> {
  const go = findExecutable('go', ['/usr/local/go/bin']);
  if (!go) throw new Error('the chart tests build helm with Go: no `go` on PATH or in /usr/local/go/bin (install Go 1.26+)');
  const toolsDir = TOOLS_DIR();
  const binDir = path.join(buildCacheDir(), 'helm');
  const tools: HelmTools = { helm: path.join(binDir, 'helm'), kstrict: path.join(binDir, 'kstrict') };
  const stampFile = `${tools.helm}.stamp`;
  const goMod = await readFile(path.join(toolsDir, 'go.mod'), 'utf8');
  const goVersion = (await runCommand(go, ['env', 'GOVERSION'], { cwd: toolsDir })).trim();
  const wanted = createHash('sha256')
    .update(goMod)
    .update(await readFile(path.join(toolsDir, 'go.sum')))
    .update(await readFile(path.join(toolsDir, 'kstrict', 'main.go')))
    .update(goVersion)
    .digest('hex');
  const upToDate = async () =>
    existsSync(tools.helm) && existsSync(tools.kstrict) && existsSync(stampFile) && (await readFile(stampFile, 'utf8')) === wanted;
  if (await upToDate()) return tools;

  await mkdir(binDir, { recursive: true });
  const release = await lockfile.lock(binDir, {
    lockfilePath: path.join(buildCacheDir(), 'helm-build.lock'),
    realpath: false,
    stale: 30_000,
    update: 5_000,
    // another process may be building: wait for it (a cold build takes minutes)
    retries: { retries: 900, factor: 1, minTimeout: 1000, maxTimeout: 1000 },
    onCompromised: (err) => log(`helm build: lock lost (${err.message}); continuing`),
  });
  try {
    if (await upToDate()) return tools;
    log(`helm build: go install helm.sh/helm/v3/cmd/helm@${required(goMod, 'helm.sh/helm/v3')} and kstrict into ${binDir} (minutes on a cold Go cache) ...`);
    const started = Date.now();
    await runCommand(go, ['install', '-trimpath', `-ldflags=${ldflags(goMod)}`, 'helm.sh/helm/v3/cmd/helm', './kstrict'], {
      cwd: toolsDir,
      env: { ...process.env, GOBIN: binDir, CGO_ENABLED: '0', GOFLAGS: '-mod=readonly -buildvcs=false' },
    });
    await writeFile(stampFile, wanted);
    log(`helm build: done in ${Math.round((Date.now() - started) / 1000)} s`);
    return tools;
  } finally {
    await release();
  }
}
