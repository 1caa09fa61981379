// Added to FerretDB by the ACS build (see tools/local-stores/ferretdb/patches.ts); the leading
// underscore of _overlay keeps the Go tool from compiling it as part of the wrapper module.

package sqlite

import (
	"context"
	"expvar"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"github.com/FerretDB/FerretDB/internal/backends"
	"github.com/FerretDB/FerretDB/internal/backends/sqlite/metadata"
	"github.com/FerretDB/FerretDB/internal/util/fsql"
	"github.com/FerretDB/FerretDB/internal/util/lazyerrors"
	"github.com/FerretDB/FerretDB/internal/util/logging"
)

// The proofs of acs_sort.go survive a clean restart, so that the first sorted page after it
// does not wait for a scan of the table (1.3-1.8 s over 100,000 devices). When the backend
// closes, after the listener has stopped and every connection's commands (writes included)
// have ended, the known states (proven and refuted; not unproven) of each database's tables
// are written into acsProofsTable of that database's file. When the backend opens, before it
// serves anything, they are read back into acsTracked and the table is dropped in the same
// transaction: a file in use never holds it, so after a crash (no clean close) nothing is
// trusted and the first query proves by a scan, as without this. A proof kept is exactly as
// sound as one held in memory: it covered every document written to the table while this
// process ran, and nothing wrote after it was saved.
//
// While the file is closed, triggers on each table kept delete its rows from acsProofsTable
// at any insert or update, so that another program writing the file meanwhile (an unpatched
// FerretDB, an older build of this one, the sqlite3 shell) leaves no stale proof behind; a
// table dropped and created again has lost its triggers, and its rows are ignored. They exist
// only while no patched FerretDB has the file open, so they cost its writes nothing.
//
// The table's name has FerretDB's reserved prefix: no collection can be named so (nor can its
// table, which is the lowercased name and a hash), and FerretDB lists collections from its
// metadata table, never from SQLite's schema.
const acsProofsTable = backends.ReservedPrefix + "acs_sort_proofs"

// acsProofScans counts the proving scans of tables this process ran, for tests and profiles
// (published by expvar at /debug/vars, which ferretdb-local serves with -pprof-addr).
var acsProofScans = expvar.NewInt("acs_sort_proof_scans")

// acsKept is one row of acsProofsTable: the known state of a table's field.
type acsKept struct {
	table string
	field string
	state int32
}

// acsSaveProofs writes the known proofs of every database into its file. It is called once,
// when the backend closes; it holds acsWrites so that no write is half-checked meanwhile.
func acsSaveProofs(ctx context.Context, r *metadata.Registry, l *slog.Logger) {
	acsWrites.Lock()
	defer acsWrites.Unlock()

	for _, dbName := range r.DatabaseList(ctx) {
		if err := acsSaveDatabaseProofs(ctx, r, dbName); err != nil {
			l.WarnContext(ctx, "sort proofs not kept; the next start proves by a scan", slog.String("db", dbName), logging.Error(err))
		}
	}
}

func acsSaveDatabaseProofs(ctx context.Context, r *metadata.Registry, dbName string) error {
	db := r.DatabaseGetExisting(ctx, dbName)
	if db == nil {
		return nil
	}

	colls, err := r.CollectionList(ctx, dbName)
	if err != nil {
		return lazyerrors.Error(err)
	}

	var rows []acsKept

	for _, c := range colls {
		t := acsTracked[acsTableKey(dbName, c.TableName)]
		if t == nil {
			continue
		}

		for _, p := range t.proofs {
			if s := p.state.Load(); s != acsUnproven {
				rows = append(rows, acsKept{c.TableName, p.field, s})
			}
		}
	}

	if len(rows) == 0 {
		return nil
	}

	return db.InTransaction(ctx, func(tx *fsql.Tx) error {
		if err := acsDropKept(ctx, tx); err != nil {
			return err
		}

		q := fmt.Sprintf(`CREATE TABLE %q (table_name TEXT NOT NULL, field TEXT NOT NULL, state INTEGER NOT NULL) STRICT`, acsProofsTable)
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return lazyerrors.Error(err)
		}

		q = fmt.Sprintf(`INSERT INTO %q (table_name, field, state) VALUES (?, ?, ?)`, acsProofsTable)
		for i, row := range rows {
			if _, err := tx.ExecContext(ctx, q, row.table, row.field, row.state); err != nil {
				return lazyerrors.Error(err)
			}

			if i > 0 && rows[i-1].table == row.table {
				continue
			}

			for _, op := range acsKeptTriggerOps {
				q := fmt.Sprintf(
					`CREATE TRIGGER %q AFTER %s ON %q BEGIN DELETE FROM %q WHERE table_name = '%s'; END`,
					acsKeptTrigger(op, row.table), op, row.table, acsProofsTable, strings.ReplaceAll(row.table, "'", "''"),
				)
				if _, err := tx.ExecContext(ctx, q); err != nil {
					return lazyerrors.Error(err)
				}
			}
		}

		return nil
	})
}

// acsKeptTriggerOps are the writes that may break a kept proof (a delete cannot).
var acsKeptTriggerOps = []string{"INSERT", "UPDATE"}

// acsKeptTrigger is the name of the trigger that forgets table's kept proofs at op.
func acsKeptTrigger(op, table string) string {
	return acsProofsTable + "_" + strings.ToLower(op) + "_" + table
}

// acsDropKept drops acsProofsTable and its triggers.
func acsDropKept(ctx context.Context, tx *fsql.Tx) error {
	triggers, err := acsKeptTriggers(ctx, tx)
	if err != nil {
		return err
	}

	for name := range triggers {
		if _, err := tx.ExecContext(ctx, fmt.Sprintf(`DROP TRIGGER %q`, name)); err != nil {
			return lazyerrors.Error(err)
		}
	}

	if _, err := tx.ExecContext(ctx, fmt.Sprintf(`DROP TABLE IF EXISTS %q`, acsProofsTable)); err != nil {
		return lazyerrors.Error(err)
	}

	return nil
}

// acsKeptTriggers returns the triggers of acsDropKept by name, with the table each is on.
func acsKeptTriggers(ctx context.Context, tx *fsql.Tx) (map[string]string, error) {
	q := `SELECT name, tbl_name FROM sqlite_schema WHERE type = 'trigger' AND name GLOB ?`
	rows, err := tx.QueryContext(ctx, q, acsProofsTable+"_*")
	if err != nil {
		return nil, lazyerrors.Error(err)
	}
	defer rows.Close()

	triggers := map[string]string{}

	for rows.Next() {
		var name, table string
		if err = rows.Scan(&name, &table); err != nil {
			return nil, lazyerrors.Error(err)
		}

		triggers[name] = table
	}

	if err = rows.Err(); err != nil {
		return nil, lazyerrors.Error(err)
	}

	return triggers, nil
}

// acsRestoreProofs reads back, and removes, the proofs kept in every database's file. It is
// called when the backend opens, before any query; an error (a proof read but not removed,
// which a crash would leave behind to be trusted) fails the start.
func acsRestoreProofs(ctx context.Context, r *metadata.Registry) error {
	for _, dbName := range r.DatabaseList(ctx) {
		db := r.DatabaseGetExisting(ctx, dbName)
		if db == nil {
			continue
		}

		var kept []acsKept

		err := db.InTransaction(ctx, func(tx *fsql.Tx) error {
			var n int
			q := `SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?`
			if err := tx.QueryRowContext(ctx, q, acsProofsTable).Scan(&n); err != nil {
				return lazyerrors.Error(err)
			}

			if n == 0 {
				return acsDropKept(ctx, tx)
			}

			triggers, err := acsKeptTriggers(ctx, tx)
			if err != nil {
				return err
			}

			rows, err := tx.QueryContext(ctx, fmt.Sprintf(`SELECT table_name, field, state FROM %q ORDER BY table_name`, acsProofsTable))
			if err != nil {
				return lazyerrors.Error(err)
			}
			defer rows.Close()

			for rows.Next() {
				var k acsKept
				if err = rows.Scan(&k.table, &k.field, &k.state); err != nil {
					return lazyerrors.Error(err)
				}

				// a table without its triggers was dropped and created again while the file was closed
				intact := true
				for _, op := range acsKeptTriggerOps {
					intact = intact && triggers[acsKeptTrigger(op, k.table)] == k.table
				}

				if intact {
					kept = append(kept, k)
				}
			}

			if err = rows.Err(); err != nil {
				return lazyerrors.Error(err)
			}

			_ = rows.Close() // SQLite drops no table a statement still reads

			return acsDropKept(ctx, tx)
		})
		if err != nil {
			return lazyerrors.Errorf("%s: reading the kept sort proofs: %w", dbName, err)
		}

		colls, err := r.CollectionList(ctx, dbName)
		if err != nil {
			return lazyerrors.Error(err)
		}

		acsKeep(dbName, colls, kept)
	}

	return nil
}

// acsKeep puts kept proofs into acsTracked. A proof of a table that no collection has is
// ignored; a table whose every indexed field is known needs no background proof (started),
// the others get one at their first query, for the fields still unknown.
func acsKeep(dbName string, colls []*metadata.Collection, kept []acsKept) {
	acsWrites.Lock()
	defer acsWrites.Unlock()

	for _, k := range kept {
		table, field, state := k.table, k.field, k.state

		i := slices.IndexFunc(colls, func(c *metadata.Collection) bool { return c.TableName == table })
		if i < 0 || !acsPlainField.MatchString(field) || (state != acsProven && state != acsRefuted) {
			continue
		}

		key := acsTableKey(dbName, table)
		t := acsTracked[key]

		if t == nil {
			t = &acsTable{}
			acsTracked[key] = t
		}

		if slices.ContainsFunc(t.proofs, func(p *acsProof) bool { return p.field == field }) {
			continue
		}

		p := &acsProof{field: field}
		p.state.Store(state)
		t.proofs = append(t.proofs, p)

		t.started.Store(acsFindProofs(t, acsIndexedFields(colls[i])) != nil)
	}
}
