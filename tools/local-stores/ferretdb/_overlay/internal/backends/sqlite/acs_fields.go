// Added to FerretDB by the ACS build (see tools/local-stores/ferretdb/patches.ts); the leading
// underscore of _overlay keeps the Go tool from compiling it as part of the wrapper module.

package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync"

	"github.com/FerretDB/FerretDB/internal/backends"
	"github.com/FerretDB/FerretDB/internal/backends/sqlite/metadata"
	"github.com/FerretDB/FerretDB/internal/handler/sjson"
	"github.com/FerretDB/FerretDB/internal/types"
	"github.com/FerretDB/FerretDB/internal/util/fsql"
	"github.com/FerretDB/FerretDB/internal/util/iterator"
	"github.com/FerretDB/FerretDB/internal/util/lazyerrors"
	"github.com/FerretDB/FerretDB/internal/util/must"
	"github.com/FerretDB/FerretDB/internal/util/resource"
)

// When the handler needs only some top-level fields of each document (QueryParams.OnlyFields:
// a find that returns only _id, whose filter names only these fields), SQLite extracts them
// and their schema entries from the stored JSON, and Go decodes just those values instead of
// the whole document. The handler's filter then runs on documents that hold every field it
// looks at, so its answer is the same; the projection keeps only _id.

// acsSelect returns the SELECT clause of a query and the fields its rows hold besides _id, or
// nil for whole documents (FerretDB's own clause).
func acsSelect(meta *metadata.Collection, params *backends.QueryParams) (string, []string) {
	whole := prepareSelectClause(meta.TableName, params.Comment, meta.Capped(), params.OnlyRecordIDs)
	if params.OnlyFields == nil || meta.Capped() || params.OnlyRecordIDs {
		return whole, nil
	}

	fields := make([]string, 0, len(params.OnlyFields))
	columns := []string{acsFieldColumns("_id")}

	for _, f := range params.OnlyFields {
		if !acsPlainField.MatchString(f) {
			return whole, nil
		}

		if f != "_id" {
			fields = append(fields, f)
			columns = append(columns, acsFieldColumns(f))
		}
	}

	return fmt.Sprintf(`SELECT %s FROM %q`, strings.Join(columns, `, `), meta.TableName), fields
}

// acsFieldColumns selects a field's JSON text (NULL when missing) and its schema entry.
func acsFieldColumns(field string) string {
	return fmt.Sprintf(`%[1]s->'$."%[2]s"', %[1]s->'$."$s".p."%[2]s"'`, metadata.DefaultColumn, field)
}

// acsIterator returns the iterator over rows of acsSelect's clause.
func acsIterator(ctx context.Context, rows *fsql.Rows, onlyRecordIDs bool, fields []string) types.DocumentsIterator {
	if fields == nil {
		return newQueryIterator(ctx, rows, onlyRecordIDs)
	}

	iter := &acsFieldsIterator{ctx: ctx, rows: rows, fields: fields, token: resource.NewToken()}
	resource.Track(iter, iter.token)

	return iter
}

// acsFieldsIterator builds each document from its _id and its other selected fields.
type acsFieldsIterator struct {
	ctx    context.Context
	rows   *fsql.Rows // protected by m
	fields []string
	token  *resource.Token
	m      sync.Mutex
}

// Next implements iterator.Interface.
func (iter *acsFieldsIterator) Next() (struct{}, *types.Document, error) {
	iter.m.Lock()
	defer iter.m.Unlock()

	var unused struct{}

	if iter.rows == nil {
		return unused, nil, iterator.ErrIteratorDone
	}

	if err := context.Cause(iter.ctx); err != nil {
		iter.close()
		return unused, nil, lazyerrors.Error(err)
	}

	if !iter.rows.Next() {
		err := iter.rows.Err()

		iter.close()

		if err == nil {
			err = iterator.ErrIteratorDone
		}

		return unused, nil, lazyerrors.Error(err)
	}

	texts := make([]sql.NullString, 2+2*len(iter.fields))
	dest := make([]any, len(texts))

	for i := range texts {
		dest[i] = &texts[i]
	}

	if err := iter.rows.Scan(dest...); err != nil {
		iter.close()
		return unused, nil, lazyerrors.Error(err)
	}

	doc := must.NotFail(types.NewDocument())

	for i, key := range append([]string{"_id"}, iter.fields...) {
		value, schema := texts[2*i], texts[2*i+1]
		if !value.Valid {
			continue // missing
		}

		v, err := sjson.ACSUnmarshalField([]byte(value.String), []byte(schema.String))
		if err != nil {
			iter.close()
			return unused, nil, lazyerrors.Error(err)
		}

		doc.Set(key, v)
	}

	return unused, doc, nil
}

// Close implements iterator.Interface.
func (iter *acsFieldsIterator) Close() {
	iter.m.Lock()
	defer iter.m.Unlock()

	iter.close()
}

func (iter *acsFieldsIterator) close() {
	if iter.rows != nil {
		iter.rows.Close()
		iter.rows = nil
	}

	resource.Untrack(iter, iter.token)
}

var _ types.DocumentsIterator = (*acsFieldsIterator)(nil)
