/**
 * Source patches applied to FerretDB v1.24.2, and to the C library its SQLite runs on, before
 * it is built for the local stores. Each one is an exact text replacement that must match
 * exactly once, so a different version fails the build loudly instead of running unpatched.
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

const BATCH_WHY =
  'Every statement of an update command was its own SQLite transaction, and every document an ' +
  'updateMany changed was one more: their commits, WAL checkpoints included, were a quarter of ' +
  'FerretDB\'s CPU while the ACS announced 10,000 tasks in bulkWrites of 1,000 updateOne, and ' +
  'sharing them halved the CPU of that bulk form (bench/RESULTS.md, queuing tasks). The statements of a command now share transactions (fsql.Batch, ' +
  '_overlay/internal/util/fsql/acs_batch.go; _overlay/internal/handler/acs_update.go). A failed ' +
  'statement leaves nothing of itself behind (an updateMany is a savepoint; a statement of one ' +
  'document writes it with one SQL statement, which SQLite undoes by itself); an ordered command ' +
  'stops at it and an unordered one goes on, and it is reported in writeErrors under its own ' +
  'index with n, nModified and upserted of the others (as on MongoDB; FerretDB stopped at any ' +
  'failure, reported index 0 and no counts, and numbered upserts by their count). A statement ' +
  'that can change many documents reads what was committed before it, as before, and its writes ' +
  'share one transaction. A transaction ends after 20 ms so that other writers get in between, ' +
  'and every writer of a database waits in Go for a fair writer gate instead of SQLite\'s ' +
  'polling busy handler. It holds the collection\'s write lock (WRITE_LOCK) until it commits.';

const KEEP_PROOFS_WHY =
  'The proof of FIELD_ORDER was held in memory only, so the first sorted page after every ' +
  'restart of FerretDB over a filled database waited for one scan of the table (1.84 s over ' +
  '100,000 devices, bench/sort-proof.bench.ts). When the backend closes, after the listener has ' +
  'stopped and every connection\'s commands have ended, it now writes the known states (proven ' +
  'and refuted) into a table of each database\'s file, _ferretdb_acs_sort_proofs, which no ' +
  'collection can be named and FerretDB never lists; when it opens, before serving anything, it ' +
  'reads them back and drops that table in the same transaction. A file in use never holds ' +
  'them, so after a crash nothing is trusted and the first query proves by a scan as before. ' +
  'While the file is closed, triggers on the tables kept forget their proofs at any insert or ' +
  'update, so another program writing the file meanwhile (an unpatched FerretDB, an older build, ' +
  'the sqlite3 shell) leaves none to trust; FerretDB drops them with the table when it opens, so ' +
  'its own writes cost nothing more (_overlay/internal/backends/sqlite/acs_sort_keep.go).';

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

/** The DB methods of fsql run in the context's batch, when it has one, or wait for the writer gate. */
function fsqlBatchPatch(method: 'QueryContext' | 'ExecContext', result: string): SourcePatch {
  const signature = `func (db *DB) ${method}(ctx context.Context, query string, args ...any) (${result}, error) {\n`;
  const gate = method === 'ExecContext' ? '\tdb.acsGate.mu.Lock()\n\tdefer db.acsGate.mu.Unlock()\n\n' : '';
  return {
    file: 'internal/util/fsql/db.go',
    original: signature,
    replacement:
      signature +
      '\tif tx, err := batchOf(ctx).txFor(ctx, db); tx != nil || err != nil {\n' +
      '\t\tif err != nil {\n\t\t\treturn nil, err\n\t\t}\n\n' +
      `\t\treturn tx.${method}(ctx, query, args...)\n` +
      '\t}\n\n' +
      gate,
    why: BATCH_WHY,
  };
}

export const FERRETDB_PATCHES: readonly SourcePatch[] = [
  {
    file: 'internal/handler/msg_update.go',
    original: '\tmatched, modified, upserted, err := h.updateDocument(connCtx, params)\n',
    replacement: '\twriteErrors := types.MakeArray(0)\n\n\tmatched, modified, upserted, err := h.updateDocument(connCtx, params, writeErrors)\n',
    why: BATCH_WHY,
  },
  {
    file: 'internal/handler/msg_update.go',
    original: '\tres.Set("nModified", modified)\n',
    replacement: '\tres.Set("nModified", modified)\n\n\tif writeErrors.Len() > 0 {\n\t\tres.Set("writeErrors", writeErrors)\n\t}\n\n',
    why: BATCH_WHY,
  },
  {
    file: 'internal/handler/msg_update.go',
    original: 'func (h *Handler) updateDocument(ctx context.Context, params *common.UpdateParams) (int32, int32, *types.Array, error) {\n',
    replacement: 'func (h *Handler) updateDocument(ctx context.Context, params *common.UpdateParams, writeErrors *types.Array) (int32, int32, *types.Array, error) {\n',
    why: BATCH_WHY,
  },
  {
    file: 'internal/handler/msg_update.go',
    original:
      '\tfor _, u := range params.Updates {\n' +
      '\t\tc, err := db.Collection(params.Collection)\n' +
      '\t\tif err != nil {\n' +
      '\t\t\tif backends.ErrorCodeIs(err, backends.ErrorCodeCollectionNameIsInvalid) {\n' +
      '\t\t\t\tmsg := fmt.Sprintf("Invalid collection name: %s", params.Collection)\n' +
      '\t\t\t\treturn 0, 0, nil, handlererrors.NewCommandErrorMsgWithArgument(handlererrors.ErrInvalidNamespace, msg, "insert")\n' +
      '\t\t\t}\n' +
      '\n' +
      '\t\t\treturn 0, 0, nil, lazyerrors.Error(err)\n' +
      '\t\t}\n' +
      '\n' +
      '\t\tvar qp backends.QueryParams\n' +
      '\t\tif !h.DisablePushdown {\n' +
      '\t\t\tqp.Filter = u.Filter\n' +
      '\t\t}\n' +
      '\n' +
      '\t\tres, err := c.Query(ctx, &qp)\n' +
      '\t\tif err != nil {\n' +
      '\t\t\treturn 0, 0, nil, lazyerrors.Error(err)\n' +
      '\t\t}\n' +
      '\n' +
      '\t\tcloser := iterator.NewMultiCloser()\n' +
      '\t\tdefer closer.Close()\n' +
      '\n' +
      '\t\tcloser.Add(res.Iter)\n' +
      '\n' +
      '\t\titer := common.FilterIterator(res.Iter, closer, u.Filter)\n' +
      '\n' +
      '\t\tif !u.Multi {\n' +
      '\t\t\titer = common.LimitIterator(iter, closer, 1)\n' +
      '\t\t}\n' +
      '\n' +
      '\t\tresult, err := common.UpdateDocument(ctx, c, "update", iter, &u)\n' +
      '\t\tif err != nil {\n' +
      '\t\t\treturn 0, 0, nil, lazyerrors.Error(err)\n' +
      '\t\t}\n' +
      '\n' +
      '\t\tmatched += result.Matched.Count\n' +
      '\t\tmodified += result.Modified.Count\n' +
      '\n' +
      '\t\tif result.Upserted.Doc != nil {\n' +
      '\t\t\tdoc := result.Upserted.Doc\n' +
      '\t\t\tupserted.Append(must.NotFail(types.NewDocument(\n' +
      '\t\t\t\t"index", int32(upserted.Len()),\n' +
      '\t\t\t\t"_id", must.NotFail(doc.Get("_id")),\n' +
      '\t\t\t)))\n' +
      '\n' +
      '\t\t\t// in case of upsert, MongoDB sets the matched count to 1\n' +
      '\t\t\tmatched++\n' +
      '\t\t}\n' +
      '\t}\n' +
      '\n' +
      '\treturn matched, modified, &upserted, nil\n' +
      '}\n',
    replacement:
      '\tmatched, modified, err = h.acsUpdateStatements(ctx, db, params, &upserted, writeErrors)\n\n' +
      '\treturn matched, modified, &upserted, err\n' +
      '}\n',
    why: `${BATCH_WHY} ${WRITE_LOCK_WHY}`,
  },
  {
    file: 'internal/handler/msg_update.go',
    original: '\t"github.com/FerretDB/FerretDB/internal/util/iterator"\n',
    replacement: '',
    why: 'The loop over the statements that used it is now acsUpdateStatements (see above).',
  },
  {
    file: 'internal/util/fsql/db.go',
    original: '\tBatchSize int\n}\n',
    replacement: '\tBatchSize int\n\n\tacsGate acsWriterGate\n}\n',
    why: BATCH_WHY,
  },
  {
    file: 'internal/handler/common/update_params.go',
    original: '\tOrdered                  bool            `ferretdb:"ordered,ignored"`\n',
    replacement: '\tOrdered                  bool            `ferretdb:"ordered,opt"`\n',
    why: `${BATCH_WHY} FerretDB ignored ordered; it is read now, true unless the command says false, as on MongoDB (next patch).`,
  },
  {
    file: 'internal/handler/common/update_params.go',
    original: '\tvar params UpdateParams\n\n\terr := handlerparams.ExtractParams(document, "update", &params, l)\n',
    replacement: '\tparams := UpdateParams{Ordered: true}\n\n\terr := handlerparams.ExtractParams(document, "update", &params, l)\n',
    why: 'An update command is ordered unless it says otherwise (see above).',
  },
  fsqlBatchPatch('QueryContext', '*Rows'),
  fsqlBatchPatch('ExecContext', 'sql.Result'),
  {
    file: 'internal/util/fsql/db.go',
    original: 'func (db *DB) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {\n',
    replacement:
      'func (db *DB) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {\n' +
      '\tif tx, err := batchOf(ctx).txFor(ctx, db); tx != nil && err == nil {\n' +
      '\t\treturn tx.QueryRowContext(ctx, query, args...)\n' +
      '\t}\n\n',
    why: BATCH_WHY,
  },
  {
    file: 'internal/util/fsql/db.go',
    original: 'func (db *DB) InTransaction(ctx context.Context, f func(*Tx) error) (err error) {\n',
    replacement:
      'func (db *DB) InTransaction(ctx context.Context, f func(*Tx) error) (err error) {\n' +
      '\tif tx, err := batchOf(ctx).txFor(ctx, db); tx != nil || err != nil {\n' +
      '\t\tif err != nil {\n\t\t\treturn err\n\t\t}\n\n' +
      '\t\treturn batchOf(ctx).acsNested(ctx, tx, f)\n' +
      '\t}\n\n' +
      '\tdb.acsGate.mu.Lock()\n\tdefer db.acsGate.mu.Unlock()\n\n',
    why: BATCH_WHY,
  },
  {
    file: 'internal/backends/sqlite/metadata/registry.go',
    original:
      'func (r *Registry) CollectionGet(ctx context.Context, dbName, collectionName string) *Collection {\n' +
      '\tr.rw.RLock()\n\tdefer r.rw.RUnlock()\n\n' +
      '\treturn r.collectionGet(dbName, collectionName)\n}\n',
    replacement:
      'func (r *Registry) CollectionGet(ctx context.Context, dbName, collectionName string) *Collection {\n' +
      '\treturn fsql.Memo(ctx, "collection\\x00"+dbName+"\\x00"+collectionName, func() *Collection {\n' +
      '\t\tr.rw.RLock()\n\t\tdefer r.rw.RUnlock()\n\n' +
      '\t\treturn r.collectionGet(dbName, collectionName)\n\t})\n}\n',
    why:
      `${BATCH_WHY} Registry writers hold the registry's lock while they wait for the writer gate, ` +
      'so a segment, which holds the gate, reads the metadata of its collection once per command.',
  },
  {
    file: 'internal/backends/sqlite/collection.go',
    original:
      '\tif _, err := c.r.CollectionCreate(ctx, &metadata.CollectionCreateParams{DBName: c.dbName, Name: c.name}); err != nil {\n',
    replacement:
      '\tif c.r.CollectionGet(ctx, c.dbName, c.name) != nil {\n' +
      '\t\t// exists: no need for the registry\'s lock (an upsert in a batch must not wait for it)\n' +
      '\t} else if _, err := c.r.CollectionCreate(ctx, &metadata.CollectionCreateParams{DBName: c.dbName, Name: c.name}); err != nil {\n',
    why:
      `${BATCH_WHY} CollectionCreate takes the registry's lock even for a collection that exists; ` +
      'an upsert in a segment must not wait for it.',
  },
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
      '\tacsProveSoon(ctx, db, c.dbName, meta)\n\n' +
      '\tdefer acsNoteWrites(ctx, c.dbName, meta.TableName, params.Docs)()\n\n' +
      '\terr := db.InTransaction(ctx, func(tx *fsql.Tx) error {\n' +
      '\t\tbatchSize := c.r.BatchSize\n',
    why: FIELD_ORDER_WHY,
  },
  {
    file: 'internal/backends/sqlite/collection.go',
    original: '\tq := fmt.Sprintf(`UPDATE %q SET %s = ? WHERE %s = ?`, meta.TableName, metadata.DefaultColumn, metadata.IDColumn)\n',
    replacement:
      '\tq := fmt.Sprintf(`UPDATE %q SET %s = ? WHERE %s = ?`, meta.TableName, metadata.DefaultColumn, metadata.IDColumn)\n\n' +
      '\tdefer acsNoteWrites(ctx, c.dbName, meta.TableName, params.Docs)()\n',
    why: FIELD_ORDER_WHY,
  },
  {
    file: 'internal/backends/sqlite/backend.go',
    original: 'type backend struct {\n\tr *metadata.Registry\n}\n',
    replacement: 'type backend struct {\n\tr *metadata.Registry\n\tl *slog.Logger\n}\n',
    why: `${KEEP_PROOFS_WHY} The backend keeps its logger to report a proof it could not save.`,
  },
  {
    file: 'internal/backends/sqlite/backend.go',
    original: '\treturn backends.BackendContract(&backend{\n\t\tr: r,\n\t}), nil\n',
    replacement:
      '\tif err = acsRestoreProofs(context.Background(), r); err != nil {\n' +
      '\t\tr.Close()\n\t\treturn nil, err\n\t}\n\n' +
      '\treturn backends.BackendContract(&backend{\n\t\tr: r,\n\t\tl: params.L,\n\t}), nil\n',
    why: KEEP_PROOFS_WHY,
  },
  {
    file: 'internal/backends/sqlite/backend.go',
    original: 'func (b *backend) Close() {\n\tb.r.Close()\n}\n',
    replacement: 'func (b *backend) Close() {\n\tacsSaveProofs(context.Background(), b.r, b.l)\n\tb.r.Close()\n}\n',
    why: KEEP_PROOFS_WHY,
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

const MEMCMP_WHY =
  'SQLite compares byte strings with memcmp: each JSON function call looks its argument up in a ' +
  'cache of parsed documents by comparing texts of equal length (the sjson of documents of one ' +
  'shape, tasks or devices, share their long schema prefix), and B-tree keys are compared with ' +
  'it. modernc.org/libc translates memcmp to a loop over single bytes: 12 % of FerretDB\'s CPU ' +
  'while the ACS queued 10,000 tasks in one request (bench/RESULTS.md, queuing tasks). It is now ' +
  'Go\'s comparison of strings, which the runtime vectorises; same sign, so the same order.';

const XMEMCMP_ORIGINAL =
  'func Xmemcmp(tls *TLS, vl uintptr, vr uintptr, n Tsize_t) (r1 int32) {\n' +
  '\tif __ccgo_strace {\n' +
  '\t\ttrc("tls=%v vl=%v vr=%v n=%v, (%v:)", tls, vl, vr, n, origin(2))\n' +
  '\t\tdefer func() { trc("-> %v", r1) }()\n' +
  '\t}\n' +
  '\tvar l, r uintptr\n' +
  '\tvar v2 int32\n' +
  '\t_, _, _ = l, r, v2\n' +
  '\tl = vl\n' +
  '\tr = vr\n' +
  '\tfor {\n' +
  '\t\tif !(n != 0 && int32(*(*uint8)(unsafe.Pointer(l))) == int32(*(*uint8)(unsafe.Pointer(r)))) {\n' +
  '\t\t\tbreak\n' +
  '\t\t}\n' +
  '\t\tgoto _1\n' +
  '\t_1:\n' +
  '\t\t;\n' +
  '\t\tn--\n' +
  '\t\tl++\n' +
  '\t\tr++\n' +
  '\t}\n' +
  '\tif n != 0 {\n' +
  '\t\tv2 = int32(*(*uint8)(unsafe.Pointer(l))) - int32(*(*uint8)(unsafe.Pointer(r)))\n' +
  '\t} else {\n' +
  '\t\tv2 = 0\n' +
  '\t}\n' +
  '\treturn v2\n' +
  '}\n';

/** The module of SQLite's C library as Go, and the patches applied to it for the same build. */
export const LIBC_MODULE = 'modernc.org/libc';

/** Each Linux architecture's translation of the C library holds the same memcmp. */
export const LIBC_PATCHES: readonly SourcePatch[] = ['amd64', 'arm64', 'loong64'].map((arch) => ({
  file: `ccgo_linux_${arch}.go`,
  original: XMEMCMP_ORIGINAL,
  replacement:
    'func Xmemcmp(tls *TLS, vl uintptr, vr uintptr, n Tsize_t) (r1 int32) {\n' +
    '\t// patched for the ACS\'s local FerretDB (tools/local-stores/ferretdb/patches.ts): Go\'s\n' +
    '\t// comparison of strings, vectorised, instead of a loop over bytes\n' +
    '\tl := unsafe.String((*byte)(unsafe.Pointer(vl)), n)\n' +
    '\tr := unsafe.String((*byte)(unsafe.Pointer(vr)), n)\n' +
    '\tswitch {\n' +
    '\tcase l == r:\n' +
    '\t\treturn 0\n' +
    '\tcase l < r:\n' +
    '\t\treturn -1\n' +
    '\tdefault:\n' +
    '\t\treturn 1\n' +
    '\t}\n' +
    '}\n',
  why: MEMCMP_WHY,
}));

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
