package workspace

import (
	"context"
	"errors"
	"time"

	"github.com/workspace-go/workspace/directory"
	"github.com/workspace-go/workspace/store"
)

// resolveMention returns how task extraction maps a mentioned name to a
// user id: Options.ResolveMention when set, else the directory. A name
// resolves to an active user whose id it is, or to the one active user
// whose display name, pinyin (spaces ignored: "zhangwei") or email it is
// exactly; a name several people share, or initials ("zw"), resolve to
// no one, and the draft reports it unresolved.
func (w *Workspace) resolveMention(ctx context.Context) func(string) (string, bool) {
	if w.opts.ResolveMention != nil {
		return w.opts.ResolveMention
	}
	sys := w.Directory.System()
	return func(name string) (string, bool) {
		if u, err := sys.User(ctx, name); err == nil && u.Status == directory.Active {
			return u.ID, true
		}
		page, err := sys.Search(ctx, directory.SearchQuery{Text: name, Statuses: []directory.Status{directory.Active}, Limit: 10})
		if err != nil {
			return "", false
		}
		hit := ""
		for _, m := range page.Items {
			if !m.Exact || m.Field == directory.MatchInitials || m.Field == directory.MatchPhone || m.User.ID == hit {
				continue
			}
			if hit != "" {
				return "", false // ambiguous
			}
			hit = m.User.ID
		}
		return hit, hit != ""
	}
}

// authorLocation returns the time zone an author's words mean: their own
// (directory.User.TimeZone), else the tenant's (Options.Location).
func (w *Workspace) authorLocation(ctx context.Context, author string) *time.Location {
	u, err := w.Directory.System().User(ctx, author)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return w.opts.Location
	}
	if loc := u.Location(); loc != nil {
		return loc
	}
	return w.opts.Location
}
