// Added to FerretDB by the ACS build (see src/stores/ferretdb/patches.ts); the leading
// underscore of _overlay keeps the Go tool from compiling it as part of the wrapper module.

package sqlite

import (
	"fmt"
	"strings"

	"github.com/FerretDB/FerretDB/internal/backends/sqlite/metadata"
	"github.com/FerretDB/FerretDB/internal/handler/sjson"
	"github.com/FerretDB/FerretDB/internal/types"
	"github.com/FerretDB/FerretDB/internal/util/must"
)

// acsIDOperators are the _id operators pushed down to SQLite, with their SQL operator.
var acsIDOperators = map[string]string{"$gt": ">", "$gte": ">=", "$lt": "<", "$lte": "<="}

// acsIDScalar reports whether v is an _id value whose sjson text SQLite may compare: a string
// or an ObjectId (stored as its hex string).
func acsIDScalar(v any) bool {
	switch v.(type) {
	case string, types.ObjectID:
		return true
	default:
		return false
	}
}

// acsIDConditions turns the operators of an _id condition document into SQL conditions on
// the indexed _id expression: $in of strings or ObjectIds, and $gt/$gte/$lt/$lte of one.
// Operators it does not know are left out; the handler filters every row again in Go, so
// the result only narrows what SQLite returns. Comparisons are between sjson texts, which
// order like the values themselves for ObjectIds and for strings of characters above '"'
// that JSON does not escape: the _ids of every collection the ACS pages through.
func acsIDConditions(cond *types.Document) (string, []any) {
	var clauses []string
	var args []any

	for _, op := range cond.Keys() {
		v := must.NotFail(cond.Get(op))

		if sqlOp, ok := acsIDOperators[op]; ok && acsIDScalar(v) {
			clauses = append(clauses, fmt.Sprintf(`%s %s ?`, metadata.IDColumn, sqlOp))
			args = append(args, string(must.NotFail(sjson.MarshalSingleValue(v))))

			continue
		}

		list, isArray := v.(*types.Array)
		if op != "$in" || !isArray || list.Len() == 0 || list.Len() > 10000 {
			continue
		}

		values := make([]any, 0, list.Len())
		for i := 0; i < list.Len(); i++ {
			item := must.NotFail(list.Get(i))
			if !acsIDScalar(item) {
				values = nil
				break
			}

			values = append(values, string(must.NotFail(sjson.MarshalSingleValue(item))))
		}

		if len(values) == 0 {
			continue
		}

		clauses = append(clauses, fmt.Sprintf(`%s IN (?%s)`, metadata.IDColumn, strings.Repeat(`, ?`, len(values)-1)))
		args = append(args, values...)
	}

	if len(clauses) == 0 {
		return "", nil
	}

	return ` WHERE ` + strings.Join(clauses, ` AND `), args
}
