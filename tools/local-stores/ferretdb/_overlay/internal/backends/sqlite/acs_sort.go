// Added to FerretDB by the ACS build (see tools/local-stores/ferretdb/patches.ts); the leading
// underscore of _overlay keeps the Go tool from compiling it as part of the wrapper module.

package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/FerretDB/FerretDB/internal/backends/sqlite/metadata"
	"github.com/FerretDB/FerretDB/internal/types"
	"github.com/FerretDB/FerretDB/internal/util/fsql"
)

// A sort on {<field>: d, _id: d} goes to SQLite as ORDER BY the two expressions of the index
// that createIndexes builds for {<field>: 1, _id: 1}, so SQLite walks that index and a page
// reads only its own rows. SQLite orders what `->` returns: the JSON text of the value, and
// NULL (smallest) when the field is missing. That is MongoDB's order only for some values, so
// the sort is pushed down only while this process has proven, for that collection and field,
// that every document holds either no such field or a date between 2001-09-09 and 2286-11-20
// (stored by sjson as milliseconds of exactly 13 digits, whose texts order like the dates;
// a missing field sorts as null does on MongoDB: first ascending, last descending). The proof
// is kept up by checking every document that InsertAll and UpdateAll write once a field is
// tracked; the first other value (a number, a string, an explicit null, an array, an older
// date) refutes it for good, and the handler sorts in Go as unpatched FerretDB does. Ties go
// to the _id text, as for sorts on _id alone (see the ID_ORDER patch).
//
// Proving reads and parses every row of the table (10-16 µs each, see acsProofQuery), so it
// is done once for every field of the table's {<field>: 1, _id: 1} indexes together, in the
// background from the first query of the table, and again only for a field a sort or a
// condition asks about that no index names. A field whose least or greatest index text is not
// a 13-digit number (strings, arrays, booleans, short numbers) is refuted from the index first.
// What a process knew when it closed cleanly is read back by the next one instead
// (acs_sort_keep.go).

// acsPlainField is a top-level field name that can be spelled inside a JSON path as it is.
var acsPlainField = regexp.MustCompile(`^[A-Za-z0-9_]+$`)

const (
	acsUnproven int32 = iota
	acsProven
	acsRefuted
)

// acsProof is the state of one collection's field.
type acsProof struct {
	field string
	state atomic.Int32
}

// acsTable is what this process has proven of one table's fields.
type acsTable struct {
	proofs  []*acsProof // protected by acsWrites
	scan    sync.Mutex  // one proving scan at a time
	started atomic.Bool // whether the background proof of the indexed fields has begun
}

var (
	// acsWrites is held for reading by every write from its check to its commit, and for
	// writing while fields start being tracked, so that the proving scan, which starts
	// after, sees every write that the checks did not.
	acsWrites sync.RWMutex

	// acsTracked maps a table's key to its proofs (protected by acsWrites).
	acsTracked = map[string]*acsTable{}
)

func acsTableKey(dbName, table string) string {
	return dbName + "\x00" + table
}

// acsSortableValue reports whether doc's field is missing or a date of 13-digit milliseconds.
func acsSortableValue(doc *types.Document, field string) bool {
	v, err := doc.Get(field)
	if err != nil {
		return true
	}

	t, ok := v.(time.Time)
	if !ok {
		return false
	}

	ms := t.UnixMilli()

	return ms >= 1e12 && ms < 1e13
}

// A batch's segment (fsql.Batch) holds acsWrites for reading from its start to its commit,
// before it takes the writer gate as every other writer does.
func init() {
	fsql.AddSegmentHold("acsWrites", acsWrites.RLock, acsWrites.RUnlock)
}

// acsNoteWrites refutes the proof of every tracked field that one of docs breaks, and returns
// the release to call once the write has committed (or failed); in a batch, its segment
// releases acsWrites when it commits.
func acsNoteWrites(ctx context.Context, dbName, table string, docs []*types.Document) func() {
	release := fsql.HoldForSegment(ctx, "acsWrites", acsWrites.RLock, acsWrites.RUnlock)

	if t := acsTracked[acsTableKey(dbName, table)]; t != nil {
		for _, p := range t.proofs {
			if p.state.Load() == acsRefuted {
				continue
			}

			for _, doc := range docs {
				if !acsSortableValue(doc, p.field) {
					p.state.Store(acsRefuted)
					break
				}
			}
		}
	}

	return release
}

// acsTrack returns the table's entry and the proofs of fields, tracking from now on (so that
// writes check them) those that were not.
func acsTrack(key string, fields []string) (*acsTable, []*acsProof) {
	acsWrites.RLock()
	t := acsTracked[key]
	proofs := acsFindProofs(t, fields)
	acsWrites.RUnlock()

	if proofs != nil {
		return t, proofs
	}

	acsWrites.Lock()
	defer acsWrites.Unlock()

	if t = acsTracked[key]; t == nil {
		t = &acsTable{}
		acsTracked[key] = t
	}

	for _, field := range fields {
		if !slices.ContainsFunc(t.proofs, func(p *acsProof) bool { return p.field == field }) {
			t.proofs = append(t.proofs, &acsProof{field: field})
		}
	}

	return t, acsFindProofs(t, fields)
}

// acsFindProofs returns the table's proofs of fields, or nil unless it tracks them all.
func acsFindProofs(t *acsTable, fields []string) []*acsProof {
	if t == nil {
		return nil
	}

	proofs := make([]*acsProof, 0, len(fields))

	for _, field := range fields {
		i := slices.IndexFunc(t.proofs, func(p *acsProof) bool { return p.field == field })
		if i < 0 {
			return nil
		}

		proofs = append(proofs, t.proofs[i])
	}

	return proofs
}

// acsIndexedFields returns the fields of the collection's {<field>: 1, _id: 1} indexes, the
// ones a sort walks.
func acsIndexedFields(meta *metadata.Collection) []string {
	var fields []string

	for _, index := range meta.Settings.Indexes {
		key := index.Key
		if len(key) == 2 && key[1].Field == "_id" && !key[0].Descending && !key[1].Descending &&
			key[0].Field != "_id" && acsPlainField.MatchString(key[0].Field) {
			fields = append(fields, key[0].Field)
		}
	}

	return fields
}

// acsProveSoon starts proving the indexed fields of the table in the background, once per
// process and table, at its first query or insert: so that the first sort seldom waits for
// the scan, and a table filled after the process started (a fresh database) is proven while
// nearly empty, its later writes then checked one by one. A batch does not start it: tracking
// the table would wait for the batch's own segment, which holds acsWrites.
func acsProveSoon(ctx context.Context, db *fsql.DB, dbName string, meta *metadata.Collection) {
	if fsql.InBatch(ctx) {
		return
	}

	t, _ := acsTrack(acsTableKey(dbName, meta.TableName), nil)
	if t.started.Swap(true) {
		return
	}

	go acsProve(context.Background(), db, dbName, meta, t, "")
}

// acsProve proves or refutes every unproven field of the table's indexes and the field asked
// about (if any), with one scan of the table for those its index does not refute.
func acsProve(ctx context.Context, db *fsql.DB, dbName string, meta *metadata.Collection, t *acsTable, asked string) {
	t.scan.Lock()
	defer t.scan.Unlock()

	indexed := acsIndexedFields(meta)
	fields := indexed

	if asked != "" && !slices.Contains(indexed, asked) {
		fields = append(slices.Clip(indexed), asked)
	}

	// tracked before anything is read, so that every later write is checked
	_, proofs := acsTrack(acsTableKey(dbName, meta.TableName), fields)

	var open []*acsProof

	for _, p := range proofs {
		if p.state.Load() != acsUnproven {
			continue
		}

		if slices.Contains(indexed, p.field) && acsIndexRefutes(ctx, db, meta.TableName, p.field) {
			p.state.CompareAndSwap(acsUnproven, acsRefuted)
			continue
		}

		open = append(open, p)
	}

	if len(open) == 0 {
		return
	}

	broken := make([]bool, len(open))
	dest := make([]any, len(open))

	for i := range open {
		dest[i] = &broken[i]
	}

	acsProofScans.Add(1)

	if err := db.QueryRowContext(ctx, acsProofQuery(meta.TableName, open)).Scan(dest...); err != nil {
		// not proven this time (a cancelled query, a dropped database); the next sort tries again
		return
	}

	for i, p := range open {
		if broken[i] {
			p.state.CompareAndSwap(acsUnproven, acsRefuted)
		} else {
			p.state.CompareAndSwap(acsUnproven, acsProven)
		}
	}
}

// acsDigits13 is a GLOB pattern of the text of a 13-digit number, a date's from 2001-09-09 on.
const acsDigits13 = `[1-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]`

// acsProofQuery returns the statement that says, for each field, whether a row of the table
// breaks its proof (1) or none does (0). Parsing a document is most of the cost of reading a
// row (one parse per JSON function called on it, 10-16 µs for a 1.7 kB device), so each row is parsed
// once: json_extract returns every field's schema type and value in one small array. A row
// whose array reads "date", then 13 digits, for every field passes with one GLOB; the rest
// (a field missing, or broken) are checked field by field on that array, where a missing
// field has no type and an explicit null has the type null.
func acsProofQuery(table string, proofs []*acsProof) string {
	paths := make([]string, len(proofs))
	columns := make([]string, len(proofs))
	dated := make([]string, len(proofs))

	for i, p := range proofs {
		paths[i] = fmt.Sprintf(`'$."$s".p."%s".t', '$."%s"'`, p.field, p.field)
		typ, value := fmt.Sprintf(`x->>%d`, 2*i), fmt.Sprintf(`x->%d`, 2*i+1)
		columns[i] = fmt.Sprintf(
			`COALESCE(max(NOT ((%s IS NULL AND %s IS 'null') OR (%s IS 'date' AND length(%s) = 13 AND %s >= '1000000000000'))), 0)`,
			typ, value, typ, value, value,
		)
		dated[i] = `"date",` + acsDigits13
	}

	return fmt.Sprintf(
		`SELECT %s FROM (SELECT json_extract(%s, %s) AS x FROM %q) WHERE NOT x GLOB '[[]%s]'`,
		strings.Join(columns, `, `), metadata.DefaultColumn, strings.Join(paths, `, `), table, strings.Join(dated, `,`),
	)
}

// acsIndexRefutes reports whether the least or the greatest text of field in its index is
// one no 13-digit date has (two index lookups instead of a scan: min and max each seek in the
// index, past the missing fields).
func acsIndexRefutes(ctx context.Context, db *fsql.DB, table, field string) bool {
	value := fmt.Sprintf(`%s->'%s'`, metadata.DefaultColumn, field)
	q := fmt.Sprintf(`SELECT (SELECT min(%s) FROM %q), (SELECT max(%s) FROM %q)`, value, table, value, table)

	var least, greatest sql.NullString
	if err := db.QueryRowContext(ctx, q).Scan(&least, &greatest); err != nil {
		return false
	}

	dateText := func(s sql.NullString) bool {
		return !s.Valid || (len(s.String) == 13 && s.String >= "1000000000000")
	}

	return !dateText(least) || !dateText(greatest)
}

// acsSortProven reports whether the order of field's `->` texts is MongoDB's order for every
// document of the table, proving it first if it was not.
//
// In a batch it only answers from what is known: a segment holds acsWrites for reading, and
// tracking a field takes it for writing.
func acsSortProven(ctx context.Context, db *fsql.DB, dbName string, meta *metadata.Collection, field string) bool {
	if fsql.InBatch(ctx) {
		return acsKnownProven(ctx, dbName, meta.TableName, field)
	}

	t, proofs := acsTrack(acsTableKey(dbName, meta.TableName), []string{field})
	p := proofs[0]

	if s := p.state.Load(); s != acsUnproven {
		return s == acsProven
	}

	acsProve(ctx, db, dbName, meta, t, field)

	return p.state.Load() == acsProven
}

// acsKnownProven reports whether field's proof is known to hold, without tracking or proving.
func acsKnownProven(ctx context.Context, dbName, table, field string) bool {
	defer fsql.HoldForSegment(ctx, "acsWrites", acsWrites.RLock, acsWrites.RUnlock)()

	if t := acsTracked[acsTableKey(dbName, table)]; t != nil {
		for _, p := range t.proofs {
			if p.field == field {
				return p.state.Load() == acsProven
			}
		}
	}

	return false
}

// acsDatesProven returns acsSortProven for the fields of one table, for acsWhere.
func acsDatesProven(ctx context.Context, db *fsql.DB, dbName string, meta *metadata.Collection) func(field string) bool {
	acsProveSoon(ctx, db, dbName, meta)

	return func(field string) bool {
		return acsSortProven(ctx, db, dbName, meta, field)
	}
}

// acsOrderBy returns the ORDER BY clause for sort and whether the rows come back in sort's
// order (so the handler may skip its own sort): always for _id alone, for {<field>: d, _id: d}
// when acsSortProven; never for $natural, which the handler sorts as released.
func acsOrderBy(ctx context.Context, db *fsql.DB, dbName string, meta *metadata.Collection, sort *types.Document) (string, bool) {
	if sort.Len() != 2 {
		clause := prepareOrderByClause(sort)
		return clause, clause != "" && sort.Keys()[0] == "_id"
	}

	keys := sort.Keys()
	field := keys[0]
	dir, _ := sort.Get(field)
	idDir, _ := sort.Get("_id")

	if keys[1] != "_id" || !acsPlainField.MatchString(field) || field == "_id" || dir != idDir {
		return "", false
	}

	if !acsSortProven(ctx, db, dbName, meta, field) {
		return "", false
	}

	order := ""
	if dir == int64(-1) {
		order = " DESC"
	}

	return fmt.Sprintf(` ORDER BY %s->'%s'%s, %s%s`, metadata.DefaultColumn, field, order, metadata.IDColumn, order), true
}
