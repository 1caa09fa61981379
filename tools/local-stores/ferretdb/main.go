// Command ferretdb-local runs FerretDB 1.24 with its SQLite backend for the ACS's local
// stores (development and tests). It embeds FerretDB instead of installing cmd/ferretdb
// because `go install github.com/FerretDB/FerretDB/cmd/ferretdb@v1.24.2` cannot work from the
// module proxy: the released module lacks build/version/version.txt and its command panics.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	_ "net/http/pprof"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen-addr", "127.0.0.1:27017", "TCP address to listen on")
	dir := flag.String("sqlite-dir", "data", "directory holding one SQLite file per database")
	params := flag.String("sqlite-params", "", "query string appended to the SQLite URI, e.g. ?_pragma=synchronous(normal)")
	logLevel := flag.String("log-level", "warn", "debug, info, warn or error")
	pprofAddr := flag.String("pprof-addr", "", "serve Go's pprof profiles and expvar's /debug/vars (e.g. acs_sort_proof_scans) on this address (e.g. 127.0.0.1:6060)")
	flag.Parse()

	// FerretDB allocates for every document it decodes and encodes; with Go's default GOGC of
	// 100 the collector's background marking alone took 5 % of its CPU while 10,000 tasks were
	// queued in bulk. 400 saved 10-20 % of that CPU for about 40 MB more memory
	// (bench/RESULTS.md, queuing tasks). GOGC in the environment still decides when set.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}

	if *pprofAddr != "" {
		go func() {
			if err := http.ListenAndServe(*pprofAddr, nil); err != nil {
				fmt.Fprintf(os.Stderr, "ferretdb-local: pprof: %v\n", err)
			}
		}()
	}

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb-local: bad -log-level %q\n", *logLevel)
		os.Exit(2)
	}
	if err := os.MkdirAll(*dir, 0o700); err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb-local: %v\n", err)
		os.Exit(1)
	}

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: *listen},
		Handler:   "sqlite",
		SQLiteURL: "file:" + *dir + "/" + *params,
		Logger:    slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level})),
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb-local: %v\n", err)
		os.Exit(1)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	fmt.Fprintf(os.Stderr, "ferretdb-local: listening on %s, data in %s\n", *listen, *dir)
	// Run returns once the listener has stopped, every connection has ended and the backend
	// has closed, which keeps the sort proofs in the files (patches.ts, KEEP_PROOFS): a
	// signal must end this process through here, not by exiting.
	f.Run(ctx)
}
