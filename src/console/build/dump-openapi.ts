/**
 * Writes the API's OpenAPI document to a file without starting anything: the route modules
 * only build their repositories from the services at declaration time, so an inert stand-in
 * for the stores is enough. The console's typed client is generated from this file, so a
 * route change breaks the console build instead of the page.
 */
import { writeFileSync } from 'node:fs';
import { buildOpenApi } from '../../api/openapi';
import { ROUTE_MODULES } from '../../api/routes';
import type { ApiServices } from '../../api/services';
import { loadConfig } from '../../config';

/** Answers every property read, call and construction with itself; never a promise. */
function inert(): unknown {
  const target = function inertTarget() {};
  const proxy: unknown = new Proxy(target, {
    get: (_t, key) => (key === 'then' ? undefined : key === Symbol.toPrimitive ? () => '' : proxy),
    apply: () => proxy,
    construct: () => proxy as object,
  });
  return proxy;
}

const out = process.argv[2];
if (!out) {
  process.stderr.write('usage: dump-openapi <output.json>\n');
  process.exit(2);
}
const stand = inert();
const known: Partial<ApiServices> = { config: loadConfig({}) };
const services = new Proxy(known, { get: (t, key) => (key in t ? t[key as keyof ApiServices] : stand) }) as ApiServices;
const routes = ROUTE_MODULES.flatMap((m) => m(services));
writeFileSync(out, `${JSON.stringify(buildOpenApi(routes, { version: '1.0.0' }), null, 2)}\n`);
