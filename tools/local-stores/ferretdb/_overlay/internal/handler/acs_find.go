// Added to FerretDB by the ACS build (see tools/local-stores/ferretdb/patches.ts); the leading
// underscore of _overlay keeps the Go tool from compiling it as part of the wrapper module.

package handler

import (
	"strings"

	"github.com/FerretDB/FerretDB/internal/handler/common"
	"github.com/FerretDB/FerretDB/internal/types"
	"github.com/FerretDB/FerretDB/internal/util/must"
)

// acsBackendSort reports whether find hands its sort to the backend: {_id: ±1}, or
// {<top-level field>: d, _id: d}, which the SQLite backend orders by the two expressions of
// the field's (field, _id) index when it can prove that order is MongoDB's (acs_sort.go). The
// backend says in QueryResult.SortPushdown whether it did; if not, the handler sorts.
func acsBackendSort(sort *types.Document) bool {
	keys := sort.Keys()

	switch len(keys) {
	case 1:
		return keys[0] == "_id"
	case 2:
		first, _ := sort.Get(keys[0])
		second, _ := sort.Get(keys[1])

		return keys[1] == "_id" && keys[0] != "_id" && acsTopLevel(keys[0]) && first == second
	default:
		return false
	}
}

// acsTopLevel reports whether key names a top-level field (no operator, no path).
func acsTopLevel(key string) bool {
	return key != "" && !strings.HasPrefix(key, "$") && !strings.Contains(key, ".")
}

// acsOnlyFields returns the top-level fields that a find returning only _id needs of each
// document for its filter and sort (nil: the whole document): the first element of every
// filter and sort path. A filter with a top-level operator ($and, $expr, $comment, ...) could
// look at any field, so it gets whole documents.
func acsOnlyFields(params *common.FindParams) []string {
	if params.Projection.Len() != 1 || params.ShowRecordId {
		return nil
	}

	switch v := must.NotFail(params.Projection.Get(params.Projection.Keys()[0])).(type) {
	case bool:
		if !v {
			return nil
		}
	case int32, int64, float64:
		if v == int32(0) || v == int64(0) || v == float64(0) {
			return nil
		}
	default:
		return nil
	}

	if params.Projection.Keys()[0] != "_id" {
		return nil
	}

	fields := []string{}
	seen := map[string]bool{"_id": true}

	for _, doc := range []*types.Document{params.Filter, params.Sort} {
		for _, key := range doc.Keys() {
			if key == "" || strings.HasPrefix(key, "$") {
				return nil
			}

			field, _, _ := strings.Cut(key, ".")
			if !seen[field] {
				seen[field] = true
				fields = append(fields, field)
			}
		}
	}

	return fields
}

// acsWithoutSort returns find's parameters without the sort the backend already applied.
func acsWithoutSort(params *common.FindParams) *common.FindParams {
	p := *params
	p.Sort = nil

	return &p
}
