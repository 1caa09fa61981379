import type { Collection, Db } from 'mongodb';
import { MappingError, Tr069Mapper, type MappingOverrides } from '../../cisco/mapping';

/**
 * Operators' corrections to the XML <-> TR-069 mapping, per product class (`cisco_mappings`,
 * one document per product class). Keys are XML names (`Proxy_2_`) or `{n}` templates
 * (`Proxy_{n}_`); a value is the TR-069 path, or null to deliver the parameter by file only.
 * Stored as a list: XML names may contain dots, which MongoDB field names may not.
 */

interface MappingDoc {
  _id: string;
  entries: Array<{ key: string; path: string | null }>;
  updatedAt: Date;
  updatedBy?: string;
}

export const MAPPINGS_COLLECTION = 'cisco_mappings';
const PRODUCT_CLASS = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const MAX_ENTRIES = 5000;

/** Overrides refused; the message names the entry and what is wrong with it. */
export class MappingOverrideError extends Error {
  override name = 'MappingOverrideError';
}

export class MappingOverrideStore {
  readonly collection: Collection<MappingDoc>;

  constructor(db: Db) {
    this.collection = db.collection<MappingDoc>(MAPPINGS_COLLECTION);
  }

  async get(productClass: string): Promise<Record<string, string | null>> {
    const doc = await this.collection.findOne({ _id: productClass });
    return Object.fromEntries((doc?.entries ?? []).map((e) => [e.key, e.path]));
  }

  /** Every product class's overrides (a handful of documents). */
  async all(): Promise<MappingOverrides> {
    const docs = await this.collection.find({}).toArray();
    return Object.fromEntries(docs.map((d) => [d._id, Object.fromEntries(d.entries.map((e) => [e.key, e.path]))]));
  }

  /** The mapping in force for a product class: the catalogue's candidates plus its overrides. */
  async mapper(productClass: string): Promise<Tr069Mapper> {
    return new Tr069Mapper(productClass, { [productClass]: await this.get(productClass) });
  }

  /** Replaces a product class's overrides, checked as a whole first; nothing is stored when one is wrong. */
  async replace(productClass: string, overrides: Record<string, string | null>, updatedBy?: string): Promise<void> {
    checkOverrides(productClass, overrides);
    const doc: MappingDoc = {
      _id: productClass,
      entries: Object.entries(overrides).map(([key, path]) => ({ key, path })),
      updatedAt: new Date(),
      ...(updatedBy ? { updatedBy } : {}),
    };
    await this.collection.replaceOne({ _id: productClass }, doc, { upsert: true });
  }

  async remove(productClass: string): Promise<boolean> {
    return (await this.collection.deleteOne({ _id: productClass })).deletedCount === 1;
  }
}

export function checkOverrides(productClass: string, overrides: Record<string, string | null>): void {
  if (!PRODUCT_CLASS.test(productClass)) throw new MappingOverrideError(`${JSON.stringify(productClass.slice(0, 70))} is not a product class name`);
  const entries = Object.entries(overrides);
  if (entries.length > MAX_ENTRIES) throw new MappingOverrideError(`more than ${MAX_ENTRIES} overrides`);
  for (const [key, path] of entries) {
    if (path !== null && typeof path !== 'string') throw new MappingOverrideError(`override for ${productClass}: ${key}: the path must be a string or null`);
  }
  try {
    // Building the mapper checks names, paths, {n} use and that no two parameters share a path.
    new Tr069Mapper(productClass, { [productClass]: overrides });
  } catch (err) {
    if (err instanceof MappingError) throw new MappingOverrideError(err.message);
    throw err;
  }
}
