// Added to FerretDB by the ACS build (see tools/local-stores/ferretdb/patches.ts); the leading
// underscore of _overlay keeps the Go tool from compiling it as part of the wrapper module.

package sjson

import (
	"encoding/json"

	"github.com/FerretDB/FerretDB/internal/util/lazyerrors"
)

// ACSUnmarshalField decodes one top-level value of a stored document from its JSON text and the
// JSON text of its schema entry (`$s.p.<field>`), as Unmarshal decodes it within the document.
func ACSUnmarshalField(value, schema []byte) (any, error) {
	var sch elem
	if err := json.Unmarshal(schema, &sch); err != nil {
		return nil, lazyerrors.Error(err)
	}

	return unmarshalSingleValue(value, &sch)
}
