// Added to FerretDB by the ACS build (see tools/local-stores/ferretdb/patches.ts); the leading
// underscore of _overlay keeps the Go tool from compiling it as part of the wrapper module.

package sqlite

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/FerretDB/FerretDB/internal/backends/sqlite/metadata"
	"github.com/FerretDB/FerretDB/internal/handler/sjson"
	"github.com/FerretDB/FerretDB/internal/types"
	"github.com/FerretDB/FerretDB/internal/util/must"
)

// The handler filters every row SQLite returns again in Go, so what is pushed down here only
// has to keep every row the filter can match; it exists to stop SQLite from handing over (and
// Go from decoding) rows that cannot. Conditions it does not understand are left out.

// acsIDOperators are the _id operators pushed down, with their SQL operator.
var acsIDOperators = map[string]string{"$gt": ">", "$gte": ">=", "$lt": "<", "$lte": "<="}

// acsMaxList bounds the values of one $in or $all pushed down.
const acsMaxList = 10000

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

// acsWhere returns the " WHERE ..." clause (or "") and its arguments for what SQLite can
// check of the filter's top-level conditions:
//   - on _id: equality, $gt/$gte/$lt/$lte and $in of strings or ObjectIds, on the _id index.
//     Comparisons are between sjson texts, which order like the values themselves for
//     ObjectIds and for strings of characters above '"' that JSON does not escape: the _ids
//     of every collection the ACS pages through.
//   - on other fields: equality with a string, $in and $all of strings. SQLite's json_each
//     yields the field's value, or each element when it is an array, which is exactly what
//     such a condition matches against. No index: SQLite tests the JSON text, which is far
//     cheaper than Go decoding the document.
//   - $exists of a top-level field.
//   - on a field whose texts dates(field) has proven to order like MongoDB's values (it holds
//     only 13-digit dates or nothing, acs_sort.go): equality with such a date or null, $ne
//     null, and $gt/$gte/$lt/$lte of such a date, on the field's index (a page's cursor).
//   - $and of such filters, and $or of such filters when every branch yields a condition.
func acsWhere(filter *types.Document, dates func(field string) bool) (string, []any) {
	clauses, args := acsConditions(filter, dates)
	if len(clauses) == 0 {
		return "", nil
	}

	return ` WHERE ` + strings.Join(clauses, ` AND `), args
}

// acsConditions returns the SQL conditions (all must hold) and arguments of acsWhere.
func acsConditions(filter *types.Document, dates func(field string) bool) ([]string, []any) {
	var clauses []string
	var args []any

	for _, key := range filter.Keys() {
		v := must.NotFail(filter.Get(key))

		switch {
		case key == "$and" || key == "$or":
			clause, clauseArgs := acsLogical(key, v, dates)
			if clause != "" {
				clauses = append(clauses, clause)
				args = append(args, clauseArgs...)
			}

			continue
		case key == "" || strings.HasPrefix(key, "$") || strings.Contains(key, "."):
			continue
		}

		if key == "_id" {
			if acsIDScalar(v) {
				clauses = append(clauses, fmt.Sprintf(`%s = ?`, metadata.IDColumn))
				args = append(args, string(must.NotFail(sjson.MarshalSingleValue(v))))

				continue
			}

			cond, ok := v.(*types.Document)
			if !ok {
				continue
			}

			for _, op := range cond.Keys() {
				bound := must.NotFail(cond.Get(op))

				if sqlOp, known := acsIDOperators[op]; known && acsIDScalar(bound) {
					clauses = append(clauses, fmt.Sprintf(`%s %s ?`, metadata.IDColumn, sqlOp))
					args = append(args, string(must.NotFail(sjson.MarshalSingleValue(bound))))
				} else if values := acsList(op, bound, "$in", true); values != nil {
					clauses = append(clauses, fmt.Sprintf(`%s IN (?%s)`, metadata.IDColumn, strings.Repeat(`, ?`, len(values)-1)))
					args = append(args, values...)
				}
			}

			continue
		}

		if clause, clauseArgs := acsFieldCondition(key, v, dates); clause != "" {
			clauses = append(clauses, clause)
			args = append(args, clauseArgs...)
		}

		// json_each over `->` yields nothing when the field is missing, its value when it
		// is a scalar, and its elements when it is an array. The key is bound, as a label.
		member := fmt.Sprintf(`EXISTS (SELECT 1 FROM json_each(%s->?) WHERE value `, metadata.DefaultColumn)

		switch v := v.(type) {
		case string:
			clauses = append(clauses, member+`= ?)`)
			args = append(args, key, v)
		case *types.Document:
			for _, op := range v.Keys() {
				operand := must.NotFail(v.Get(op))

				if values := acsList(op, operand, "$in", false); values != nil {
					clauses = append(clauses, member+fmt.Sprintf(`IN (?%s))`, strings.Repeat(`, ?`, len(values)-1)))
					args = append(append(args, key), values...)
				} else if values := acsList(op, operand, "$all", false); values != nil {
					for _, value := range values {
						clauses = append(clauses, member+`= ?)`)
						args = append(args, key, value)
					}
				}
			}
		}
	}

	return clauses, args
}

// acsLogical returns one SQL condition for a $and or $or of filters, or "" when it cannot
// narrow: a $or branch without a condition of its own may match any row.
func acsLogical(op string, v any, dates func(field string) bool) (string, []any) {
	list, ok := v.(*types.Array)
	if !ok || list.Len() == 0 {
		return "", nil
	}

	var parts []string
	var args []any

	for i := 0; i < list.Len(); i++ {
		branch, isDoc := must.NotFail(list.Get(i)).(*types.Document)
		if !isDoc {
			return "", nil
		}

		clauses, branchArgs := acsConditions(branch, dates)

		switch {
		case len(clauses) > 0:
			parts = append(parts, `(`+strings.Join(clauses, ` AND `)+`)`)
			args = append(args, branchArgs...)
		case op == "$or":
			return "", nil
		}
	}

	if len(parts) == 0 {
		return "", nil
	}

	if op == "$and" {
		return `(` + strings.Join(parts, ` AND `) + `)`, args
	}

	clause := `(` + strings.Join(parts, ` OR `) + `)`

	// SQLite walks an index in order and tests an OR on every entry it passes; a bound that
	// every branch implies lets it seek instead (a page's cursor far into a date order).
	if envelope, envelopeArgs := acsEnvelope(list, dates); envelope != "" {
		clause = envelope + ` AND ` + clause
		args = append(envelopeArgs, args...)
	}

	return clause, args
}

// acsEnvelope returns the bounds on proven date fields that every branch of a $or implies
// (`f >= the least lower bound`, `f <= the greatest upper bound`), or "".
func acsEnvelope(branches *types.Array, dates func(field string) bool) (string, []any) {
	lower, upper := map[string]string{}, map[string]string{}

	for i := 0; i < branches.Len(); i++ {
		branchLower, branchUpper := acsBounds(must.NotFail(branches.Get(i)).(*types.Document))

		for _, bounds := range []struct {
			all, branch map[string]string
			wider       func(a, b string) bool
		}{
			{lower, branchLower, func(a, b string) bool { return a < b }},
			{upper, branchUpper, func(a, b string) bool { return a > b }},
		} {
			if i == 0 {
				for f, text := range bounds.branch {
					bounds.all[f] = text
				}

				continue
			}

			for f, text := range bounds.all {
				branchText, ok := bounds.branch[f]

				switch {
				case !ok:
					delete(bounds.all, f)
				case bounds.wider(branchText, text):
					bounds.all[f] = branchText
				}
			}
		}
	}

	var clauses []string
	var args []any

	for _, bound := range []struct {
		texts map[string]string
		op    string
	}{{lower, ">="}, {upper, "<="}} {
		for f, text := range bound.texts {
			if dates(f) {
				clauses = append(clauses, fmt.Sprintf(`%s->'%s' %s ?`, metadata.DefaultColumn, f, bound.op))
				args = append(args, text)
			}
		}
	}

	return strings.Join(clauses, ` AND `), args
}

// acsBounds returns the lower and upper bounds, as index texts, that a filter puts on its
// top-level fields by equality with a 13-digit date or by $gt/$gte/$lt/$lte of one.
func acsBounds(filter *types.Document) (map[string]string, map[string]string) {
	lower, upper := map[string]string{}, map[string]string{}

	for _, key := range filter.Keys() {
		if !acsPlainField.MatchString(key) {
			continue
		}

		switch v := must.NotFail(filter.Get(key)).(type) {
		case time.Time:
			if text, ok := acsDateText(v); ok {
				lower[key], upper[key] = text, text
			}
		case *types.Document:
			for _, op := range v.Keys() {
				bound, isDate := must.NotFail(v.Get(op)).(time.Time)
				text, inRange := acsDateText(bound)

				switch {
				case !isDate || !inRange:
				case op == "$gt" || op == "$gte":
					lower[key] = text
				case op == "$lt" || op == "$lte":
					upper[key] = text
				}
			}
		}
	}

	return lower, upper
}

// acsDateOperators are the comparisons of a proven date field pushed down, with their SQL.
var acsDateOperators = map[string]string{"$gt": ">", "$gte": ">=", "$lt": "<", "$lte": "<="}

// acsFieldCondition returns the SQL condition for $exists on a field (`->` is NULL exactly when
// a top-level field is missing) and for the comparisons of a field proven to hold only 13-digit
// dates or nothing, compared as the texts of the field's (field, _id) index; "" for others.
func acsFieldCondition(field string, v any, dates func(field string) bool) (string, []any) {
	if !acsPlainField.MatchString(field) {
		return "", nil
	}

	value := fmt.Sprintf(`%s->'%s'`, metadata.DefaultColumn, field)

	switch v := v.(type) {
	case time.Time:
		if text, ok := acsDateText(v); ok && dates(field) {
			return value + ` = ?`, []any{text}
		}
	case types.NullType:
		if dates(field) {
			return value + ` IS NULL`, nil
		}
	case *types.Document:
		var clauses []string
		var args []any

		for _, op := range v.Keys() {
			operand := must.NotFail(v.Get(op))

			if exists, isBool := operand.(bool); op == "$exists" && isBool {
				if exists {
					clauses = append(clauses, value+` IS NOT NULL`)
				} else {
					clauses = append(clauses, value+` IS NULL`)
				}

				continue
			}

			if _, isNull := operand.(types.NullType); op == "$ne" && isNull && dates(field) {
				clauses = append(clauses, value+` IS NOT NULL`)
				continue
			}

			bound, isDate := operand.(time.Time)
			sqlOp, known := acsDateOperators[op]

			if text, inRange := acsDateText(bound); isDate && known && inRange && dates(field) {
				clauses = append(clauses, value+` `+sqlOp+` ?`)
				args = append(args, text)
			}
		}

		return strings.Join(clauses, ` AND `), args
	}

	return "", nil
}

// acsDateText returns the JSON text sjson stores for a date of 13-digit milliseconds.
func acsDateText(t time.Time) (string, bool) {
	ms := t.UnixMilli()

	return strconv.FormatInt(ms, 10), ms >= 1e12 && ms < 1e13
}

// acsList returns the SQL arguments of operator want's array of strings (or, for _id, strings
// and ObjectIds as sjson texts), or nil when op is another operator or the array holds
// anything else.
func acsList(op string, operand any, want string, id bool) []any {
	list, ok := operand.(*types.Array)
	if op != want || !ok || list.Len() == 0 || list.Len() > acsMaxList {
		return nil
	}

	values := make([]any, 0, list.Len())

	for i := 0; i < list.Len(); i++ {
		item := must.NotFail(list.Get(i))

		switch {
		case id && acsIDScalar(item):
			values = append(values, string(must.NotFail(sjson.MarshalSingleValue(item))))
		case !id:
			s, isString := item.(string)
			if !isString {
				return nil
			}

			values = append(values, s)
		default:
			return nil
		}
	}

	return values
}
