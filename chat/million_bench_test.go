package chat_test

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/workspace-go/workspace/chat"
	"github.com/workspace-go/workspace/store/boltstore"
)

// The million-message benchmarks need a store with 1,000,000 messages in
// one conversation, built through the public API by 64 concurrent
// posters (boltstore with NoSync, for the build only). Building takes
// minutes, so these benchmarks run only when named explicitly
// (-bench=Million) and never with -short, and the built file is kept in
// the temporary directory (or at $CHAT_BENCH_DB) for later runs.

const millionMessages = 1_000_000

// millionData describes the built store; it is saved beside it.
type millionData struct {
	Conv      string `json:"conv"`
	BigRoot   string `json:"bigRoot"`   // a thread of 5,000 replies
	Reader    string `json:"reader"`    // a member who has read nothing
	InboxUser string `json:"inboxUser"` // follows 2,001 threads
}

var million struct {
	once sync.Once
	path string
	data millionData
	err  error
}

func millionStore(b *testing.B) (string, millionData) {
	b.Helper()
	if testing.Short() {
		b.Skip("skipping the million-message benchmarks in short mode")
	}
	if f := flag.Lookup("test.bench"); f == nil || !strings.Contains(f.Value.String(), "Million") {
		b.Skip("the million-message benchmarks run only with -bench=Million")
	}
	million.once.Do(func() {
		million.path = os.Getenv("CHAT_BENCH_DB")
		if million.path == "" {
			million.path = filepath.Join(os.TempDir(), "workspace-chat-bench-1m-v1.db")
		}
		million.data, million.err = buildMillion(million.path)
	})
	if million.err != nil {
		b.Fatal(million.err)
	}
	return million.path, million.data
}

func buildMillion(path string) (millionData, error) {
	var d millionData
	if b, err := os.ReadFile(path + ".json"); err == nil {
		if err := json.Unmarshal(b, &d); err == nil {
			return d, nil
		}
	}
	os.Remove(path)
	st, err := boltstore.Open(path, &boltstore.Options{NoSync: true})
	if err != nil {
		return d, err
	}
	defer st.Close()
	svc, err := chat.New(context.Background(), st)
	if err != nil {
		return d, err
	}
	ctx := context.Background()
	us := users(posters)
	d.Reader, d.InboxUser = "reader", us[0]
	c, err := svc.CreateGroup(ctx, us[0], chat.GroupOptions{Name: "million", Members: append(us[1:], d.Reader)})
	if err != nil {
		return d, err
	}
	d.Conv = c.ID
	start := time.Now()

	// 1,000,000 top-level messages from 64 posters; one in 10,000
	// mentions the reader.
	var n atomic.Int64
	err = parallel(posters, func(i int) error {
		for {
			k := n.Add(1)
			if k > millionMessages {
				return nil
			}
			text := fmt.Sprintf("message %d from %s about the quarterly plan and the release", k, us[i])
			if k%10000 == 0 {
				text += " @reader"
			}
			if _, err := svc.Post(ctx, us[i], c.ID, chat.Draft{Text: text}); err != nil {
				return err
			}
		}
	})
	if err != nil {
		return d, err
	}
	// 2,000 threads started by the inbox user, each answered once.
	var roots []string
	for i := range 2000 {
		m, err := svc.Post(ctx, d.InboxUser, c.ID, chat.Draft{Text: fmt.Sprint("question ", i)})
		if err != nil {
			return d, err
		}
		roots = append(roots, m.ID)
	}
	err = parallel(posters-1, func(i int) error {
		for j := i; j < len(roots); j += posters - 1 {
			if _, err := svc.Post(ctx, us[1+i], c.ID, chat.Draft{Text: "answer", ReplyTo: roots[j]}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return d, err
	}
	// One long thread: 5,000 replies from 8 people.
	big, err := svc.Post(ctx, d.InboxUser, c.ID, chat.Draft{Text: "the long thread"})
	if err != nil {
		return d, err
	}
	d.BigRoot = big.ID
	n.Store(0)
	err = parallel(8, func(i int) error {
		for n.Add(1) <= 5000 {
			if _, err := svc.Post(ctx, us[1+i], c.ID, chat.Draft{Text: "a reply in the long thread", ReplyTo: big.ID}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return d, err
	}
	fmt.Fprintf(os.Stderr, "built %d messages in %v\n", millionMessages, time.Since(start).Round(time.Second))
	if err := st.Close(); err != nil {
		return d, err
	}
	b, _ := json.Marshal(d)
	return d, os.WriteFile(path+".json", b, 0o600)
}

func parallel(n int, fn func(i int) error) error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { errs[i] = fn(i) })
	}
	wg.Wait()
	return errors.Join(errs...)
}

// BenchmarkMillion measures reads against one conversation of 1,000,000
// messages on boltstore, reporting p50 latencies.
func BenchmarkMillion(b *testing.B) {
	path, d := millionStore(b)
	st, err := boltstore.Open(path, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	svc, err := chat.New(context.Background(), st)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	cases := []struct {
		name string
		fn   func() (int, error)
	}{
		{"HistoryNewest50", func() (int, error) {
			p, err := svc.History(ctx, d.Reader, d.Conv, chat.Query{Limit: 50})
			return len(p.Items), err
		}},
		{"ThreadPage50", func() (int, error) {
			p, err := svc.Replies(ctx, d.Reader, d.BigRoot, chat.Query{Limit: 50})
			return len(p.Items), err
		}},
		{"Unread", func() (int, error) {
			u, err := svc.Unread(ctx, d.Reader, d.Conv)
			if err == nil && u.Mentions != millionMessages/10000 {
				err = fmt.Errorf("got %d unread mentions", u.Mentions)
			}
			return u.Messages, err
		}},
		{"InboxPage50", func() (int, error) {
			p, err := svc.Inbox(ctx, d.InboxUser, chat.ListOptions{Limit: 50})
			return len(p.Items), err
		}},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			var lat []time.Duration
			for b.Loop() {
				t := time.Now()
				n, err := tc.fn()
				lat = append(lat, time.Since(t))
				if err != nil || n == 0 {
					b.Fatalf("got %d items, %v", n, err)
				}
			}
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)/2].Nanoseconds())/1e3, "p50-µs")
			b.ReportMetric(float64(lat[len(lat)*99/100].Nanoseconds())/1e3, "p99-µs")
		})
	}
}
