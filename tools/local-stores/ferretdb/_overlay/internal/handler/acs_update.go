// Added to FerretDB by the ACS build (see tools/local-stores/ferretdb/patches.ts); the leading
// underscore of _overlay keeps the Go tool from compiling it as part of the wrapper module.

package handler

import (
	"context"
	"errors"

	"go.mongodb.org/mongo-driver/mongo"

	"github.com/FerretDB/FerretDB/internal/backends"
	"github.com/FerretDB/FerretDB/internal/handler/common"
	"github.com/FerretDB/FerretDB/internal/handler/handlererrors"
	"github.com/FerretDB/FerretDB/internal/types"
	"github.com/FerretDB/FerretDB/internal/util/fsql"
	"github.com/FerretDB/FerretDB/internal/util/iterator"
	"github.com/FerretDB/FerretDB/internal/util/lazyerrors"
	"github.com/FerretDB/FerretDB/internal/util/must"
)

// acsUpdateStatements runs the statements of an update command as MongoDB does, sharing SQLite
// transactions between them (fsql.Batch): an ordered command stops at the first statement that
// fails, an unordered one goes on; a failed statement leaves nothing of itself behind and is
// reported in writeErrors under its own index, the statements before it kept. upserted lists
// each upsert under the index of its statement. An error that is not a statement's own (a
// command error, a lost connection) ends the command as it did before, the earlier statements
// kept.
func (h *Handler) acsUpdateStatements(ctx context.Context, db backends.Database, params *common.UpdateParams, upserted, writeErrors *types.Array) (int32, int32, error) {
	var matched, modified int32

	ctx, batch := fsql.WithBatch(ctx)
	segments := &acsSegments{ctx: ctx, batch: batch, db: params.DB, collection: params.Collection, single: len(params.Updates) == 1}
	defer segments.abandon()

	inPlace := make([]bool, len(params.Updates))
	tried := 0

	for i, u := range params.Updates {
		if i >= tried && !h.DisablePushdown {
			if group := acsAppendGroup(params.Updates, i, params.Ordered); group != nil {
				tried = i + len(group)

				// not a statement's own error (an append in place has none): it ends the command
				err := segments.run(&u, func(ctx, _ context.Context) error {
					done, err := h.acsAppendInPlace(ctx, db, params.Collection, group)
					copy(inPlace[i:], done)

					return err
				})
				if err != nil {
					_ = segments.end()
					return matched, modified, err
				}
			}
		}

		if inPlace[i] {
			matched++
			modified++

			continue
		}

		var result *common.UpdateResult

		err := segments.run(&u, func(ctx, readCtx context.Context) error {
			var err error
			result, err = h.acsUpdateOne(ctx, readCtx, db, params.Collection, &u)

			return err
		})
		if err != nil {
			var we *handlererrors.WriteErrors
			if !errors.As(handleUpdateError(params.DB, params.Collection, "update", err), &we) {
				_ = segments.end()
				return matched, modified, err
			}

			we.ACSEach(func(code handlererrors.ErrorCode, msg string) {
				writeErrors.Append(WriteErrorDocument(&mongo.WriteError{Index: i, Code: int(code), Message: msg}))
			})

			if params.Ordered {
				break
			}

			continue
		}

		matched += result.Matched.Count
		modified += result.Modified.Count

		if result.Upserted.Doc != nil {
			upserted.Append(must.NotFail(types.NewDocument(
				"index", int32(i),
				"_id", must.NotFail(result.Upserted.Doc.Get("_id")),
			)))

			// in case of upsert, MongoDB sets the matched count to 1
			matched++
		}
	}

	return matched, modified, segments.end()
}

// acsUpdateOne runs one statement: the matching documents are read with readCtx and written
// with ctx.
func (h *Handler) acsUpdateOne(ctx, readCtx context.Context, db backends.Database, collection string, u *common.Update) (*common.UpdateResult, error) {
	c, err := db.Collection(collection)
	if err != nil {
		if backends.ErrorCodeIs(err, backends.ErrorCodeCollectionNameIsInvalid) {
			msg := "Invalid collection name: " + collection
			return nil, handlererrors.NewCommandErrorMsgWithArgument(handlererrors.ErrInvalidNamespace, msg, "insert")
		}

		return nil, lazyerrors.Error(err)
	}

	var qp backends.QueryParams
	if !h.DisablePushdown {
		qp.Filter = u.Filter
	}

	res, err := c.Query(readCtx, &qp)
	if err != nil {
		return nil, lazyerrors.Error(err)
	}

	// closed as soon as this statement is done: the rows hold a connection (kept until the
	// command ended, they exhausted the pool under concurrent bulk updates), or are a statement
	// of the batch's transaction that must end before the statement's savepoint does
	closer := iterator.NewMultiCloser()
	defer closer.Close()

	closer.Add(res.Iter)

	iter := common.FilterIterator(res.Iter, closer, u.Filter)

	if !u.Multi {
		iter = common.LimitIterator(iter, closer, 1)
	}

	result, err := common.UpdateDocument(ctx, c, "update", iter, u)
	if err != nil {
		return nil, lazyerrors.Error(err)
	}

	return result, nil
}

// acsSegments runs statements in the segments of one batch. A segment holds the collection's
// write lock (acs_write_locks.go) from its first read to its commit, since another command must
// not read a document that the segment has changed and not committed: the lock of the one
// document a single-statement command names, else the whole collection's (two segments holding
// the locks of several documents could wait for each other).
type acsSegments struct {
	ctx        context.Context
	batch      *fsql.Batch
	db         string
	collection string
	single     bool
	unlock     func()
}

// run runs one statement in the open segment, or in a new one when the open one is due or the
// statement may change many documents: such a statement reads outside the batch, from what was
// committed before its read began (as without a batch), so that its own writes never reach
// the rows it is reading; the segment before it is committed first.
func (s *acsSegments) run(u *common.Update, f func(ctx, readCtx context.Context) error) error {
	if u.Multi || s.batch.Due() {
		if err := s.end(); err != nil {
			return err
		}
	}

	if s.unlock == nil {
		var filter *types.Document
		if s.single {
			filter = u.Filter
		}

		s.unlock = lockCollectionWrites(s.db, s.collection, filter)
	}

	readCtx := s.ctx
	if u.Multi {
		readCtx = fsql.WithoutBatch(s.ctx)
	}

	// a statement of one document writes it with one SQL statement (common.UpdateDocument)
	if err := s.batch.Statement(s.ctx, u.Multi); err != nil {
		return lazyerrors.Error(err)
	}

	err := f(s.ctx, readCtx)

	if endErr := s.batch.EndStatement(s.ctx, err == nil); endErr != nil {
		// the statement could not be kept or undone alone: neither is the segment
		s.abandon()
		return lazyerrors.Error(endErr)
	}

	return err
}

// end commits the open segment and releases its lock.
func (s *acsSegments) end() error {
	err := s.batch.Commit()
	s.release()

	return err
}

// abandon undoes a segment left open by a panic; after end it does nothing.
func (s *acsSegments) abandon() {
	s.batch.Rollback()
	s.release()
}

func (s *acsSegments) release() {
	if s.unlock != nil {
		s.unlock()
		s.unlock = nil
	}
}

