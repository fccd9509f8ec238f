package task

import (
	"errors"
	"slices"
	"testing"

	"github.com/workspace-go/workspace/internal/backends"
	"github.com/workspace-go/workspace/store"
)

func TestSubtasksRollUpAndGuardTheirParent(t *testing.T) {
	eachBackend(t, func(t *testing.T, open func(t *testing.T) store.Store) {
		e := newSvcEnv(t, open)
		parent := e.create("boss", Spec{Title: "launch", Assignees: []string{"bob"}, Checklist: []string{"book hall", "print flyers"}})
		a := e.create("boss", Spec{Title: "write copy", Assignees: []string{"amy"}, Due: DueOn(2025, 3, 20, shanghai), Parent: parent.ID})
		b := e.create("bob", Spec{Title: "shoot photos", Assignees: []string{"carl"}, Parent: parent.ID})
		if a.Parent != parent.ID || len(a.Assignees) != 1 || a.Assignees[0].User != "amy" {
			t.Fatalf("subtask = %+v", a)
		}
		got, err := e.svc.Get(e.ctx, "boss", parent.ID)
		if err != nil || got.Subtasks != (Subtasks{Total: 2}) {
			t.Fatalf("parent counts = %+v, %v", got.Subtasks, err)
		}
		// Each subtask is a task with its own people: boss sees the one he
		// made, bob the one he made.
		if p, err := e.svc.Subtasks(e.ctx, "boss", parent.ID, ""); err != nil || !slices.Equal(taskIDs(p.Items), []string{a.ID}) {
			t.Errorf("Subtasks for boss = %v, %v", taskIDs(p.Items), err)
		}
		if p, err := e.svc.Subtasks(e.ctx, "bob", parent.ID, ""); err != nil || !slices.Equal(taskIDs(p.Items), []string{b.ID}) {
			t.Errorf("Subtasks for bob = %v, %v", taskIDs(p.Items), err)
		}
		if p, err := e.svc.Subtasks(e.ctx, "amy", parent.ID, ""); !errors.Is(err, ErrNotFound) {
			t.Errorf("Subtasks for amy, who is not on the parent = %v, %v; want ErrNotFound", taskIDs(p.Items), err)
		}

		if _, err := e.svc.Complete(e.ctx, "amy", a.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.CheckItem(e.ctx, "bob", parent.ID, "1", true); err != nil {
			t.Fatal(err)
		}
		got, _ = e.svc.Get(e.ctx, "boss", parent.ID)
		if done, total := got.Rollup(); got.Subtasks != (Subtasks{Total: 2, Done: 1}) || done != 2 || total != 4 {
			t.Errorf("after one subtask and one item: counts %+v, rollup %d/%d; want 2/4", got.Subtasks, done, total)
		}

		t.Run("completing the parent with an open subtask is refused", func(t *testing.T) {
			logged := len(e.changes())
			if _, err := e.svc.Complete(e.ctx, "bob", parent.ID); !errors.Is(err, ErrOpenSubtasks) || !errors.Is(err, store.ErrConflict) {
				t.Errorf("Complete = %v, want ErrOpenSubtasks", err)
			}
			if _, err := e.svc.SetStatus(e.ctx, "boss", parent.ID, StatusDone); !errors.Is(err, ErrOpenSubtasks) {
				t.Errorf("SetStatus(done) = %v, want ErrOpenSubtasks", err)
			}
			if n := len(e.changes()); n != logged {
				t.Errorf("refusals wrote %d change records", n-logged)
			}
			if got, _ := e.svc.Get(e.ctx, "boss", parent.ID); got.Status.Open() != true || got.Assignees[0].Done {
				t.Errorf("a refusal changed the parent: %+v", got)
			}
		})
		t.Run("cancelling the open subtask lets the parent close", func(t *testing.T) {
			if _, err := e.svc.SetStatus(e.ctx, "bob", b.ID, StatusCancelled); err != nil {
				t.Fatal(err)
			}
			got, _ := e.svc.Get(e.ctx, "boss", parent.ID)
			if got.Subtasks != (Subtasks{Total: 2, Done: 1, Cancelled: 1}) {
				t.Errorf("counts = %+v", got.Subtasks)
			}
			if got, err := e.svc.Complete(e.ctx, "bob", parent.ID); err != nil || got.Status != StatusDone {
				t.Errorf("Complete = %v, %v", got.Status, err)
			}
		})
		t.Run("a closed parent takes no new subtask", func(t *testing.T) {
			if _, err := e.svc.Create(e.ctx, "boss", Spec{Title: "late", Parent: parent.ID}); !errors.Is(err, ErrDone) {
				t.Errorf("err = %v, want ErrDone", err)
			}
		})
		t.Run("a parent with subtasks cannot be deleted; a deleted subtask leaves the counts", func(t *testing.T) {
			if err := e.svc.Delete(e.ctx, "boss", parent.ID); !errors.Is(err, ErrOpenSubtasks) {
				t.Errorf("Delete parent = %v, want ErrOpenSubtasks", err)
			}
			if err := e.svc.Delete(e.ctx, "boss", a.ID); err != nil {
				t.Fatal(err)
			}
			if got, _ := e.svc.Get(e.ctx, "boss", parent.ID); got.Subtasks != (Subtasks{Total: 1, Cancelled: 1}) {
				t.Errorf("counts after delete = %+v", got.Subtasks)
			}
		})
		e.checkIndex()
	})
}

func TestForceClosesAParentWithOpenSubtasks(t *testing.T) {
	e := newSvcEnv(t, func(t *testing.T) store.Store { return backends.Mem(t) })
	parent := e.create("boss", Spec{Title: "p", Assignees: []string{"bob"}})
	sub := e.create("boss", Spec{Title: "s", Assignees: []string{"amy"}, Parent: parent.ID})
	if _, err := e.svc.ForceStatus(e.ctx, "bob", parent.ID, StatusDone); !errors.Is(err, ErrPermission) {
		t.Errorf("ForceStatus by an assignee = %v, want ErrPermission", err)
	}
	if got, err := e.svc.ForceComplete(e.ctx, "bob", parent.ID); err != nil || got.Status != StatusDone {
		t.Errorf("ForceComplete = %v, %v", got.Status, err)
	}
	if got, _ := e.svc.Get(e.ctx, "amy", sub.ID); got.Status != StatusTodo {
		t.Errorf("forcing the parent changed the subtask: %v", got.Status)
	}
	p2 := e.create("boss", Spec{Title: "p2"})
	e.create("boss", Spec{Title: "s2", Parent: p2.ID})
	if got, err := e.svc.ForceStatus(e.ctx, "boss", p2.ID, StatusDone); err != nil || got.Status != StatusDone {
		t.Errorf("ForceStatus = %v, %v", got.Status, err)
	}
	e.checkIndex()
}

func TestBadParentsAreRefused(t *testing.T) {
	eachBackend(t, func(t *testing.T, open func(t *testing.T) store.Store) {
		e := newSvcEnv(t, open)
		root := e.create("boss", Spec{Title: "root"})
		chain := []Task{root}
		for i := 1; i < MaxDepth; i++ {
			chain = append(chain, e.create("boss", Spec{Title: "level", Parent: chain[i-1].ID}))
		}
		other := e.create("eve", Spec{Title: "eve's"})
		move := func(id, parent string) error {
			_, err := e.svc.Update(e.ctx, "boss", id, Edit{Parent: &parent})
			return err
		}
		tests := []struct {
			name string
			err  func() error
			want error
		}{
			{"a task under itself", func() error { return move(root.ID, root.ID) }, ErrCycle},
			{"a task under its own subtask", func() error { return move(root.ID, chain[2].ID) }, ErrCycle},
			{"a parent the actor cannot see", func() error {
				_, err := e.svc.Create(e.ctx, "boss", Spec{Title: "x", Parent: other.ID})
				return err
			}, ErrNotFound},
			{"a parent that does not exist", func() error {
				_, err := e.svc.Create(e.ctx, "boss", Spec{Title: "x", Parent: "nope"})
				return err
			}, ErrNotFound},
			{"a parent the actor sees but is not on as creator or assignee", func() error {
				if _, err := e.svc.Follow(e.ctx, "eve", other.ID, "boss"); err != nil {
					return err
				}
				_, err := e.svc.Create(e.ctx, "boss", Spec{Title: "x", Parent: other.ID})
				return err
			}, ErrPermission},
			{"a tree deeper than MaxDepth", func() error {
				_, err := e.svc.Create(e.ctx, "boss", Spec{Title: "x", Parent: chain[MaxDepth-1].ID})
				return err
			}, ErrTooLarge},
			{"a recurring subtask", func() error {
				_, err := e.svc.Create(e.ctx, "boss", Spec{Title: "x", Parent: root.ID, Due: DueOn(2025, 3, 17, shanghai), Repeat: "FREQ=WEEKLY"})
				return err
			}, ErrInvalid},
		}
		for _, tt := range tests {
			t.Run(tt.name+" is refused", func(t *testing.T) {
				logged := len(e.changes())
				if err := tt.err(); !errors.Is(err, tt.want) {
					t.Errorf("err = %v, want %v", err, tt.want)
				}
				if n := len(e.changes()); n > logged+1 { // the follow of one case is allowed
					t.Errorf("a refusal wrote %d change records", n-logged)
				}
			})
		}
		t.Run("moving a subtask moves its count", func(t *testing.T) {
			if err := move(chain[MaxDepth-1].ID, root.ID); err != nil {
				t.Fatal(err)
			}
			r, _ := e.svc.Get(e.ctx, "boss", root.ID)
			old, _ := e.svc.Get(e.ctx, "boss", chain[MaxDepth-2].ID)
			if r.Subtasks.Total != 2 || old.Subtasks.Total != 0 {
				t.Errorf("counts after the move: root %+v, old parent %+v", r.Subtasks, old.Subtasks)
			}
			if err := move(chain[MaxDepth-1].ID, ""); err != nil {
				t.Fatal(err)
			}
			if r, _ := e.svc.Get(e.ctx, "boss", root.ID); r.Subtasks.Total != 1 {
				t.Errorf("counts after moving out: %+v", r.Subtasks)
			}
		})
		e.checkIndex()
	})
}

func TestAParentInAnotherTenantIsNotFound(t *testing.T) {
	ctx := t.Context()
	st := backends.Mem(t)
	a, _ := store.Namespace(st, "acme")
	b, _ := store.Namespace(st, "bolt")
	sa, err := New(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	sb, err := New(ctx, b)
	if err != nil {
		t.Fatal(err)
	}
	p, err := sa.Create(ctx, "boss", Spec{Title: "acme's"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sb.Create(ctx, "boss", Spec{Title: "bolt's", Parent: p.ID}); !errors.Is(err, ErrNotFound) {
		t.Errorf("a parent in another tenant: %v, want ErrNotFound", err)
	}
}

func TestChecklist(t *testing.T) {
	e := newSvcEnv(t, func(t *testing.T) store.Store { return backends.Mem(t) })
	tk := e.create("boss", Spec{Title: "t", Assignees: []string{"bob"}, Followers: []string{"fay"}, Checklist: []string{"one"}})
	tk, err := e.svc.AddCheckItem(e.ctx, "bob", tk.ID, "  two  ")
	if err != nil || len(tk.Checklist) != 2 || tk.Checklist[1] != (CheckItem{ID: "2", Text: "two"}) {
		t.Fatalf("AddCheckItem = %+v, %v", tk.Checklist, err)
	}
	if _, err := e.svc.AddCheckItem(e.ctx, "fay", tk.ID, "three"); !errors.Is(err, ErrPermission) {
		t.Errorf("a follower adds an item: %v, want ErrPermission", err)
	}
	if tk, err = e.svc.CheckItem(e.ctx, "bob", tk.ID, "2", true); err != nil || !tk.Checklist[1].Done || tk.Checklist[1].DoneBy != "bob" {
		t.Errorf("CheckItem = %+v, %v", tk.Checklist, err)
	}
	if _, err := e.svc.CheckItem(e.ctx, "bob", tk.ID, "9", true); !errors.Is(err, ErrNotFound) {
		t.Errorf("an unknown item: %v, want ErrNotFound", err)
	}
	if tk, err = e.svc.RemoveCheckItem(e.ctx, "boss", tk.ID, "1"); err != nil || len(tk.Checklist) != 1 || tk.Checklist[0].ID != "2" {
		t.Errorf("RemoveCheckItem = %+v, %v", tk.Checklist, err)
	}
	if tk, err = e.svc.AddCheckItem(e.ctx, "boss", tk.ID, "again"); err != nil || tk.Checklist[1].ID != "3" {
		t.Errorf("a new item reuses an id: %+v, %v", tk.Checklist, err)
	}
	many := make([]string, MaxChecklist+1)
	for i := range many {
		many[i] = "x"
	}
	if _, err := e.svc.Create(e.ctx, "boss", Spec{Title: "t", Checklist: many}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("too many items: %v, want ErrTooLarge", err)
	}
	if _, err := e.svc.Create(e.ctx, "boss", Spec{Title: "t", Checklist: []string{" "}}); !errors.Is(err, ErrInvalid) {
		t.Errorf("an empty item: %v, want ErrInvalid", err)
	}
}
