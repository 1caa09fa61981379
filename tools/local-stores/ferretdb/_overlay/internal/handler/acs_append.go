// Added to FerretDB by the ACS build (see tools/local-stores/ferretdb/patches.ts); the leading
// underscore of _overlay keeps the Go tool from compiling it as part of the wrapper module.

package handler

import (
	"context"
	"unicode/utf8"

	"github.com/FerretDB/FerretDB/internal/backends"
	"github.com/FerretDB/FerretDB/internal/handler/common"
	"github.com/FerretDB/FerretDB/internal/types"
	"github.com/FerretDB/FerretDB/internal/util/must"
)

// acsAppendGroupMax bounds the statements of one append in place: the time one UPDATE keeps
// the other writers of the database waiting (about 0.1 ms per document).
const acsAppendGroupMax = 200

// acsAppend is a statement that appends strings to an array of one document by its _id.
type acsAppend struct {
	id     string
	field  string
	values []string
	unique bool
}

// acsAppendGroup returns the appends that one append in place (backends.ACSAppend) may do from
// statement i on: i's own and, in an unordered command, those of the statements after it with
// the same operator, field and number of values, each on another document. Statements on
// distinct documents give the same result in any order, and none of these fails, so an
// unordered command's outcome is the same; in an ordered one a later statement must not run
// before an earlier one that may fail. nil when statement i is not such an append.
func acsAppendGroup(updates []common.Update, i int, ordered bool) []*acsAppend {
	first := acsAppendOf(&updates[i])
	if first == nil {
		return nil
	}

	group := []*acsAppend{first}
	if ordered {
		return group
	}

	ids := map[string]struct{}{first.id: {}}

	for j := i + 1; j < len(updates) && len(group) < acsAppendGroupMax; j++ {
		a := acsAppendOf(&updates[j])
		if a == nil || a.field != first.field || a.unique != first.unique || len(a.values) != len(first.values) {
			break
		}

		if _, dup := ids[a.id]; dup {
			break
		}

		ids[a.id] = struct{}{}
		group = append(group, a)
	}

	return group
}

// acsAppendInPlace runs the group's appends in place; see backends.ACSAppend.
func (h *Handler) acsAppendInPlace(ctx context.Context, db backends.Database, collection string, group []*acsAppend) ([]bool, error) {
	// an invalid name is the statements' to report, as they do
	c, err := db.Collection(collection)
	if err != nil {
		return nil, nil
	}

	params := &backends.ACSAppendParams{Field: group[0].field, Unique: group[0].unique, Docs: make([]backends.ACSAppendDoc, len(group))}
	for i, a := range group {
		params.Docs[i] = backends.ACSAppendDoc{ID: a.id, Values: a.values}
	}

	return backends.ACSAppend(ctx, c, params)
}

// acsAppendOf returns the append that u is, when it is one that the backend may do without
// reading the document: not multi, no upsert, filter {_id: <string>}, and update {$addToSet or
// $push: {<plain field>: <string> or {$each: [<distinct strings>]}}} of strings that sjson and
// SQLite's JSON encode alike. nil otherwise.
func acsAppendOf(u *common.Update) *acsAppend {
	if u.Multi || u.Upsert || u.Filter == nil || u.Update == nil || u.Filter.Len() != 1 || u.Update.Len() != 1 ||
		u.C != nil || u.Collation != nil || u.ArrayFilters != nil {
		return nil
	}

	id, ok := must.NotFail(u.Filter.Get(u.Filter.Keys()[0])).(string)
	if !ok || u.Filter.Keys()[0] != "_id" {
		return nil
	}

	op := u.Update.Keys()[0]
	if op != "$addToSet" && op != "$push" {
		return nil
	}

	spec, ok := must.NotFail(u.Update.Get(op)).(*types.Document)
	if !ok || spec.Len() != 1 {
		return nil
	}

	field := spec.Keys()[0]
	if !acsPlainField(field) || field == "_id" {
		return nil
	}

	values := acsAppendValues(must.NotFail(spec.Get(field)))
	if values == nil {
		return nil
	}

	seen := make(map[string]struct{}, len(values))

	for _, s := range values {
		if _, dup := seen[s]; dup || !acsPlainString(s) {
			return nil
		}

		seen[s] = struct{}{}
	}

	return &acsAppend{id: id, field: field, values: values, unique: op == "$addToSet"}
}

// acsAppendValues returns the strings that an operator's argument appends: a string, or
// {$each: [<strings>]} with at least one; nil for anything else ($position, $slice, $sort,
// other types).
func acsAppendValues(arg any) []string {
	switch v := arg.(type) {
	case string:
		return []string{v}
	case *types.Document:
		if v.Len() != 1 || v.Keys()[0] != "$each" {
			return nil
		}

		each, ok := must.NotFail(v.Get("$each")).(*types.Array)
		if !ok || each.Len() == 0 {
			return nil
		}

		values := make([]string, each.Len())

		for i := range values {
			s, isString := must.NotFail(each.Get(i)).(string)
			if !isString {
				return nil
			}

			values[i] = s
		}

		return values
	default:
		return nil
	}
}

// acsPlainField reports whether field is a top-level name that can stand quoted in a JSON
// path and in SQL as it is.
func acsPlainField(field string) bool {
	if field == "" || len(field) > 64 {
		return false
	}

	for _, r := range field {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}

	return true
}

// acsPlainString reports whether s is valid UTF-8 without control characters, which Go's and
// SQLite's JSON could escape or replace differently.
func acsPlainString(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}

	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return false
		}
	}

	return true
}
