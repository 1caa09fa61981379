// Added to FerretDB by the ACS build (see tools/local-stores/ferretdb/patches.ts); the leading
// underscore of _overlay keeps the Go tool from compiling it as part of the wrapper module.

package sqlite

import (
	"context"
	"encoding/json"
	"expvar"
	"fmt"
	"strings"

	"github.com/FerretDB/FerretDB/internal/backends"
	"github.com/FerretDB/FerretDB/internal/backends/sqlite/metadata"
	"github.com/FerretDB/FerretDB/internal/handler/sjson"
	"github.com/FerretDB/FerretDB/internal/util/fsql"
	"github.com/FerretDB/FerretDB/internal/util/lazyerrors"
	"github.com/FerretDB/FerretDB/internal/util/must"
)

// Announcing 10,000 tasks is one $addToSet of a task id on each device's taskQueue. Done as
// FerretDB does every update, each statement read the device's 1.1 kB of sjson, decoded it,
// applied the operator, encoded the document and wrote it back with an UPDATE that SQLite
// prepared again (its code maintains every index of the table): about 0.45 ms of FerretDB's CPU
// per device, decoding a quarter of it and preparing a fifth (bench/RESULTS.md, queuing tasks).
// ACSAppend does the appends of many statements in one UPDATE with SQLite's JSON functions,
// adding each value and its type to the array and to the sjson schema's items of that array.
// Its WHERE clause holds only where the append is what the operator would do (the field is an
// array, and for $addToSet none of the values is in it); RETURNING names the documents it
// changed, and the caller runs the others' updates as before.

// acsAppends counts the documents appended to in place (expvar, at /debug/vars with -pprof-addr).
var acsAppends = expvar.NewInt("acs_appends_in_place")

// ACSAppend implements backends.acsAppender.
func (c *collection) ACSAppend(ctx context.Context, params *backends.ACSAppendParams) ([]bool, error) {
	done := make([]bool, len(params.Docs))

	db := c.r.DatabaseGetExisting(ctx, c.dbName)
	if db == nil {
		return done, nil
	}

	meta := c.r.CollectionGet(ctx, c.dbName, c.name)
	if meta == nil || meta.Capped() {
		return done, nil
	}

	defer fsql.HoldForSegment(ctx, "acsWrites", acsWrites.RLock, acsWrites.RUnlock)()

	// a field whose sort order is being proven is checked by UpdateAll's acsNoteWrites
	if acsTracks(c.dbName, meta.TableName, params.Field) {
		return done, nil
	}

	q, arg, ids := acsAppendStatement(meta.TableName, params)

	rows, err := db.QueryContext(ctx, q, arg)
	if err != nil {
		return done, lazyerrors.Error(err)
	}

	defer rows.Close()

	var n int64

	for rows.Next() {
		var id string
		if err = rows.Scan(&id); err != nil {
			return done, lazyerrors.Error(err)
		}

		if i, ok := ids[id]; ok {
			done[i] = true
			n++
		}
	}

	if err = rows.Err(); err != nil {
		return done, lazyerrors.Error(err)
	}

	acsAppends.Add(n)

	return done, nil
}

// acsTracks reports whether a proof of the table follows field.
func acsTracks(dbName, table, field string) bool {
	t := acsTracked[acsTableKey(dbName, table)]
	if t == nil {
		return false
	}

	for _, p := range t.proofs {
		if p.field == field || strings.HasPrefix(p.field, field+".") {
			return true
		}
	}

	return false
}

// acsAppendStatement returns the UPDATE of an append, its one argument (a JSON array of
// [<_id as sjson>, <value>...] per document) and the position of each document by its _id as
// sjson. params.Field is a plain field name (the handler's acsAppendOf checks it), so it can
// stand in the JSON paths.
func acsAppendStatement(table string, params *backends.ACSAppendParams) (string, string, map[string]int) {
	col := fmt.Sprintf(`%q.%s`, table, metadata.DefaultColumn)
	field := fmt.Sprintf(`$."%s"`, params.Field)
	items := fmt.Sprintf(`'$."$s".p."%s".i'`, params.Field)
	count := len(params.Docs[0].Values)

	var appendValues, appendTypes, columns, values strings.Builder

	for i := range count {
		fmt.Fprintf(&appendValues, `, '%s[#]', v.v%d`, field, i)
		appendTypes.WriteString(`, '$[#]', json('{"t":"string"}')`)
		fmt.Fprintf(&columns, `, value->>%d AS v%d`, i+1, i)

		if i > 0 {
			values.WriteString(`, `)
		}

		fmt.Fprintf(&values, `v.v%d`, i)
	}

	// sjson leaves the items out of an empty array's schema
	q := fmt.Sprintf(
		`UPDATE %q SET %s = json_set(json_insert(%s%s), %s, json_insert(coalesce(%s->%s, '[]')%s))`+
			` FROM (SELECT value->>0 AS id%s FROM json_each(?)) AS v`+
			` WHERE %s->'_id' = v.id AND json_type(%s, '%s') = 'array' AND %s->>'$."$s".p."%s".t' = 'array'`,
		table, metadata.DefaultColumn, col, appendValues.String(), items, col, items, appendTypes.String(),
		columns.String(),
		col, col, field, col, params.Field,
	)

	if params.Unique {
		q += fmt.Sprintf(` AND NOT EXISTS (SELECT 1 FROM json_each(%s, '%s') WHERE value IN (%s))`, col, field, values.String())
	}

	q += fmt.Sprintf(` RETURNING %s->'_id'`, metadata.DefaultColumn)

	rows := make([][]string, len(params.Docs))
	ids := make(map[string]int, len(params.Docs))

	for i, d := range params.Docs {
		id := string(must.NotFail(sjson.MarshalSingleValue(d.ID)))
		rows[i] = append([]string{id}, d.Values...)
		ids[id] = i
	}

	return q, string(must.NotFail(json.Marshal(rows))), ids
}
