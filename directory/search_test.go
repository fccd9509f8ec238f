package directory_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/workspace-go/workspace/directory"
	"github.com/workspace-go/workspace/internal/backends"
	"github.com/workspace-go/workspace/store"
)

func search(t *testing.T, s *directory.Service, text string) []string {
	t.Helper()
	p, err := s.Search(context.Background(), admin, directory.SearchQuery{Text: text})
	if err != nil {
		t.Fatalf("search %q: %v", text, err)
	}
	return ids_(func() []directory.User {
		var us []directory.User
		for _, m := range p.Items {
			us = append(us, m.User)
		}
		return us
	}())
}

func TestSearch(t *testing.T) {
	backends.Run(t, func(t *testing.T, open func(testing.TB) store.Store) {
		ctx := context.Background()
		st := open(t)
		s := newService(t, st)
		mustUser(t, s, directory.User{ID: "zw", Name: "张伟", Email: "wei.zhang@example.com", Phone: "+86 138 0013 8000"})
		mustUser(t, s, directory.User{ID: "zwh", Name: "张伟华"})
		mustUser(t, s, directory.User{ID: "zwl", Name: "赵文乐"})
		mustUser(t, s, directory.User{ID: "shan", Name: "单雄信"})
		mustUser(t, s, directory.User{ID: "zeng", Name: "曾国藩"})
		mustUser(t, s, directory.User{ID: "xie", Name: "解缙"})
		mustUser(t, s, directory.User{ID: "zgft", Name: "Zgf Tool"})
		mustUser(t, s, directory.User{ID: "bob", Name: "Bob Smith", Email: "bob@example.com", Kind: directory.Bot})
		cases := []struct {
			name, q string
			want    []string
		}{
			{"full pinyin finds 张伟 before 张伟华", "zhangwei", []string{"zw", "zwh"}},
			{"spaced pinyin is the same query", "Zhang Wei", []string{"zw", "zwh"}},
			{"the surname finds both, shorter name first", "张", []string{"zw", "zwh"}},
			{"the exact name comes first", "张伟", []string{"zw", "zwh"}},
			{"initials match, exact initials first", "zw", []string{"zw", "zwh", "zwl"}},
			{"initials rank below name prefixes", "zgf", []string{"zgft", "zeng"}},
			{"a name or pinyin prefix ranks above a later part", "x", []string{"xie", "shan"}},
			{"a given name matches after the surname", "伟", []string{"zw", "zwh"}},
			{"单 as a surname reads shan", "shanxiongxin", []string{"shan"}},
			{"单 as a surname is not dan", "danxiong", nil},
			{"曾 as a surname reads zeng", "zengguo", []string{"zeng"}},
			{"解 as a surname reads xie", "xiejin", []string{"xie"}},
			{"an email prefix", "wei.zhang@", []string{"zw"}},
			{"an email local part", "bob@ex", []string{"bob"}},
			{"a phone prefix with punctuation", "138-0013", []string{"zw"}},
			{"a phone prefix with the country code", "+86 1380", []string{"zw"}},
			{"an @-mention being typed", "@zhangw", []string{"zw", "zwh"}},
			{"a later word of an English name", "smi", []string{"bob"}},
			{"full-width letters fold", "ｚｈａｎｇｗｅｉ", []string{"zw", "zwh"}},
			{"nothing typed finds no one", "  @ ", nil},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				if got := search(t, s, c.q); !slices.Equal(got, c.want) {
					t.Errorf("search %q = %v, want %v", c.q, got, c.want)
				}
			})
		}
		t.Run("active users come before those who left", func(t *testing.T) {
			if _, err := s.SetStatus(ctx, admin, "zw", directory.Left); err != nil {
				t.Fatal(err)
			}
			if got := search(t, s, "张伟"); !slices.Equal(got, []string{"zwh", "zw"}) {
				t.Errorf("got %v", got)
			}
			p, _ := s.Search(ctx, admin, directory.SearchQuery{Text: "张伟", Statuses: []directory.Status{directory.Active}})
			if len(p.Items) != 1 || p.Items[0].User.ID != "zwh" {
				t.Errorf("active only: %v", p.Items)
			}
		})
		t.Run("a write by another Service is seen by the next search", func(t *testing.T) {
			other := newService(t, st)
			mustUser(t, other, directory.User{ID: "new", Name: "张伟明"})
			u, _ := other.User(ctx, admin, "zwh")
			u.Name = "李华"
			if _, err := other.UpdateUser(ctx, admin, u); err != nil {
				t.Fatal(err)
			}
			if got := search(t, s, "zhangwei"); !slices.Equal(got, []string{"new", "zw"}) {
				t.Errorf("got %v, want [new zw]", got)
			}
			if got := search(t, s, "lihua"); !slices.Equal(got, []string{"zwh"}) {
				t.Errorf("renamed: got %v", got)
			}
		})
		t.Run("kind filters bots", func(t *testing.T) {
			p, _ := s.Search(ctx, admin, directory.SearchQuery{Text: "b", Kind: directory.Person})
			if len(p.Items) != 0 {
				t.Errorf("people matching b: %v", p.Items)
			}
		})
		t.Run("bad queries are refused", func(t *testing.T) {
			for _, q := range []directory.SearchQuery{
				{Text: strings.Repeat("a", directory.MaxQueryLen+1)},
				{Text: "\xff"},
				{Text: "a", Limit: directory.MaxSearchResults + 1},
				{Text: "a", Cursor: "nope"},
				{Text: "a", Statuses: []directory.Status{"gone"}},
			} {
				if _, err := s.Search(ctx, admin, q); !errors.Is(err, store.ErrInvalid) {
					t.Errorf("%+v: err = %v, want ErrInvalid", q, err)
				}
			}
			if _, err := s.Search(ctx, "stranger", directory.SearchQuery{Text: "a"}); !errors.Is(err, store.ErrPermission) {
				t.Errorf("stranger: err = %v", err)
			}
		})
	})
}

func TestSearchPages(t *testing.T) {
	s := newService(t, backends.Mem(t))
	for i := range 25 {
		mustUser(t, s, directory.User{ID: fmt.Sprintf("u%02d", i), Name: fmt.Sprintf("王%c", rune('一'+i))})
	}
	var got []string
	q := directory.SearchQuery{Text: "wang", Limit: 10}
	for {
		p, err := s.Search(context.Background(), admin, q)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range p.Items {
			got = append(got, m.User.ID)
		}
		if p.Next == "" {
			break
		}
		q.Cursor = p.Next
	}
	slices.Sort(got)
	if len(slices.Compact(got)) != 25 {
		t.Errorf("pages held %d distinct users, want 25: %v", len(got), got)
	}
}
