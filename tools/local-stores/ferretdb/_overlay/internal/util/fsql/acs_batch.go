// Added to FerretDB by the ACS build (see tools/local-stores/ferretdb/patches.ts); the leading
// underscore of _overlay keeps the Go tool from compiling it as part of the wrapper module.

package fsql

import (
	"context"
	"sync"
	"time"

	"github.com/FerretDB/FerretDB/internal/util/lazyerrors"
)

// Every statement of an update command was its own SQLite transaction, each with its own
// commit and, every thousand WAL pages, a checkpoint: a quarter of FerretDB's CPU while the
// ACS announced 10,000 tasks (bench/RESULTS.md, queuing tasks). A Batch lets the statements of one
// command share transactions ("segments"): the calls of DB made with the Batch's context run
// in its transaction, begun at the first of them. A statement that may write several times
// (an updateMany) is a savepoint, so that a failed one leaves nothing behind while the earlier
// ones stay; one that writes one document does so with one SQL statement, which SQLite undoes
// by itself when it fails (savepoints for those cost a tenth of FerretDB's CPU in the bulk
// announcement, truncating and writing the in-memory sub-journal).
//
// SQLite takes one writer at a time, and its busy handler polls (up to every 100 ms) and is
// unfair: a batch that committed and began again at once would keep a waiting connection out
// until its busy timeout. So every write of a DB (ExecContext, InTransaction, a segment) first
// takes the DB's writer gate, a Go mutex, which hands itself to the longest waiter once one has
// waited a millisecond; the handler ends a segment after acsSegmentTime so that a long command
// lets the others in between.

// acsSegmentTime bounds how long one segment keeps the other writers of its database waiting.
const acsSegmentTime = 20 * time.Millisecond

// acsWriterGate serialises the writes of one DB in Go, where waiting is fair.
type acsWriterGate struct {
	mu sync.Mutex
}

type acsBatchKey struct{}

// acsSegmentHold is a lock that every writer takes before the writer gate.
type acsSegmentHold struct {
	key          string
	lock, unlock func()
}

// acsSegmentHolds are taken by a segment before it begins, in this order; see AddSegmentHold.
var acsSegmentHolds []acsSegmentHold

// AddSegmentHold registers a lock that writers take before the writer gate and hold until
// they commit (package init only). A segment takes it when it begins and releases it when it
// ends, so that its writes keep the same lock order as every other writer's.
func AddSegmentHold(key string, lock, unlock func()) {
	acsSegmentHolds = append(acsSegmentHolds, acsSegmentHold{key: key, lock: lock, unlock: unlock})
}

// Batch is the transaction that the statements of one command share. It is used by the one
// goroutine running that command.
type Batch struct {
	db     *DB
	tx     *Tx
	began  time.Time
	inStmt bool
	// savepoint: the statement in progress is a savepoint
	savepoint bool
	held      map[string]func()
	memo      map[string]any
}

// WithBatch returns a context whose DB calls run in the returned Batch.
func WithBatch(ctx context.Context) (context.Context, *Batch) {
	b := &Batch{held: map[string]func(){}, memo: map[string]any{}}
	return context.WithValue(ctx, acsBatchKey{}, b), b
}

// WithoutBatch returns a context whose DB calls run outside any Batch: a read that must see
// only what was committed before it started, as outside a batch.
func WithoutBatch(ctx context.Context) context.Context {
	return context.WithValue(ctx, acsBatchKey{}, (*Batch)(nil))
}

func batchOf(ctx context.Context) *Batch {
	b, _ := ctx.Value(acsBatchKey{}).(*Batch)
	return b
}

// Memo returns what load returned the first time it was asked for key in ctx's Batch (load
// itself outside a batch). The registry's metadata is read through it, so that a segment never
// waits for the registry's lock, whose writers wait for the writer gate the segment holds.
func Memo[T any](ctx context.Context, key string, load func() T) T {
	b := batchOf(ctx)
	if b == nil {
		return load()
	}

	if v, ok := b.memo[key]; ok {
		return v.(T)
	}

	v := load()
	b.memo[key] = v

	return v
}

// HoldForSegment takes the lock registered as key (see AddSegmentHold) for one write and
// returns its release. In a batch the lock is held until the segment ends, and taken once.
func HoldForSegment(ctx context.Context, key string, lock, unlock func()) func() {
	b := batchOf(ctx)
	if b == nil {
		lock()
		return unlock
	}

	b.hold(key, lock, unlock)

	return func() {}
}

func (b *Batch) hold(key string, lock, unlock func()) {
	if _, ok := b.held[key]; !ok {
		lock()
		b.held[key] = unlock
	}
}

// txFor returns the batch's transaction on db, beginning it on first use; nil outside a batch,
// or for another database than the one the batch began on.
func (b *Batch) txFor(ctx context.Context, db *DB) (*Tx, error) {
	if b == nil || (b.db != nil && b.db != db) {
		return nil, nil
	}

	if b.tx != nil {
		return b.tx, nil
	}

	for _, h := range acsSegmentHolds {
		b.hold(h.key, h.lock, h.unlock)
	}

	db.acsGate.mu.Lock()

	sqlTx, err := db.sqlDB.BeginTx(ctx, nil)
	if err != nil {
		db.acsGate.mu.Unlock()
		return nil, lazyerrors.Error(err)
	}

	b.db, b.tx, b.began = db, wrapTx(sqlTx, db.l), time.Now()

	if b.savepoint {
		if _, err = b.tx.ExecContext(ctx, `SAVEPOINT acs_statement`); err != nil {
			return nil, lazyerrors.Error(err)
		}
	}

	return b.tx, nil
}

// Statement starts one statement. With savepoint, what it writes until EndStatement can be
// undone alone; without, the caller promises that the statement writes with at most one SQL
// statement (one document), which SQLite undoes by itself when it fails.
func (b *Batch) Statement(ctx context.Context, savepoint bool) error {
	b.inStmt, b.savepoint = true, savepoint
	if b.tx == nil || !savepoint {
		return nil
	}

	_, err := b.tx.ExecContext(ctx, `SAVEPOINT acs_statement`)

	return err
}

// EndStatement keeps what the statement wrote, or undoes it.
func (b *Batch) EndStatement(ctx context.Context, keep bool) error {
	savepoint := b.savepoint
	b.inStmt, b.savepoint = false, false

	if b.tx == nil || !savepoint {
		return nil
	}

	if !keep {
		if _, err := b.tx.ExecContext(ctx, `ROLLBACK TO acs_statement`); err != nil {
			return lazyerrors.Error(err)
		}
	}

	_, err := b.tx.ExecContext(ctx, `RELEASE acs_statement`)

	return err
}

// Due reports whether the segment has kept the other writers waiting long enough.
func (b *Batch) Due() bool {
	return b.tx != nil && time.Since(b.began) >= acsSegmentTime
}

// Commit ends the segment, keeping what its statements wrote.
func (b *Batch) Commit() error {
	return b.end(true)
}

// Rollback ends the segment, undoing what it wrote (for a command that ends with a panic).
func (b *Batch) Rollback() {
	_ = b.end(false)
}

func (b *Batch) end(commit bool) error {
	var err error

	if b.tx != nil {
		if commit {
			err = b.tx.Commit()
		} else {
			err = b.tx.Rollback()
		}

		b.tx = nil
		b.db.acsGate.mu.Unlock()
	}

	for key, unlock := range b.held {
		unlock()
		delete(b.held, key)
	}

	if err != nil {
		return lazyerrors.Error(err)
	}

	return nil
}

// acsNested runs f in the batch's transaction: InTransaction inside a batch. Within a
// statement, the statement's savepoint or its single SQL write makes f's writes undone with it;
// outside one, f gets a savepoint of its own.
func (b *Batch) acsNested(ctx context.Context, tx *Tx, f func(*Tx) error) error {
	if b.inStmt {
		return f(tx)
	}

	if _, err := tx.ExecContext(ctx, `SAVEPOINT acs_nested`); err != nil {
		return lazyerrors.Error(err)
	}

	if err := f(tx); err != nil {
		_, _ = tx.ExecContext(ctx, `ROLLBACK TO acs_nested`)
		_, _ = tx.ExecContext(ctx, `RELEASE acs_nested`)

		return err
	}

	if _, err := tx.ExecContext(ctx, `RELEASE acs_nested`); err != nil {
		return lazyerrors.Error(err)
	}

	return nil
}

// InBatch reports whether ctx's DB calls run in a Batch.
func InBatch(ctx context.Context) bool {
	return batchOf(ctx) != nil
}
