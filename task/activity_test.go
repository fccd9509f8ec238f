package task

import (
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/workspace-go/workspace/store"
)

func TestActivityRecordsEveryChangeInOrder(t *testing.T) {
	eachBackend(t, func(t *testing.T, open func(t *testing.T) store.Store) {
		e := newSvcEnv(t, open)
		tk := e.create("boss", Spec{Title: "deck", Assignees: []string{"a"}})
		tick := func() { e.clk.Advance(time.Minute) }
		do := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		tick()
		_, err := e.svc.Assign(e.ctx, "boss", tk.ID, "b", "a")
		do(err)
		tick()
		title, prio := "the deck", PriorityUrgent
		due := DueOn(2025, 3, 14, shanghai)
		_, err = e.svc.Update(e.ctx, "boss", tk.ID, Edit{Title: &title, Priority: &prio, Due: &due})
		do(err)
		tick()
		lastSeq, _ := e.st.Last(e.ctx)
		_, err = e.svc.Update(e.ctx, "boss", tk.ID, Edit{Title: &title}) // no change: nothing written
		do(err)
		_, err = e.svc.Assign(e.ctx, "boss", tk.ID, "a")
		do(err)
		if got, _ := e.st.Last(e.ctx); got != lastSeq {
			t.Errorf("edits that change nothing moved the log from %d to %d", lastSeq, got)
		}
		_, err = e.svc.Comment(e.ctx, "a", tk.ID, " on it ")
		do(err)
		tick()
		_, err = e.svc.Follow(e.ctx, "a", tk.ID, "f")
		do(err)
		_, err = e.svc.Nudge(e.ctx, "f", tk.ID)
		do(err)
		tick()
		_, err = e.svc.Complete(e.ctx, "a", tk.ID)
		do(err)
		_, err = e.svc.Unassign(e.ctx, "b", tk.ID, "b")
		do(err)
		_, err = e.svc.Unfollow(e.ctx, "f", tk.ID)
		do(err)

		want := []string{
			"created boss", "assigned boss [b]", "edited boss title", "edited boss priority",
			"due_changed boss none->2025-03-14 Asia/Shanghai", "commented a on it", "followed a [f]",
			"nudged f [a b]", "completed a", "status_changed a todo->in_progress",
			"unassigned b [b]", "status_changed b in_progress->done", "unfollowed f [f]",
		}
		var got []string
		var seqs []uint64
		var ats []time.Time
		for after := ""; ; {
			p, err := e.svc.Activity(e.ctx, "boss", tk.ID, after, 4)
			do(err)
			for _, a := range p.Items {
				s := string(a.Type) + " " + a.Actor
				switch {
				case a.Field != "":
					s += " " + a.Field
				case a.Type == ActDueChanged || a.Type == ActStatus:
					s += " " + a.From + "->" + a.To
				case a.Text != "":
					s += " " + a.Text
				case len(a.Users) > 0 && a.Type != ActCreated:
					s += " [" + joinUsers(a.Users) + "]"
				}
				got = append(got, s)
				seqs = append(seqs, a.Seq)
				ats = append(ats, a.At)
			}
			if p.Next == "" {
				break
			}
			after = p.Next
		}
		if !slices.Equal(got, want) {
			t.Errorf("activity:\n got %q\nwant %q", got, want)
		}
		for i, s := range seqs {
			if s != uint64(i+1) {
				t.Errorf("entry %d has Seq %d", i, s)
			}
		}
		if !slices.IsSortedFunc(ats, func(a, b time.Time) int { return a.Compare(b) }) || !ats[0].Equal(svcStart) {
			t.Errorf("activity times %v are not in order from the start", ats)
		}
		if _, err := e.svc.Activity(e.ctx, "stranger", tk.ID, "", 0); !errors.Is(err, ErrNotFound) {
			t.Errorf("Activity for a stranger: err = %v, want ErrNotFound", err)
		}
		e.checkIndex()
	})
}

func joinUsers(u []string) string {
	s := ""
	for i, x := range u {
		if i > 0 {
			s += " "
		}
		s += x
	}
	return s
}

func TestPermissions(t *testing.T) {
	// Roles on the task: boss created it, a is assigned, f follows, x is a
	// stranger.
	type call func(e *svcEnv, actor, id string) error
	edit := func(e *svcEnv, actor, id string) error {
		s := "new title"
		_, err := e.svc.Update(e.ctx, actor, id, Edit{Title: &s})
		return err
	}
	assign := func(e *svcEnv, actor, id string) error { _, err := e.svc.Assign(e.ctx, actor, id, "z"); return err }
	complete := func(e *svcEnv, actor, id string) error { _, err := e.svc.Complete(e.ctx, actor, id); return err }
	start := func(e *svcEnv, actor, id string) error {
		_, err := e.svc.SetStatus(e.ctx, actor, id, StatusInProgress)
		return err
	}
	cancel := func(e *svcEnv, actor, id string) error {
		_, err := e.svc.SetStatus(e.ctx, actor, id, StatusCancelled)
		return err
	}
	comment := func(e *svcEnv, actor, id string) error { _, err := e.svc.Comment(e.ctx, actor, id, "hi"); return err }
	nudge := func(e *svcEnv, actor, id string) error { _, err := e.svc.Nudge(e.ctx, actor, id); return err }
	view := func(e *svcEnv, actor, id string) error { _, err := e.svc.Get(e.ctx, actor, id); return err }
	followOther := func(e *svcEnv, actor, id string) error { _, err := e.svc.Follow(e.ctx, actor, id, "y"); return err }
	del := func(e *svcEnv, actor, id string) error { return e.svc.Delete(e.ctx, actor, id) }
	tests := []struct {
		name    string
		do      call
		allowed []string
	}{
		{"everyone on the task may view it", view, []string{"boss", "a", "f"}},
		{"only the creator may edit", edit, []string{"boss"}},
		{"only the creator may assign", assign, []string{"boss"}},
		{"only assignees complete their part", complete, []string{"a"}},
		{"the creator and assignees may start work", start, []string{"boss", "a"}},
		{"only the creator may cancel", cancel, []string{"boss"}},
		{"everyone on the task may comment", comment, []string{"boss", "a", "f"}},
		{"the creator and followers may nudge", nudge, []string{"boss", "f"}},
		{"the creator and assignees may add followers", followOther, []string{"boss", "a"}},
		{"only the creator may delete", del, []string{"boss"}},
	}
	eachBackend(t, func(t *testing.T, open func(t *testing.T) store.Store) {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				for _, actor := range []string{"boss", "a", "f", "x"} {
					e := newSvcEnv(t, open)
					tk := e.create("boss", Spec{Title: "t", Assignees: []string{"a"}, Followers: []string{"f"}})
					err := tt.do(e, actor, tk.ID)
					if slices.Contains(tt.allowed, actor) {
						if err != nil {
							t.Errorf("%s: %v, want allowed", actor, err)
						}
					} else if actor == "x" {
						// What the actor may not see is not found.
						if !errors.Is(err, ErrNotFound) || !errors.Is(err, store.ErrNotFound) {
							t.Errorf("%s: err = %v, want ErrNotFound", actor, err)
						}
					} else if !errors.Is(err, ErrPermission) || !errors.Is(err, store.ErrPermission) {
						t.Errorf("%s: err = %v, want ErrPermission", actor, err)
					}
				}
			})
		}
	})
}

func TestDeleteRemovesEverything(t *testing.T) {
	eachBackend(t, func(t *testing.T, open func(t *testing.T) store.Store) {
		e := newSvcEnv(t, open)
		keep := e.create("boss", Spec{Title: "keep", Assignees: []string{"a"}, Due: DueOn(2025, 3, 20, shanghai)})
		tk := e.create("boss", Spec{Title: "gone", Assignees: []string{"a", "b"}, Followers: []string{"f"}, Due: DueOn(2025, 3, 20, shanghai)})
		if _, err := e.svc.Comment(e.ctx, "a", tk.ID, "note"); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.Delete(e.ctx, "boss", tk.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.Get(e.ctx, "boss", tk.ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("Get after Delete: err = %v, want ErrNotFound", err)
		}
		if err := e.svc.Delete(e.ctx, "boss", tk.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("second Delete: err = %v, want ErrNotFound", err)
		}
		if got := e.listAll("a", Query{Role: RoleAssignee}, 10); !slices.Equal(got, []string{"keep"}) {
			t.Errorf("a's tasks after Delete = %v", got)
		}
		ch := e.changes()
		if last := ch[len(ch)-1]; last.Type != TaskDeleted || last.TaskID != tk.ID || last.Task != nil {
			t.Errorf("last change = %+v, want task.deleted", last)
		}
		e.checkIndex()
		var n int
		err := e.st.View(e.ctx, func(tx store.Tx) error {
			for range tx.Scan(store.Prefix(activityPrefix(tk.ID))) {
				n++
			}
			return nil
		})
		if err != nil || n != 0 {
			t.Errorf("%d activity keys left after Delete (%v)", n, err)
		}
		_ = keep
	})
}

func TestDecodeChangeIgnoresOtherKinds(t *testing.T) {
	_, ok, err := DecodeChange(store.Change{Seq: 1, Kind: "chat", Data: []byte("{}")})
	if ok || err != nil {
		t.Errorf("DecodeChange of a chat record = %v, %v; want not ok, no error", ok, err)
	}
	_, ok, err = DecodeChange(store.Change{Seq: 2, Kind: Kind, Data: []byte("{")})
	if !ok || err == nil {
		t.Errorf("DecodeChange of a broken task record = %v, %v; want ok and an error", ok, err)
	}
}

func TestUncompleteDoesNotReopenWhatTheCreatorClosed(t *testing.T) {
	eachBackend(t, func(t *testing.T, open func(t *testing.T) store.Store) {
		e := newSvcEnv(t, open)
		tk := e.create("boss", Spec{Title: "t", Assignees: []string{"a", "b"}})
		if _, err := e.svc.Complete(e.ctx, "a", tk.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.SetStatus(e.ctx, "boss", tk.ID, StatusDone); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.Uncomplete(e.ctx, "a", tk.ID); !errors.Is(err, ErrDone) {
			t.Errorf("Uncomplete on a task the creator closed: err = %v, want ErrDone", err)
		}
		got, err := e.svc.Get(e.ctx, "a", tk.ID)
		if err != nil || got.Status != StatusDone {
			t.Errorf("status = %s, %v; want still done", got.Status, err)
		}
	})
}

func TestConcurrentCompletionsAllCount(t *testing.T) {
	eachBackend(t, func(t *testing.T, open func(t *testing.T) store.Store) {
		e := newSvcEnv(t, open)
		users := []string{"u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8"}
		tk := e.create("boss", Spec{Title: "all hands", Assignees: users})
		var wg sync.WaitGroup
		for _, u := range users {
			wg.Go(func() {
				if _, err := e.svc.Complete(e.ctx, u, tk.ID); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		got, err := e.svc.Get(e.ctx, "boss", tk.ID)
		if done, total := got.Progress(); err != nil || done != total || got.Status != StatusDone {
			t.Errorf("after concurrent completions: %d/%d %s, %v", done, total, got.Status, err)
		}
		e.checkIndex()
	})
}
