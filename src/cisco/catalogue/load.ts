import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Catalogue, CatalogueEntry } from './types';

/** Read-only view of the catalogue with lookups by name and by `{n}` template. */
export class ParameterCatalogue {
  readonly entries: readonly CatalogueEntry[];
  private readonly byName = new Map<string, CatalogueEntry>();
  private readonly byTemplate = new Map<string, CatalogueEntry[]>();

  constructor(readonly data: Catalogue) {
    this.entries = data.parameters;
    for (const e of data.parameters) {
      this.byName.set(e.name, e);
      if (e.template) this.byTemplate.set(e.template, [...(this.byTemplate.get(e.template) ?? []), e]);
    }
  }

  get(name: string): CatalogueEntry | undefined {
    return this.byName.get(name);
  }

  /** Every instance of an indexed family, e.g. `User_ID_{n}_`. */
  family(template: string): readonly CatalogueEntry[] {
    return this.byTemplate.get(template) ?? [];
  }
}

const FILE = join('schemas', 'cisco-catalogue.json');

/** The package root holding `schemas/`, from src/ (tests) or dist/src/ (built). */
function catalogueFile(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const candidate = join(dir, FILE);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error(`${FILE} not found above ${__dirname}`);
  }
}

let shipped: ParameterCatalogue | undefined;

/**
 * The catalogue shipped in `schemas/cisco-catalogue.json`, read once. It is the project's own
 * generated data, validated against its schema by the test suite, so it is not re-validated here.
 */
export function loadCatalogue(): ParameterCatalogue {
  shipped ??= new ParameterCatalogue(JSON.parse(readFileSync(catalogueFile(), 'utf8')) as Catalogue);
  return shipped;
}
