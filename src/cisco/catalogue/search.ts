import type { ParameterCatalogue } from './load';
import { instantiate } from './names';
import type { CatalogueEntry, ParamType, Ua } from './types';
import { typeLabel } from './value-check';

/**
 * Finding catalogue parameters by what an operator types: part of the XML name
 * (`proxy_1`), of the web page label (`Resync At`) or of the candidate TR-069 path
 * (`ManagementServer.Periodic`). Exact names and paths come first, then prefixes, then the
 * rest, each group in catalogue order. Pure.
 */
export interface CatalogueHit {
  name: string;
  webName: string;
  section: string;
  ua: Ua;
  type: ParamType;
  /** the guides' name of the type (`Uns32`, `Port`, `{Yes,No}`) */
  typeLabel: string;
  /** the candidate TR-069 path of this instance, if any */
  tr069Path?: string;
  sample?: string;
  secret?: true;
}

export function tr069PathOf(entry: CatalogueEntry): string | undefined {
  const path = entry.tr069?.path;
  if (path === undefined) return undefined;
  return entry.index === undefined ? path : instantiate(path, entry.index);
}

export function hitOf(entry: CatalogueEntry): CatalogueHit {
  const path = tr069PathOf(entry);
  return {
    name: entry.name,
    webName: entry.webName,
    section: entry.section,
    ua: entry.ua,
    type: entry.type,
    typeLabel: typeLabel(entry.type),
    ...(path ? { tr069Path: path } : {}),
    ...(entry.sample !== undefined && !entry.secret ? { sample: entry.sample } : {}),
    ...(entry.secret ? { secret: true as const } : {}),
  };
}

export function searchCatalogue(catalogue: ParameterCatalogue, query: string, limit: number): CatalogueHit[] {
  const q = query.trim().toLowerCase();
  if (!q) return catalogue.entries.slice(0, limit).map(hitOf);
  const ranked: CatalogueEntry[][] = [[], [], []];
  for (const entry of catalogue.entries) {
    const texts = [entry.name, entry.webName, tr069PathOf(entry) ?? ''].map((t) => t.toLowerCase());
    if (texts.some((t) => t === q)) ranked[0]!.push(entry);
    else if (texts.some((t) => t.startsWith(q))) ranked[1]!.push(entry);
    else if (texts.some((t) => t.includes(q))) ranked[2]!.push(entry);
  }
  return ranked.flat().slice(0, limit).map(hitOf);
}
