// Added to FerretDB by the ACS build (see tools/local-stores/ferretdb/patches.ts); the leading
// underscore of _overlay keeps the Go tool from compiling it as part of the wrapper module.

package pool

import (
	"context"
	"log/slog"
)

// fsql logs every statement at debug level as l.With(args...).DebugContext(...). slog's text
// handler formats the attributes of With at once, whether or not debug is enabled, and the
// arguments of an insert are its documents' JSON: formatting them cost about 6 % of FerretDB's
// CPU while a job's tasks were inserted. acsLazyAttrs keeps With's attributes aside until a
// record is actually handled.

// acsLazyAttrs returns l with a handler that applies With's attributes only when it logs.
func acsLazyAttrs(l *slog.Logger) *slog.Logger {
	return slog.New(&acsLazyHandler{next: l.Handler()})
}

type acsLazyHandler struct {
	next  slog.Handler
	attrs []slog.Attr
}

func (h *acsLazyHandler) resolved() slog.Handler {
	if len(h.attrs) == 0 {
		return h.next
	}

	return h.next.WithAttrs(h.attrs)
}

// Enabled implements slog.Handler.
func (h *acsLazyHandler) Enabled(ctx context.Context, level slog.Level) bool {
	return h.next.Enabled(ctx, level)
}

// Handle implements slog.Handler.
func (h *acsLazyHandler) Handle(ctx context.Context, r slog.Record) error {
	return h.resolved().Handle(ctx, r)
}

// WithAttrs implements slog.Handler.
func (h *acsLazyHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	all := make([]slog.Attr, 0, len(h.attrs)+len(attrs))

	return &acsLazyHandler{next: h.next, attrs: append(append(all, h.attrs...), attrs...)}
}

// WithGroup implements slog.Handler.
func (h *acsLazyHandler) WithGroup(name string) slog.Handler {
	return &acsLazyHandler{next: h.resolved().WithGroup(name)}
}
