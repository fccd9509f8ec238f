package chat_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/workspace-go/workspace/chat"
	"github.com/workspace-go/workspace/internal/backends"
	"github.com/workspace-go/workspace/store"
)

// bigGroup makes a group of ann and n members u00000, u00001, ...
func bigGroup(tb testing.TB, svc *chat.Service, n int) (chat.Conversation, []string) {
	tb.Helper()
	ctx := context.Background()
	users := make([]string, n)
	for i := range users {
		users[i] = fmt.Sprintf("u%05d", i)
	}
	c, err := svc.CreateGroup(ctx, "ann", chat.GroupOptions{Name: "all", Members: users[:min(n, chat.MaxMembers)]})
	if err != nil {
		tb.Fatal(err)
	}
	for _, u := range users[min(n, chat.MaxMembers):] {
		if err := svc.AddMember(ctx, "ann", c.ID, u); err != nil {
			tb.Fatal(err)
		}
	}
	return c, users
}

// BenchmarkReact measures a reaction and its removal on a message that
// already has prior reactors of the same emoji: the cost does not grow
// with them.
func BenchmarkReact(b *testing.B) {
	for _, prior := range []int{0, 5000} {
		b.Run(fmt.Sprintf("prior=%d", prior), func(b *testing.B) {
			st := backends.Mem(b)
			svc, _ := chat.New(context.Background(), st)
			ctx := context.Background()
			c, users := bigGroup(b, svc, prior)
			m, err := svc.Post(ctx, "ann", c.ID, chat.Draft{Text: "vote"})
			if err != nil {
				b.Fatal(err)
			}
			for _, u := range users {
				if err := svc.React(ctx, u, m.ID, "👍"); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportAllocs()
			for b.Loop() {
				if err := svc.React(ctx, "ann", m.ID, "👍"); err != nil {
					b.Fatal(err)
				}
				if err := svc.Unreact(ctx, "ann", m.ID, "👍"); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(2*b.N), "µs/react")
		})
	}
}

// BenchmarkReplyAfterMassMentions measures a reply in a thread whose
// earlier replies mentioned all of 5,000 members, 50 a reply: mentions
// stop adding followers at MaxMentionFollowers, so the reply moves at
// most that many inbox entries.
func BenchmarkReplyAfterMassMentions(b *testing.B) {
	st := backends.Mem(b)
	svc, _ := chat.New(context.Background(), st)
	ctx := context.Background()
	c, users := bigGroup(b, svc, 5000)
	root, err := svc.Post(ctx, "ann", c.ID, chat.Draft{Text: "plan"})
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < len(users); i += chat.MaxMentions {
		if _, err := svc.Post(ctx, "ann", c.ID, chat.Draft{Text: mentionText(users[i : i+chat.MaxMentions]), ReplyTo: root.ID}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := svc.Post(ctx, "u00001", c.ID, chat.Draft{Text: "ok", ReplyTo: root.ID}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/1000, "ms/reply")
}

// holdStore records the longest Update: how long a call held the
// backend's commit path (for boltstore, its one writer).
type holdStore struct {
	store.Store
	mu  sync.Mutex
	max time.Duration
}

func (h *holdStore) Update(ctx context.Context, fn func(store.Tx) error) error {
	start := time.Now()
	err := h.Store.Update(ctx, fn)
	d := time.Since(start)
	h.mu.Lock()
	defer h.mu.Unlock()
	h.max = max(h.max, d)
	return err
}

func (h *holdStore) reset() time.Duration {
	h.mu.Lock()
	defer h.mu.Unlock()
	d := h.max
	h.max = 0
	return d
}

// BenchmarkCommitHold measures, for each input the package bounds, the
// longest store.Update of a call at the limit, in milliseconds: a post of
// MaxTextLength characters with MaxMentions mentions and @all, a reply
// in a thread of MaxMentionFollowers followers, the MaxReactions-th
// emoji, a group created with MaxMembers members, and a purge batch.
func BenchmarkCommitHold(b *testing.B) {
	for _, bk := range backends.All() {
		b.Run(bk.Name, func(b *testing.B) {
			h := &holdStore{Store: bk.Open(b)}
			now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
			var mu sync.Mutex
			clock := func() time.Time { // a second a call, so replies move inbox entries
				mu.Lock()
				defer mu.Unlock()
				now = now.Add(time.Second)
				return now
			}
			svc, _ := chat.New(context.Background(), h, chat.WithClock(clock),
				chat.WithCompliance(func(a string) bool { return a == "legal" }))
			ctx := context.Background()
			c, users := bigGroup(b, svc, max(chat.MaxMembers, chat.MaxMentionFollowers+chat.MaxMentions))
			text := mentionText(users[:chat.MaxMentions]) + " @all "
			text += strings.Repeat("字", chat.MaxTextLength-len([]rune(text)))
			root, _ := svc.Post(ctx, "ann", c.ID, chat.Draft{Text: "plan"})
			for i := 0; i < chat.MaxMentionFollowers; i += chat.MaxMentions {
				if _, err := svc.Post(ctx, "ann", c.ID, chat.Draft{Text: mentionText(users[i : i+chat.MaxMentions]), ReplyTo: root.ID}); err != nil {
					b.Fatal(err)
				}
			}
			m, _ := svc.Post(ctx, "ann", c.ID, chat.Draft{Text: "vote"})
			for i := range chat.MaxReactions - 1 {
				if err := svc.React(ctx, "ann", m.ID, fmt.Sprintf(":e%d:", i)); err != nil {
					b.Fatal(err)
				}
			}
			cases := []struct {
				name string
				do   func() error
			}{
				{"post-max-text", func() error {
					_, err := svc.Post(ctx, "ann", c.ID, chat.Draft{Text: text})
					return err
				}},
				{"reply-max-followers", func() error {
					_, err := svc.Post(ctx, "ann", c.ID, chat.Draft{Text: mentionText(users[chat.MaxMentionFollowers:]), ReplyTo: root.ID})
					return err
				}},
				{"react-max-emoji", func() error {
					if err := svc.React(ctx, "ann", m.ID, ":last:"); err != nil {
						return err
					}
					return svc.Unreact(ctx, "ann", m.ID, ":last:")
				}},
				{"create-max-members", func() error {
					_, err := svc.CreateGroup(ctx, "ann", chat.GroupOptions{Name: "big", Members: users[:chat.MaxMembers]})
					return err
				}},
			}
			for _, tc := range cases {
				b.Run(tc.name, func(b *testing.B) {
					h.reset()
					for b.Loop() {
						if err := tc.do(); err != nil {
							b.Fatal(err)
						}
					}
					b.ReportMetric(float64(h.reset().Microseconds())/1000, "max-hold-ms")
				})
			}
			b.Run("purge-batch", func(b *testing.B) {
				p, _ := svc.CreateGroup(ctx, "ann", chat.GroupOptions{Name: "old"})
				if err := svc.SetRetention(ctx, "legal", p.ID, 1); err != nil {
					b.Fatal(err)
				}
				var worst time.Duration
				for b.Loop() {
					b.StopTimer()
					for range 200 {
						if _, err := svc.Post(ctx, "ann", p.ID, chat.Draft{Text: "old news @u00001"}); err != nil {
							b.Fatal(err)
						}
					}
					mu.Lock()
					now = now.Add(48 * time.Hour)
					mu.Unlock()
					h.reset()
					b.StartTimer()
					if _, err := svc.Purge(ctx, "legal", chat.PurgeOptions{}); err != nil {
						b.Fatal(err)
					}
					worst = max(worst, h.reset())
				}
				b.ReportMetric(float64(worst.Microseconds())/1000, "max-hold-ms")
			})
		})
	}
}
