// Added to FerretDB by the ACS build (see tools/local-stores/ferretdb/patches.ts); the leading
// underscore of _overlay keeps the Go tool from compiling it as part of the wrapper module.

package handler

import (
	"hash/fnv"
	"sync"

	"github.com/FerretDB/FerretDB/internal/types"
)

// update, findAndModify and delete read the matching documents, then write them back by
// _id with nothing in between to stop another command changing them. MongoDB makes each
// single-document change atomic, and clients rely on it (claims, counters, conditional
// updates), so each statement of these commands holds a write lock from its read to its
// write: a stripe chosen by _id when its filter names one document by a string or ObjectId
// _id, else the whole collection.

const writeLockStripes = 64

type collectionWriteLock struct {
	whole   sync.RWMutex
	stripes [writeLockStripes]sync.Mutex
}

// collectionWriteLocks maps "db.collection" to its *collectionWriteLock.
var collectionWriteLocks sync.Map

// lockCollectionWrites waits until the documents the filter can match are free and returns
// the release.
func lockCollectionWrites(db, collection string, filter *types.Document) func() {
	v, _ := collectionWriteLocks.LoadOrStore(db+"."+collection, new(collectionWriteLock))
	l := v.(*collectionWriteLock)

	stripe, ok := idStripe(filter)
	if !ok {
		l.whole.Lock()
		return l.whole.Unlock
	}

	l.whole.RLock()
	l.stripes[stripe].Lock()

	return func() {
		l.stripes[stripe].Unlock()
		l.whole.RUnlock()
	}
}

// idStripe returns the stripe of the one document a filter with an exact string or ObjectId
// _id can match.
func idStripe(filter *types.Document) (int, bool) {
	if filter == nil {
		return 0, false
	}

	v, err := filter.Get("_id")
	if err != nil {
		return 0, false
	}

	h := fnv.New32a()

	switch id := v.(type) {
	case string:
		h.Write([]byte("s" + id))
	case types.ObjectID:
		h.Write(append([]byte("o"), id[:]...))
	default:
		return 0, false
	}

	return int(h.Sum32() % writeLockStripes), true
}

// writeLockHolder holds at most one statement's lock. Deferring release keeps a panic or an
// early return from leaking the lock; calling it early frees the lock for the next statement.
type writeLockHolder struct {
	unlock func()
}

func (h *writeLockHolder) hold(db, collection string, filter *types.Document) {
	h.release()
	h.unlock = lockCollectionWrites(db, collection, filter)
}

func (h *writeLockHolder) release() {
	if h.unlock != nil {
		h.unlock()
		h.unlock = nil
	}
}
