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

const ID_ORDER_WHY =
  'find sorted by _id read, decoded and sorted every document of the collection in Go, so a ' +
  'page of 50 devices out of 100,000 took 20-50 s. A sort on _id alone is now an ORDER BY on ' +
  'the indexed _id expression, the handler skips its own sort, and its filter and limit stay ' +
  'lazy: a page reads rows until it is full. SQLite orders the sjson texts of the _ids, which ' +
  'is their own order when a collection holds only ObjectIds, or only strings of characters ' +
  'above \'"\' that JSON does not escape; every collection the ACS sorts by _id is like that ' +
  '(a stores test pins it).';

const FIELD_ORDER_WHY =
  'A page of devices sorted by lastInformAt, lastBootAt or registeredAt read, decoded and ' +
  'sorted every matching device in Go (6 s over 100,000), although createIndexes had built the ' +
  '(field, _id) index SQLite could walk. A sort {<field>: d, _id: d} now goes to the backend, ' +
  'which orders by the two index expressions and says so (QueryResult.SortPushdown), the handler ' +
  'then skipping its own sort, only while it has proven that order is MongoDB\'s for that ' +
  'collection and field: every document holds no such field (sorted as null, first ascending) or ' +
  'a date of 13-digit milliseconds, whose JSON texts order like the dates. One scan of the table ' +
  'proves it for the fields of all its (field, _id) indexes at once, in the background from the ' +
  'first query of the table (a sort that comes first waits for it); InsertAll and UpdateAll ' +
  'check what they write from then on, and the first other value (a number, string, explicit null, array, a date before 2001) makes ' +
  'the handler sort in Go again (_overlay/internal/backends/sqlite/acs_sort.go). A sorted find ' +
  'that started before such a write committed may place that one document by its text.';

const ONLY_FIELDS_WHY =
  'Planning a job read every matching device with find({tags}, {projection: {_id: 1}}) and ' +
  'FerretDB decoded each whole 1.1 kB document in Go (0.28 ms each, 28 s for 100,000) to test ' +
  'one field and return the _id. When a find returns only _id and its filter and sort name only ' +
  'top-level paths, the handler now asks for the first element of each path (QueryParams.' +
  'OnlyFields); SQLite extracts those values and their schema entries from the stored JSON and Go ' +
  'decodes only them (_overlay/internal/backends/sqlite/acs_fields.go). The handler\'s filter, ' +
  'sort and projection run unchanged on documents holding every field they look at, so the ' +
  'answer is the same.';

const PUSHDOWN_WHY =
  'Only an exact _id that was the whole filter reached SQLite: a compare-and-set such as ' +
  '{_id, status}, the cursor of a page ({_id: {$gt: last}}) and a batch read by ids ' +
  '({_id: {$in: [...]}}) scanned the whole collection, and every document was decoded in Go ' +
  'before a tag or a status was tested. The _id conditions now use the _id index, and ' +
  'equality, $in and $all of strings on top-level fields are tested by SQLite ' +
  '(acsWhere, _overlay/internal/backends/sqlite/acs_pushdown.go), as are comparisons of a ' +
  'date field proven for FIELD_ORDER (a sorted page\'s cursor, on the field\'s index), $exists ' +
  'of a top-level field, and $and and $or of such conditions (the tasks sweep read and decoded ' +
  'every pending task in Go, 16 % of FerretDB CPU while a job was planned). The handler still filters every row in Go, so this only ' +
  'narrows; explain shows the same statement as find.';

/** The exact-_id WHERE clause FerretDB builds for find and explain, as released. */
function exactIdBlock(explain: boolean): string {
  return (
    '\tif params.Filter.Len() == 1 {\n' +
    '\t\tv, _ := params.Filter.Get("_id")\n' +
    '\t\tswitch v.(type) {\n' +
    '\t\tcase string, types.ObjectID:\n' +
    (explain ? '\t\t\tfilterPushdown = true\n' : '') +
    '\t\t\twhereClause = fmt.Sprintf(` WHERE %s = ?`, metadata.IDColumn)\n' +
    '\t\t\targs = []any{string(must.NotFail(sjson.MarshalSingleValue(v)))}\n' +
    '\t\t}\n\t}\n'
  );
}

/** find and explain choose which sorts go to the backend in the same switch. */
function backendSortCase(file: string): SourcePatch {
  const natural = '\tcase params.Sort.Len() == 1:\n\t\tif params.Sort.Keys()[0] != "$natural" {\n';
  return {
    file,
    original: natural,
    replacement: '\tcase acsBackendSort(params.Sort):\n\t\tqp.Sort = params.Sort\n' + natural,
    why: `${ID_ORDER_WHY} ${FIELD_ORDER_WHY}`,
  };
}

/** The backend contract checks a pushed-down sort before Query and Explain alike. */
function sortContract(call: 'Query' | 'Explain'): SourcePatch {
  const tail = `\t\t}\n\t}\n\n\tres, err := cc.c.${call}(ctx, params)\n`;
  return {
    file: 'internal/backends/collection.go',
    original:
      '\t\tmust.BeTrue(params.Sort.Len() == 1)\n' +
      '\t\tsortValue := params.Sort.Map()["$natural"].(int64)\n\n' +
      '\t\tif sortValue != -1 && sortValue != 1 {\n' +
      '\t\t\tpanic("sort value must be 1 (for ascending) or -1 (for descending)")\n' +
      tail,
    replacement:
      '\t\tmust.BeTrue(params.Sort.Len() <= 2)\n\n' +
      '\t\tfor _, sortValue := range params.Sort.Map() {\n' +
      '\t\t\tif sortValue != int64(-1) && sortValue != int64(1) {\n' +
      '\t\t\t\tpanic("sort value must be 1 (for ascending) or -1 (for descending)")\n' +
      '\t\t\t}\n' +
      tail,
    why: `${ID_ORDER_WHY} ${FIELD_ORDER_WHY}`,
  };
}

export const FERRETDB_PATCHES: readonly SourcePatch[] = [
  {
    file: 'internal/backends/sqlite/collection.go',
    original: exactIdBlock(false) + '\n\tq += whereClause\n',
    replacement: '\twhereClause, args = acsWhere(params.Filter, acsDatesProven(ctx, db, c.dbName, meta))\n\n\tq += whereClause\n',
    why: PUSHDOWN_WHY,
  },
  {
    file: 'internal/backends/sqlite/collection.go',
    original: exactIdBlock(true),
    replacement:
      '\twhereClause, args = acsWhere(params.Filter, acsDatesProven(ctx, db, c.dbName, meta))\n\n' +
      '\tif v, _ := params.Filter.Get("_id"); params.Filter.Len() == 1 {\n' +
      '\t\tswitch v.(type) {\n' +
      '\t\tcase string, types.ObjectID:\n' +
      '\t\t\tfilterPushdown = true\n' +
      '\t\t}\n\t}\n',
    why: PUSHDOWN_WHY,
  },
  backendSortCase('internal/handler/msg_find.go'),
  backendSortCase('internal/handler/msg_explain.go'),
  sortContract('Query'),
  sortContract('Explain'),
  {
    file: 'internal/backends/sqlite/query.go',
    original: '\tv := must.NotFail(sort.Get("$natural"))\n\tvar order string\n',
    replacement:
      '\tcolumn := metadata.RecordIDColumn\n' +
      '\tv, err := sort.Get("$natural")\n' +
      '\tif err != nil {\n' +
      '\t\tcolumn = metadata.IDColumn\n' +
      '\t\tv = must.NotFail(sort.Get("_id"))\n' +
      '\t}\n\n' +
      '\tvar order string\n',
    why: ID_ORDER_WHY,
  },
  {
    file: 'internal/backends/sqlite/query.go',
    original: '\treturn fmt.Sprintf(" ORDER BY %s%s", metadata.RecordIDColumn, order)\n',
    replacement: '\treturn fmt.Sprintf(" ORDER BY %s%s", column, order)\n',
    why: ID_ORDER_WHY,
  },
  {
    file: 'internal/backends/collection.go',
    original: '\tOnlyRecordIDs bool\n\tComment       string\n}\n',
    replacement:
      '\tOnlyRecordIDs bool\n\tComment       string\n\n' +
      '\t// OnlyFields, when not nil, names the only top-level fields besides _id that the caller\n' +
      '\t// needs of each document; the backend may leave the others out.\n' +
      '\tOnlyFields []string\n}\n',
    why: ONLY_FIELDS_WHY,
  },
  {
    file: 'internal/backends/collection.go',
    original: 'type QueryResult struct {\n\tIter types.DocumentsIterator\n}\n',
    replacement:
      'type QueryResult struct {\n\tIter types.DocumentsIterator\n\n' +
      '\t// SortPushdown says that Iter yields the documents in the order of QueryParams.Sort.\n' +
      '\tSortPushdown bool\n}\n',
    why: FIELD_ORDER_WHY,
  },
  {
    file: 'internal/handler/msg_find.go',
    original: '\titer, err := h.makeFindIter(queryRes.Iter, closer, params)\n',
    replacement:
      '\titerParams := params\n' +
      '\tif queryRes.SortPushdown {\n' +
      '\t\titerParams = acsWithoutSort(params)\n' +
      '\t}\n\n' +
      '\titer, err := h.makeFindIter(queryRes.Iter, closer, iterParams)\n',
    why: `${ID_ORDER_WHY} ${FIELD_ORDER_WHY}`,
  },
  {
    file: 'internal/handler/msg_find.go',
    original:
      '\tif !h.DisablePushdown && params.Filter.Len() == 0 && params.Sort.Len() == 0 && params.Skip == 0 {\n' +
      '\t\tqp.Limit = params.Limit\n\t}\n',
    replacement:
      '\tif !h.DisablePushdown && params.Filter.Len() == 0 && params.Sort.Len() == 0 && params.Skip == 0 {\n' +
      '\t\tqp.Limit = params.Limit\n\t}\n\n' +
      '\tif !h.DisablePushdown {\n\t\tqp.OnlyFields = acsOnlyFields(params)\n\t}\n',
    why: ONLY_FIELDS_WHY,
  },
  {
    file: 'internal/backends/sqlite/collection.go',
    original:
      '\tq := prepareSelectClause(meta.TableName, params.Comment, meta.Capped(), params.OnlyRecordIDs)\n',
    replacement: '\tq, fields := acsSelect(meta, params)\n',
    why: ONLY_FIELDS_WHY,
  },
  {
    file: 'internal/backends/sqlite/collection.go',
    original: '\tq += prepareOrderByClause(params.Sort)\n',
    replacement: '\torderBy, sorted := acsOrderBy(ctx, db, c.dbName, meta, params.Sort)\n\tq += orderBy\n',
    why: FIELD_ORDER_WHY,
  },
  {
    file: 'internal/backends/sqlite/collection.go',
    original: '\treturn &backends.QueryResult{\n\t\tIter: newQueryIterator(ctx, rows, params.OnlyRecordIDs),\n\t}, nil\n',
    replacement:
      '\treturn &backends.QueryResult{\n' +
      '\t\tIter:         acsIterator(ctx, rows, params.OnlyRecordIDs, fields),\n' +
      '\t\tSortPushdown: sorted,\n' +
      '\t}, nil\n',
    why: `${FIELD_ORDER_WHY} ${ONLY_FIELDS_WHY}`,
  },
  {
    file: 'internal/backends/sqlite/collection.go',
    original: '\torderByClause := prepareOrderByClause(params.Sort)\n',
    replacement: '\torderByClause, _ := acsOrderBy(ctx, db, c.dbName, meta, params.Sort)\n',
    why: FIELD_ORDER_WHY,
  },
  {
    file: 'internal/backends/sqlite/collection.go',
    original:
      '\tmeta := c.r.CollectionGet(ctx, c.dbName, c.name)\n\n' +
      '\terr := db.InTransaction(ctx, func(tx *fsql.Tx) error {\n' +
      '\t\tbatchSize := c.r.BatchSize\n',
    replacement:
      '\tmeta := c.r.CollectionGet(ctx, c.dbName, c.name)\n\n' +
      '\tdefer acsNoteWrites(c.dbName, meta.TableName, params.Docs)()\n\n' +
      '\terr := db.InTransaction(ctx, func(tx *fsql.Tx) error {\n' +
      '\t\tbatchSize := c.r.BatchSize\n',
    why: FIELD_ORDER_WHY,
  },
  {
    file: 'internal/backends/sqlite/collection.go',
    original: '\tq := fmt.Sprintf(`UPDATE %q SET %s = ? WHERE %s = ?`, meta.TableName, metadata.DefaultColumn, metadata.IDColumn)\n',
    replacement:
      '\tq := fmt.Sprintf(`UPDATE %q SET %s = ? WHERE %s = ?`, meta.TableName, metadata.DefaultColumn, metadata.IDColumn)\n\n' +
      '\tdefer acsNoteWrites(c.dbName, meta.TableName, params.Docs)()\n',
    why: FIELD_ORDER_WHY,
  },
  {
    file: 'internal/backends/sqlite/metadata/pool/opendb.go',
    original: '\treturn fsql.WrapDB(db, name, l), nil\n',
    replacement: '\treturn fsql.WrapDB(db, name, acsLazyAttrs(l)), nil\n',
    why:
      'fsql logs each statement as l.With(args...).DebugContext(...), and slog formats the ' +
      'attributes of With at once even when debug is off: an insert\'s arguments are its ' +
      'documents, so formatting them took about 6 % of FerretDB\'s CPU while a job\'s 100,000 ' +
      'tasks were inserted. The logger handed to fsql keeps those attributes until a record is ' +
      'actually written (_overlay/internal/backends/sqlite/metadata/pool/acs_lazy_log.go).',
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
