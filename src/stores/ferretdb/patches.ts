/**
 * Source patches applied to FerretDB v1.24.2 before it is built for the local stores. Each
 * one is an exact text replacement that must match exactly once, so a different FerretDB
 * version fails the build loudly instead of running unpatched.
 */
export interface SourcePatch {
  /** path inside the FerretDB module */
  file: string;
  original: string;
  replacement: string;
  why: string;
}

/**
 * Go files added to FerretDB's source before the build, from `_overlay/` beside this file
 * (paths inside it mirror the module; the leading underscore keeps the Go tool away).
 */
export const FERRETDB_OVERLAY_DIR = '_overlay';

const WRITE_LOCK_WHY =
  'update, findAndModify and delete read the matching documents in Go, then write them back ' +
  'by _id with nothing in between: concurrent $inc lost updates (24 of 200 survived) and ' +
  'findOneAndUpdate handed one document to several callers. Each statement of these commands ' +
  'now holds the write lock of _overlay/internal/handler/acs_write_locks.go from its read to ' +
  'its write (per _id when the filter names one document, else per collection), so ' +
  'single-document changes are atomic as on MongoDB.';

export const FERRETDB_PATCHES: readonly SourcePatch[] = [
  {
    file: 'internal/backends/sqlite/collection.go',
    original:
      '\tif params.Filter.Len() == 1 {\n' +
      '\t\tv, _ := params.Filter.Get("_id")\n' +
      '\t\tswitch v.(type) {\n' +
      '\t\tcase string, types.ObjectID:\n' +
      '\t\t\twhereClause = fmt.Sprintf(` WHERE %s = ?`, metadata.IDColumn)\n',
    replacement:
      '\tif params.Filter.Len() >= 1 {\n' +
      '\t\tv, _ := params.Filter.Get("_id")\n' +
      '\t\tswitch v.(type) {\n' +
      '\t\tcase string, types.ObjectID:\n' +
      '\t\t\twhereClause = fmt.Sprintf(` WHERE %s = ?`, metadata.IDColumn)\n',
    why:
      'Query pushed an exact _id down to SQLite only when _id was the whole filter, so a ' +
      'compare-and-set such as {_id, status} scanned the entire collection. Top-level filter ' +
      'keys are ANDed and the handler filters every row again in Go, so narrowing to the one ' +
      '_id row first is always correct (Explain keeps its own, unchanged logic).',
  },
  {
    file: 'internal/backends/sqlite/metadata/metadata.go',
    original: `IDColumn = DefaultColumn + "->'$._id'"`,
    replacement: `IDColumn = DefaultColumn + "->'_id'"`,
    why:
      'The _id index is built on the expression `_ferretdb_sjson->"_id"`; SQLite uses an ' +
      "expression index only for the identical expression, so `->'$._id'` made every _id " +
      'lookup a full table scan. `->\'_id\'` has the same JSON meaning and uses the index.',
  },
  {
    file: 'internal/handler/msg_update.go',
    original:
      '\t\tcloser := iterator.NewMultiCloser()\n' +
      '\t\tdefer closer.Close()\n' +
      '\n' +
      '\t\tcloser.Add(res.Iter)\n',
    replacement: '\t\tcloser := iterator.NewMultiCloser()\n' + '\n' + '\t\tcloser.Add(res.Iter)\n',
    why:
      'The deferred Close inside the loop over updates kept one SQLite connection per update ' +
      'open until the whole command ended; concurrent bulk updates exhausted the pool of 100 ' +
      'and deadlocked. The iterator is now closed as soon as its update is done (next patch).',
  },
  {
    file: 'internal/handler/msg_update.go',
    original:
      '\t\tresult, err := common.UpdateDocument(ctx, c, "update", iter, &u)\n' +
      '\t\tif err != nil {\n',
    replacement:
      '\t\tresult, err := common.UpdateDocument(ctx, c, "update", iter, &u)\n' +
      '\t\tcloser.Close()\n' +
      '\n' +
      '\t\tif err != nil {\n',
    why: 'Releases the connection of each update before the next one starts (see above).',
  },
  {
    file: 'internal/handler/msg_createindexes.go',
    original: '\tcopy(filteredToCreate, toCreate)\n',
    replacement: '\tcopy(filteredToCreate, toCreate)\n\n\tvar removed int\n',
    why:
      'createIndexes drops requested indexes that already exist from its list, but deleted ' +
      'them by their position in the original list: with two or more existing ones it removed ' +
      'the wrong entries (a new index silently not created) or panicked and closed the ' +
      'connection. Counting the removals keeps the positions right (next patch).',
  },
  {
    file: 'internal/handler/msg_createindexes.go',
    original: '\t\t\t\tfilteredToCreate = slices.Delete(filteredToCreate, i, i+1)\n',
    replacement: '\t\t\t\tfilteredToCreate = slices.Delete(filteredToCreate, i-removed, i-removed+1)\n\t\t\t\tremoved++\n',
    why: 'Deletes the entry where it now is in the shortened list (see above).',
  },
  {
    file: 'internal/handler/msg_update.go',
    original: '\tfor _, u := range params.Updates {\n',
    replacement: '\tvar locked writeLockHolder\n\tdefer locked.release()\n\n\tfor _, u := range params.Updates {\n',
    why: WRITE_LOCK_WHY,
  },
  {
    file: 'internal/handler/msg_update.go',
    original: '\t\tres, err := c.Query(ctx, &qp)\n',
    replacement: '\t\tlocked.hold(params.DB, params.Collection, u.Filter)\n\n\t\tres, err := c.Query(ctx, &qp)\n',
    why: WRITE_LOCK_WHY,
  },
  {
    file: 'internal/handler/msg_update.go',
    original: '\t\tcloser.Close()\n\n\t\tif err != nil {\n',
    replacement: '\t\tcloser.Close()\n\t\tlocked.release()\n\n\t\tif err != nil {\n',
    why: WRITE_LOCK_WHY,
  },
  {
    file: 'internal/handler/msg_findandmodify.go',
    original: '\tres, err := h.findAndModifyDocument(connCtx, params)\n',
    replacement:
      '\tvar locked writeLockHolder\n' +
      '\tdefer locked.release()\n' +
      '\n' +
      '\tlocked.hold(params.DB, params.Collection, params.Query)\n' +
      '\tres, err := h.findAndModifyDocument(connCtx, params)\n' +
      '\tlocked.release()\n',
    why: WRITE_LOCK_WHY,
  },
  {
    file: 'internal/handler/msg_delete.go',
    original: '\t\td, err = h.execDelete(connCtx, c, &p)\n',
    replacement:
      '\t\tlocked.hold(params.DB, params.Collection, p.Filter)\n' +
      '\t\td, err = h.execDelete(connCtx, c, &p)\n' +
      '\t\tlocked.release()\n',
    why: WRITE_LOCK_WHY,
  },
  {
    file: 'internal/handler/msg_delete.go',
    original: '\tfor i, p := range params.Deletes {\n',
    replacement: '\tvar locked writeLockHolder\n\tdefer locked.release()\n\n\tfor i, p := range params.Deletes {\n',
    why: WRITE_LOCK_WHY,
  },
];

/** Applies one patch to a file's text; throws unless the original occurs exactly once. */
export function applyPatch(text: string, patch: SourcePatch): string {
  const first = text.indexOf(patch.original);
  if (first < 0) {
    throw new Error(`FerretDB patch does not apply: ${patch.file} does not contain ${JSON.stringify(patch.original)}`);
  }
  if (text.indexOf(patch.original, first + 1) >= 0) {
    throw new Error(`FerretDB patch is ambiguous: ${patch.file} contains ${JSON.stringify(patch.original)} more than once`);
  }
  return text.slice(0, first) + patch.replacement + text.slice(first + patch.original.length);
}
