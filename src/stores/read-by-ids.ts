import type { Collection, Document, Filter } from 'mongodb';

/**
 * One `find` for many `_id`s (an exact match for one, `$in` for more: an index lookup either
 * way), answered per id in the order asked: the document, or null when there is none. An id
 * asked twice gets its own copy, so callers that change what they got do not share it.
 */
export async function readByIds<T extends Document & { _id: string }>(collection: Collection<T>, ids: string[], projection?: Document): Promise<Array<T | null>> {
  const unique = [...new Set(ids)];
  const filter = { _id: unique.length === 1 ? unique[0]! : { $in: unique } } as Filter<T>;
  const docs = (await collection.find(filter, projection ? { projection } : {}).toArray()) as T[];
  const byId = new Map(docs.map((d) => [d._id, d]));
  const given = new Set<string>();
  return ids.map((id) => {
    const doc = byId.get(id);
    if (!doc) return null;
    if (given.has(id)) return structuredClone(doc);
    given.add(id);
    return doc;
  });
}
