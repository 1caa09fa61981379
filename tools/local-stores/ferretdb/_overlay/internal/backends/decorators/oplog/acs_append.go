// Added to FerretDB by the ACS build (see tools/local-stores/ferretdb/patches.ts); the leading
// underscore of _overlay keeps the Go tool from compiling it as part of the wrapper module.

package oplog

import (
	"context"

	"github.com/FerretDB/FerretDB/internal/backends"
)

// ACSAppend passes an append in place (backends.ACSAppend) to the wrapped collection while no
// oplog is kept: an oplog entry of an update holds the whole document written, which an append
// in place never has.
func (c *collection) ACSAppend(ctx context.Context, params *backends.ACSAppendParams) ([]bool, error) {
	if c.oplogCollection(ctx) != nil {
		return make([]bool, len(params.Docs)), nil
	}

	return backends.ACSAppend(ctx, c.origC, params)
}
