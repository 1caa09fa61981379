// Added to FerretDB by the ACS build (see tools/local-stores/ferretdb/patches.ts); the leading
// underscore of _overlay keeps the Go tool from compiling it as part of the wrapper module.

package handlererrors

// ACSEach calls f with the code and message of each write error, for an update command that
// reports them under the index of its statement (as MongoDB does) instead of index 0.
func (we *WriteErrors) ACSEach(f func(code ErrorCode, msg string)) {
	for _, e := range we.errs {
		f(e.code, e.errmsg)
	}
}
