// Added to FerretDB by the ACS build (see tools/local-stores/ferretdb/patches.ts); the leading
// underscore of _overlay keeps the Go tool from compiling it as part of the wrapper module.

package sqlite

import (
	"context"
	"fmt"
	"regexp"
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
// is one scan of the table the first time a sort asks for it, kept up by checking every
// document that InsertAll and UpdateAll write afterwards; the first other value (a number, a
// string, an explicit null, an array, an older date) refutes it for good, and the handler
// sorts in Go as unpatched FerretDB does. Ties go to the _id text, as for sorts on _id alone
// (see the ID_ORDER patch).

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
	scan  sync.Mutex // one proving scan at a time
}

var (
	// acsWrites is held for reading by every write from its check to its commit, and for
	// writing while a field starts being tracked, so that the proving scan, which starts
	// after, sees every write that the checks did not.
	acsWrites sync.RWMutex

	// acsTracked maps a table's key to the proofs of its fields (protected by acsWrites).
	acsTracked = map[string][]*acsProof{}
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

	for _, p := range acsTracked[acsTableKey(dbName, table)] {
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

	return release
}

// acsProofOf returns the proof of the table's field, tracking the field from now on if it was not.
func acsProofOf(key, field string) *acsProof {
	find := func() *acsProof {
		for _, p := range acsTracked[key] {
			if p.field == field {
				return p
			}
		}

		return nil
	}

	acsWrites.RLock()
	p := find()
	acsWrites.RUnlock()

	if p != nil {
		return p
	}

	acsWrites.Lock()
	defer acsWrites.Unlock()

	if p = find(); p == nil {
		p = &acsProof{field: field}
		acsTracked[key] = append(acsTracked[key], p)
	}

	return p
}

// acsSortProven reports whether the order of field's `->` texts is MongoDB's order for every
// document of the table, proving it first if no sort asked before.
//
// In a batch it only answers from what is known: a segment holds acsWrites for reading, and
// tracking a field takes it for writing.
func acsSortProven(ctx context.Context, db *fsql.DB, dbName, table, field string) bool {
	if fsql.InBatch(ctx) {
		defer fsql.HoldForSegment(ctx, "acsWrites", acsWrites.RLock, acsWrites.RUnlock)()

		for _, p := range acsTracked[acsTableKey(dbName, table)] {
			if p.field == field {
				return p.state.Load() == acsProven
			}
		}

		return false
	}

	p := acsProofOf(acsTableKey(dbName, table), field)

	if s := p.state.Load(); s != acsUnproven {
		return s == acsProven
	}

	p.scan.Lock()
	defer p.scan.Unlock()

	if s := p.state.Load(); s != acsUnproven {
		return s == acsProven
	}

	value := fmt.Sprintf(`%s->'%s'`, metadata.DefaultColumn, field)
	q := fmt.Sprintf(
		`SELECT EXISTS (SELECT 1 FROM %q WHERE %s IS NOT NULL AND NOT (`+
			`json_extract(%s, '$."$s".p."%s".t') IS 'date' AND length(%s) = 13 AND %s >= '1000000000000'))`,
		table, value, metadata.DefaultColumn, field, value, value,
	)

	var broken bool
	if err := db.QueryRowContext(ctx, q).Scan(&broken); err != nil {
		// not proven this time (a cancelled query, say); the next sort tries again
		return false
	}

	if broken {
		p.state.CompareAndSwap(acsUnproven, acsRefuted)
	} else {
		p.state.CompareAndSwap(acsUnproven, acsProven)
	}

	return p.state.Load() == acsProven
}

// acsDatesProven returns acsSortProven for the fields of one table, for acsWhere.
func acsDatesProven(ctx context.Context, db *fsql.DB, dbName, table string) func(field string) bool {
	return func(field string) bool {
		return acsSortProven(ctx, db, dbName, table, field)
	}
}

// acsOrderBy returns the ORDER BY clause for sort and whether the rows come back in sort's
// order (so the handler may skip its own sort): always for _id alone, for {<field>: d, _id: d}
// when acsSortProven; never for $natural, which the handler sorts as released.
func acsOrderBy(ctx context.Context, db *fsql.DB, dbName, table string, sort *types.Document) (string, bool) {
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

	if !acsSortProven(ctx, db, dbName, table, field) {
		return "", false
	}

	order := ""
	if dir == int64(-1) {
		order = " DESC"
	}

	return fmt.Sprintf(` ORDER BY %s->'%s'%s, %s%s`, metadata.DefaultColumn, field, order, metadata.IDColumn, order), true
}
