package file

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/workspace-go/workspace/internal/backends"
	"github.com/workspace-go/workspace/store"
)

func TestTextFollower(t *testing.T) {
	backends.Run(t, func(t *testing.T, open func(tb testing.TB) store.Store) {
		ctx := context.Background()
		st := open(t)
		s, _ := newTestService(t, st, memBucket(t))
		cases := []struct {
			name    string
			content []byte
			want    []string
			state   State
		}{
			{"notes.txt", []byte("季度报告 quarterly report"), []string{"季度报告 quarterly report"}, StateReady},
			{"readme.md", []byte("# 标题\n\nMarkdown body"), []string{"标题", "Markdown body"}, StateReady},
			{"page.html", []byte("<html><head><style>p{}</style><script>var x</script></head><body><p>Hello &amp; 你好</p></body></html>"), []string{"Hello & 你好"}, StateReady},
			{"data.csv", []byte("name,city\n张三,北京\n"), []string{"name city", "张三 北京"}, StateReady},
			{"doc.docx", docx("第一段 first", "second paragraph"), []string{"第一段 first\nsecond paragraph"}, StateReady},
			{"sheet.xlsx", xlsx("预算 budget", "total"), []string{"预算 budget", "total", "inline"}, StateReady},
			{"deck.pptx", pptx("slide one", "slide two", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "slide ten"), []string{"slide one\nslide two", "s9\nslide ten"}, StateReady},
			{"report.pdf", pdfOf("Annual report", "Page two"), []string{"Annual report", "Page two"}, StateReady},
			{"broken.pdf", []byte("%PDF-1.4\n1 0 obj garbage"), nil, StateFailed},
			{"broken.docx", corruptZip(docx("x")), nil, StateFailed},
			{"photo.png", pngOf(3, 3), nil, StateNone},
		}
		ids := map[string]string{}
		for _, c := range cases {
			f, err := s.Upload(ctx, "alice", Upload{Container: "c", Name: c.name}, bytes.NewReader(c.content))
			if err != nil {
				t.Fatalf("upload %s: %v", c.name, err)
			}
			ids[c.name] = f.ID
		}
		if err := s.SyncText(ctx); err != nil {
			t.Fatal(err)
		}
		for _, c := range cases {
			t.Run(c.name+" text is "+string(c.state), func(t *testing.T) {
				text, state, err := s.System().Text(ctx, ids[c.name])
				if err != nil {
					t.Fatal(err)
				}
				if state != c.state {
					t.Errorf("state = %s, want %s", state, c.state)
				}
				for _, w := range c.want {
					if !strings.Contains(text, w) {
						t.Errorf("text %q lacks %q", text, w)
					}
				}
			})
		}
		t.Run("every processed file was announced once", func(t *testing.T) {
			recs, _, err := st.Changes(ctx, 0, 1000)
			if err != nil {
				t.Fatal(err)
			}
			ready := 0
			for _, c := range recs {
				if ch, _, _ := DecodeChange(c); ch.Type == TextReady {
					ready++
				}
			}
			if ready != len(cases)-1 {
				t.Errorf("%d text_ready records, want %d", ready, len(cases)-1)
			}
		})
		t.Run("a second sync resumes from the durable position", func(t *testing.T) {
			before, _ := st.Last(ctx)
			s2, _ := newTestService(t, st, memBucket(t))
			if err := s2.SyncText(ctx); err != nil {
				t.Fatal(err)
			}
			after, _ := st.Last(ctx)
			if after != before {
				t.Errorf("a restarted follower redid work: log went from %d to %d", before, after)
			}
		})
	})
}

func TestThumbnailFollower(t *testing.T) {
	ctx := context.Background()
	b := memBucket(t)
	s, _ := newTestService(t, backends.Mem(t), b, WithThumbnailSize(32))
	img, err := s.Upload(ctx, "alice", Upload{Container: "c", Name: "photo.png"}, bytes.NewReader(pngOf(200, 100)))
	if err != nil {
		t.Fatal(err)
	}
	huge, err := s.Upload(ctx, "alice", Upload{Container: "c", Name: "bomb.png"}, bytes.NewReader(hugePNG(100000, 100000)))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SyncThumbnails(ctx); err != nil {
		t.Fatal(err)
	}
	t.Run("an image gets its dimensions and a thumbnail", func(t *testing.T) {
		f, err := s.Get(ctx, "alice", img.ID)
		if err != nil {
			t.Fatal(err)
		}
		if f.Width != 200 || f.Height != 100 || f.Thumbnail != StateReady {
			t.Fatalf("file = %+v", f)
		}
		r, err := s.OpenThumbnail(ctx, "alice", img.ID)
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := png.DecodeConfig(strings.NewReader(readAll(t, r)))
		if err != nil || cfg.Width != 32 || cfg.Height != 16 {
			t.Errorf("thumbnail %dx%d, %v", cfg.Width, cfg.Height, err)
		}
	})
	t.Run("an image with huge declared dimensions is refused undecoded", func(t *testing.T) {
		f, err := s.Get(ctx, "alice", huge.ID)
		if err != nil {
			t.Fatal(err)
		}
		if f.Thumbnail != StateFailed {
			t.Errorf("state = %s", f.Thumbnail)
		}
		if _, err := s.OpenThumbnail(ctx, "alice", huge.ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("err = %v", err)
		}
		_, _, _, err = Thumbnail(hugePNG(100000, 100000), 32, DefaultMaxPixels)
		if !errors.Is(err, ErrCorrupt) {
			t.Errorf("Thumbnail: err = %v", err)
		}
	})
	t.Run("deleting the file deletes its thumbnail", func(t *testing.T) {
		if err := s.Delete(ctx, "alice", img.ID); err != nil {
			t.Fatal(err)
		}
		for _, k := range objects(t, b) {
			if strings.HasPrefix(k, "thumbs/"+img.ID) {
				t.Errorf("left %q", k)
			}
		}
	})
}

// flakyStore fails Changes with a transient error the first n times.
type flakyStore struct {
	store.Store
	fails int
}

func (f *flakyStore) Changes(ctx context.Context, after uint64, limit int) ([]store.Change, uint64, error) {
	if f.fails > 0 {
		f.fails--
		return nil, 0, fmt.Errorf("lost connection: %w", store.ErrUnavailable)
	}
	return f.Store.Changes(ctx, after, limit)
}

func TestFollowerRetriesTransientErrors(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st := &flakyStore{Store: backends.Mem(t), fails: 3}
	retries := 0
	bo := &store.Backoff{
		Sleep:   func(context.Context, time.Duration) error { return nil },
		OnRetry: func(error, int, time.Duration) { retries++ },
	}
	s, _ := newTestService(t, st, memBucket(t), WithBackoff(bo))
	f, err := s.Upload(ctx, "alice", Upload{Container: "c", Name: "a.txt"}, strings.NewReader("retry me"))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- s.RunText(ctx) }()
	for {
		if _, err := st.Wait(ctx, 1); err != nil {
			t.Fatal(err)
		}
		if _, state, _ := s.System().Text(ctx, f.ID); state == StateReady {
			break
		}
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("RunText = %v", err)
	}
	if retries != 3 {
		t.Errorf("%d retries, want 3", retries)
	}
	text, _, _ := s.System().Text(context.Background(), f.ID)
	if text != "retry me" {
		t.Errorf("text = %q", text)
	}
}

func TestSweep(t *testing.T) {
	ctx := context.Background()
	b := memBucket(t)
	s, clock := newTestService(t, backends.Mem(t), b, WithGrace(time.Hour))
	// An abandoned upload (its uploader died before the commit).
	w, _ := b.NewWriter(ctx, "tmp/abandoned", "text/plain")
	w.Write([]byte("x"))
	w.Close()
	// A live blob nothing references (a delete died after its commit).
	w, _ = b.NewWriter(ctx, "blobs/"+strings.Repeat("0", 64)+"/u1", "text/plain")
	w.Write([]byte("y"))
	w.Close()
	kept, err := s.Upload(ctx, "alice", Upload{Container: "c", Name: "a.txt"}, strings.NewReader("kept"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.Sweep(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if res != (SweepResult{}) || len(objects(t, b)) != 3 {
		t.Errorf("a sweep within the grace period did %+v; bucket %q", res, objects(t, b))
	}
	// memblob stamps real time; move the fake clock past the grace.
	clock.Add(time.Since(clock.Now()) + 2*time.Hour)
	res, err = s.Sweep(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := (SweepResult{Temporary: 1, Blobs: 1}); res != want {
		t.Errorf("sweep = %+v, want %+v", res, want)
	}
	r, err := s.Open(ctx, "alice", kept.ID, Range{})
	if err != nil {
		t.Fatal(err)
	}
	if got := readAll(t, r); got != "kept" {
		t.Errorf("a referenced blob reads %q after the sweep", got)
	}
}

// corruptZip keeps a zip's first entry header and breaks the rest.
func corruptZip(b []byte) []byte {
	out := append([]byte(nil), b[:100]...)
	return append(out, bytes.Repeat([]byte{0xde, 0xad}, 50)...)
}
