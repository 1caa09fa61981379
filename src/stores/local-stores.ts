import path from 'node:path';
import { StoreError } from './errors';

/**
 * The contract of the development stores (`tools/local-stores`: FerretDB built from source, a
 * redis-server when none answers). They are a tool of the checkout, not part of the product:
 * the image does not contain them, so the product reaches them only through this loader.
 */

/** Where progress of the local stores goes (stderr by default). */
export type StoreLog = (message: string) => void;

export interface LocalStores {
  mongodbUrl: string;
  redisUrl: string;
  /** stops the stores this call started (none when it found them running) */
  stop(): Promise<void>;
}

export interface LocalStoresOptions {
  /** build output, state and (by default) FerretDB data; default `<repo>/.data` */
  dataDir?: string;
  /** where a started MongoDB/FerretDB keeps its data; default `<dataDir>/ferretdb` (or `mongod`) */
  storageDir?: string;
  /** record the stores in `<dataDir>/local-stores.json` for CLI commands of this checkout */
  writeStateFile?: boolean;
  env?: NodeJS.ProcessEnv;
  log?: StoreLog;
  /** the shared Redis tried when REDIS_URL is unset (default redis://127.0.0.1:6379) */
  defaultRedisUrl?: string;
}

export interface LocalStoresTool {
  ensureLocalStores(options?: LocalStoresOptions): Promise<LocalStores>;
}

/** Same relative place from `src/stores/` (under ts) and from `dist/src/stores/` (built). */
const TOOL = path.join(__dirname, '..', '..', 'tools', 'local-stores');

/** Finds or starts the local stores, or says why this installation has none. */
export async function ensureLocalStores(options?: LocalStoresOptions): Promise<LocalStores> {
  let tool: LocalStoresTool;
  try {
    // a computed path: tsc must not pull the tool into the product's build
    tool = (await import(TOOL)) as LocalStoresTool;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw err;
    throw new StoreError('--local-stores starts development stores from a checkout of the source (tools/local-stores), and this installation has none: set MONGODB_URL and REDIS_URL');
  }
  return tool.ensureLocalStores(options);
}
