/**
 * Resolves Cisco XML names to TR-069 paths for one product class: the catalogue's candidate
 * mapping, then the operator's overrides for that product class (a path, or null to unmap).
 * Override keys are XML names (`Proxy_2_`) or family templates (`Proxy_{n}_`, with `{n}` in the
 * path); a name beats its template. Override targets use the conversion of the parameter's
 * type (Bool -> xsd:boolean, Uns/Port -> xsd:unsignedInt, Sig -> xsd:int, else xsd:string).
 */
import type { ParameterValueStruct, ParamValue } from '../../cwmp/soap/types';
import { instantiate, loadCatalogue, type CatalogueEntry, type ParameterCatalogue, type Tr069Codec } from '../catalogue';
import {
  defaultCodec,
  fromTr069,
  joinHostPort,
  MappingError,
  splitHostPortValue,
  toTr069,
} from './codecs';

/** `{ productClass: { xmlNameOrTemplate: tr069Path | null } }` */
export type MappingOverrides = Record<string, Record<string, string | null>>;

export interface ResolvedMapping {
  name: string;
  path: string;
  /** hostPort: the path of the port half. */
  portPath?: string;
  codec: Tr069Codec;
  values?: Record<string, string>;
  /** Where the path came from; catalogue paths are unconfirmed candidates. */
  origin: 'catalogue' | 'override';
}

export interface ToTr069Result {
  parameterList: ParameterValueStruct[];
  /** XML names with no TR-069 path, or whose value has no TR-069 form: deliver by file. */
  unmapped: string[];
}

export interface FromTr069Result {
  values: Record<string, string>;
  /** TR-069 paths no catalogue parameter maps to, or whose value has no XML form. */
  unmapped: string[];
}

export interface DataModelMatch {
  /** Catalogue parameters whose path the device has. */
  matched: Array<{ name: string; path: string }>;
  /** Catalogue parameters with a path the device lacks. */
  missing: Array<{ name: string; path: string }>;
  /** Catalogue parameters with no TR-069 path at all. */
  unmapped: string[];
  /** Device parameters (leaves) no catalogue parameter maps to. */
  unclaimed: string[];
}

const PATH = /^[A-Z][A-Za-z0-9_-]*(\.([A-Za-z0-9_-]+|\{n\}))+$/;

export class Tr069Mapper {
  private readonly byName = new Map<string, ResolvedMapping>();
  private readonly byPath = new Map<string, { name: string; part: 'value' | 'port' }>();

  constructor(
    readonly productClass: string,
    overrides: MappingOverrides = {},
    readonly catalogue: ParameterCatalogue = loadCatalogue(),
  ) {
    const own = overrides[productClass] ?? {};
    for (const [key, path] of Object.entries(own)) {
      const known = catalogue.get(key) ?? catalogue.family(key)[0];
      if (!known) throw new MappingError(`override for ${productClass}: ${key} is not a catalogue parameter or {n} template`);
      if (path !== null && !PATH.test(path)) throw new MappingError(`override for ${productClass}: ${key}: "${path}" is not a TR-069 parameter path`);
      if (path?.includes('{n}') && !key.includes('{n}')) {
        throw new MappingError(`override for ${productClass}: ${key}: {n} in the path needs a {n} template name`);
      }
    }
    for (const entry of catalogue.entries) {
      const mapping = this.mappingFor(entry, own);
      if (!mapping) continue;
      this.claim(mapping.path, entry.name, 'value');
      if (mapping.portPath) this.claim(mapping.portPath, entry.name, 'port');
      this.byName.set(entry.name, mapping);
    }
  }

  private mappingFor(entry: CatalogueEntry, own: Record<string, string | null>): ResolvedMapping | undefined {
    const override = entry.name in own ? own[entry.name] : entry.template && entry.template in own ? own[entry.template] : undefined;
    const at = (p: string): string => (entry.index === undefined ? p : instantiate(p, entry.index));
    if (override === null) return undefined;
    if (override !== undefined) {
      return { name: entry.name, path: at(override), codec: defaultCodec(entry.type), origin: 'override' };
    }
    const m = entry.tr069;
    if (!m) return undefined;
    return {
      name: entry.name,
      path: at(m.path),
      ...(m.portPath ? { portPath: at(m.portPath) } : {}),
      codec: m.codec,
      ...(m.values ? { values: m.values } : {}),
      origin: 'catalogue',
    };
  }

  private claim(path: string, name: string, part: 'value' | 'port'): void {
    const other = this.byPath.get(path);
    if (other) throw new MappingError(`${this.productClass}: ${name} and ${other.name} both map to ${path}`);
    this.byPath.set(path, { name, part });
  }

  resolve(name: string): ResolvedMapping | undefined {
    return this.byName.get(name);
  }

  /** The XML parameter a TR-069 path belongs to (`part: 'port'` for the port half of host:port). */
  reverse(path: string): { name: string; part: 'value' | 'port' } | undefined {
    return this.byPath.get(path);
  }

  toParameterValues(values: Record<string, string>): ToTr069Result {
    const parameterList: ParameterValueStruct[] = [];
    const unmapped: string[] = [];
    for (const [name, xml] of Object.entries(values)) {
      const m = this.byName.get(name);
      if (!m) {
        unmapped.push(name);
        continue;
      }
      if (m.codec === 'hostPort') {
        const { host, port } = splitHostPortValue(name, xml);
        parameterList.push({ name: m.path, ...host });
        if (port && m.portPath) parameterList.push({ name: m.portPath, ...port });
        continue;
      }
      const typed = toTr069(name, m, xml);
      if (typed) parameterList.push({ name: m.path, ...typed });
      else unmapped.push(name);
    }
    return { parameterList, unmapped };
  }

  fromParameterValues(list: ReadonlyArray<{ name: string; value: ParamValue }>): FromTr069Result {
    const values: Record<string, string> = {};
    const unmapped: string[] = [];
    const hostPort = new Map<string, { host?: ParamValue; port?: ParamValue; paths: string[] }>();
    for (const { name: path, value } of list) {
      const target = this.byPath.get(path);
      const m = target && this.byName.get(target.name);
      if (!target || !m) {
        unmapped.push(path);
        continue;
      }
      if (m.codec === 'hostPort') {
        const acc = hostPort.get(m.name) ?? { paths: [] };
        acc[target.part === 'port' ? 'port' : 'host'] = value;
        acc.paths.push(path);
        hostPort.set(m.name, acc);
        continue;
      }
      const xml = fromTr069(m, value);
      if (xml === undefined) unmapped.push(path);
      else values[m.name] = xml;
    }
    for (const [name, acc] of hostPort) {
      const xml = acc.host === undefined ? undefined : joinHostPort(acc.host, acc.port);
      if (xml === undefined) unmapped.push(...acc.paths);
      else values[name] = xml;
    }
    return { values, unmapped };
  }

  /** Which catalogue parameters a device's data model (GetParameterNames leaves) contains. */
  matchDataModel(discoveredPaths: Iterable<string>): DataModelMatch {
    const leaves = new Set<string>();
    for (const p of discoveredPaths) if (!p.endsWith('.')) leaves.add(p);
    const matched: DataModelMatch['matched'] = [];
    const missing: DataModelMatch['missing'] = [];
    const unmapped: string[] = [];
    for (const entry of this.catalogue.entries) {
      const m = this.byName.get(entry.name);
      if (!m) unmapped.push(entry.name);
      else (leaves.has(m.path) ? matched : missing).push({ name: entry.name, path: m.path });
    }
    const unclaimed = [...leaves].filter((p) => !this.byPath.has(p));
    return { matched, missing, unmapped, unclaimed };
  }
}
