// Added to FerretDB by the ACS build (see tools/local-stores/ferretdb/patches.ts); the leading
// underscore of _overlay keeps the Go tool from compiling it as part of the wrapper module.

package backends

import "context"

// ACSAppendParams names strings to append to one top-level array field of several documents,
// each named by its string _id (distinct): the $addToSet (Unique) or $push of strings by _id
// of consecutive statements of one update command. Every document gets the same number of
// values.
type ACSAppendParams struct {
	Field  string
	Unique bool
	Docs   []ACSAppendDoc
}

// ACSAppendDoc is one document's part of an append.
type ACSAppendDoc struct {
	ID     string
	Values []string
}

// acsAppender is a backend that can append to arrays inside its store, without decoding the
// documents and encoding them again.
type acsAppender interface {
	ACSAppend(ctx context.Context, params *ACSAppendParams) ([]bool, error)
}

// ACSAppend appends to each document's array, when the backend can do so at once and the append
// certainly changes the document as the update operator would: the document exists, the field
// holds an array and, for Unique, none of the values is in it. It reports, per document, whether
// it did, also along with an error; a document it did not append to is unchanged, and the
// caller runs its update as usual.
func ACSAppend(ctx context.Context, c Collection, params *ACSAppendParams) ([]bool, error) {
	if cc, ok := c.(*collectionContract); ok {
		c = cc.c
	}

	a, ok := c.(acsAppender)
	if !ok {
		return make([]bool, len(params.Docs)), nil
	}

	done, err := a.ACSAppend(ctx, params)
	checkError(err)

	return done, err
}
