package file

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/workspace-go/workspace/internal/backends"
	"github.com/workspace-go/workspace/store"
)

// countingReader counts the bytes read from it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// each runs f on every backend × bucket.
func each(t *testing.T, f func(t *testing.T, st store.Store, b Bucket)) {
	backends.Run(t, func(t *testing.T, open func(tb testing.TB) store.Store) {
		for _, bk := range buckets {
			t.Run(bk.name, func(t *testing.T) { f(t, open(t), bk.open(t)) })
		}
	})
}

func TestUploadAndDownload(t *testing.T) {
	each(t, func(t *testing.T, st store.Store, b Bucket) {
		ctx := context.Background()
		s, _ := newTestService(t, st, b)
		content := strings.Repeat("hello, 世界\n", 10000)
		f, err := s.Upload(ctx, "alice", Upload{Container: "conv:c1", Name: "notes.txt"}, strings.NewReader(content))
		if err != nil {
			t.Fatal(err)
		}
		if f.Size != int64(len(content)) || f.Kind != KindText || f.Version != 1 || f.Text != StatePending || len(f.SHA256) != 64 {
			t.Errorf("uploaded file = %+v", f)
		}
		t.Run("the whole file reads back", func(t *testing.T) {
			r, err := s.Open(ctx, "bob", f.ID, Range{})
			if err != nil {
				t.Fatal(err)
			}
			if got := readAll(t, r); got != content {
				t.Errorf("read %d bytes, want %d", len(got), len(content))
			}
		})
		t.Run("a byte range reads back", func(t *testing.T) {
			r, err := s.Open(ctx, "bob", f.ID, Range{Offset: 7, Length: 6})
			if err != nil {
				t.Fatal(err)
			}
			if got, want := readAll(t, r), content[7:13]; got != want {
				t.Errorf("range = %q, want %q", got, want)
			}
			if r.Offset != 7 || r.Length != 6 {
				t.Errorf("range served = %d+%d", r.Offset, r.Length)
			}
		})
		t.Run("a range past the end is refused", func(t *testing.T) {
			_, err := s.Open(ctx, "bob", f.ID, Range{Offset: f.Size})
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("err = %v, want ErrInvalid", err)
			}
		})
		t.Run("only the live blob remains in the bucket", func(t *testing.T) {
			objs := objects(t, b)
			if len(objs) != 1 || !strings.HasPrefix(objs[0], "blobs/"+f.SHA256+"/") {
				t.Errorf("bucket = %q", objs)
			}
		})
		t.Run("the listing pages through the container", func(t *testing.T) {
			for i := range 4 {
				if _, err := s.Upload(ctx, "alice", Upload{Container: "conv:c1", Name: fmt.Sprintf("n%d.txt", i)}, strings.NewReader(fmt.Sprint(i))); err != nil {
					t.Fatal(err)
				}
			}
			var names []string
			cursor := ""
			for pages := 0; ; pages++ {
				p, err := s.List(ctx, "alice", "conv:c1", cursor, 2)
				if err != nil {
					t.Fatal(err)
				}
				for _, f := range p.Items {
					names = append(names, f.Name)
				}
				if p.Next == "" {
					break
				}
				cursor = p.Next
			}
			if want := []string{"notes.txt", "n0.txt", "n1.txt", "n2.txt", "n3.txt"}; !slices.Equal(names, want) {
				t.Errorf("names = %q, want %q", names, want)
			}
			if _, err := s.List(ctx, "alice", "conv:c1", "!!", 2); !errors.Is(err, ErrInvalid) {
				t.Errorf("forged cursor: err = %v", err)
			}
		})
	})
}

func TestDeduplication(t *testing.T) {
	each(t, func(t *testing.T, st store.Store, b Bucket) {
		ctx := context.Background()
		s, _ := newTestService(t, st, b)
		a, err := s.Upload(ctx, "alice", Upload{Container: "conv:c1", Name: "a.txt"}, strings.NewReader("same bytes"))
		if err != nil {
			t.Fatal(err)
		}
		c, err := s.Upload(ctx, "bob", Upload{Container: "folder:f1", Name: "copy.txt"}, strings.NewReader("same bytes"))
		if err != nil {
			t.Fatal(err)
		}
		if a.SHA256 != c.SHA256 || a.ID == c.ID {
			t.Fatalf("files %+v and %+v", a, c)
		}
		if objs := objects(t, b); len(objs) != 1 {
			t.Errorf("identical content stored %d times: %q", len(objs), objs)
		}
		if err := s.Delete(ctx, "alice", a.ID); err != nil {
			t.Fatal(err)
		}
		if objs := objects(t, b); len(objs) != 1 {
			t.Errorf("after deleting one of two references, bucket = %q", objs)
		}
		r, err := s.Open(ctx, "bob", c.ID, Range{})
		if err != nil {
			t.Fatal(err)
		}
		if got := readAll(t, r); got != "same bytes" {
			t.Errorf("the survivor reads %q", got)
		}
		if err := s.Delete(ctx, "bob", c.ID); err != nil {
			t.Fatal(err)
		}
		if objs := objects(t, b); len(objs) != 0 {
			t.Errorf("after deleting both references, bucket = %q", objs)
		}
		if _, err := s.Get(ctx, "bob", c.ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("deleted file: err = %v", err)
		}
	})
}

func TestBadUploads(t *testing.T) {
	ctx := context.Background()
	st := backends.Mem(t)
	b := memBucket(t)
	s, _ := newTestService(t, st, b, WithMaxSize(1000))
	cases := []struct {
		name    string
		up      Upload
		content string
		want    error
	}{
		{"an empty file is refused", Upload{Container: "c", Name: "e.txt"}, "", ErrInvalid},
		{"a file over the limit is refused", Upload{Container: "c", Name: "big.bin"}, strings.Repeat("x", 1001), ErrTooLarge},
		{"a name with a slash is refused", Upload{Container: "c", Name: "a/b.txt"}, "x", ErrInvalid},
		{"a name with a backslash is refused", Upload{Container: "c", Name: `a\b.txt`}, "x", ErrInvalid},
		{"a name with NUL is refused", Upload{Container: "c", Name: "a\x00.txt"}, "x", ErrInvalid},
		{"a name with a newline is refused", Upload{Container: "c", Name: "a\n.txt"}, "x", ErrInvalid},
		{"a name of 300 characters is refused", Upload{Container: "c", Name: strings.Repeat("n", 300)}, "x", ErrTooLarge},
		{"an empty name is refused", Upload{Container: "c", Name: ""}, "x", ErrInvalid},
		{"a dot-dot name is refused", Upload{Container: "c", Name: ".."}, "x", ErrInvalid},
		{"a name that is not UTF-8 is refused", Upload{Container: "c", Name: "\xff.txt"}, "x", ErrInvalid},
		{"an empty container is refused", Upload{Container: "", Name: "a.txt"}, "x", ErrInvalid},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := s.Upload(ctx, "alice", c.up, strings.NewReader(c.content))
			if !errors.Is(err, c.want) {
				t.Errorf("err = %v, want %v", err, c.want)
			}
		})
	}
	t.Run("nothing was stored", func(t *testing.T) {
		if objs := objects(t, b); len(objs) != 0 {
			t.Errorf("bucket = %q", objs)
		}
		p, err := s.List(ctx, "alice", "c", "", 0)
		if err != nil || len(p.Items) != 0 {
			t.Errorf("list = %+v, %v", p, err)
		}
	})
	t.Run("an upload over the limit stops reading at limit+1", func(t *testing.T) {
		r := &countingReader{r: strings.NewReader(strings.Repeat("y", 1<<20))}
		if _, err := s.Upload(ctx, "alice", Upload{Container: "c", Name: "huge"}, r); !errors.Is(err, ErrTooLarge) {
			t.Fatalf("err = %v", err)
		}
		if r.n > 1001+copyBufSize {
			t.Errorf("read %d bytes of an upload limited to 1000", r.n)
		}
		if objs := objects(t, b); len(objs) != 0 {
			t.Errorf("bucket = %q", objs)
		}
	})
	t.Run("a file at the limit is accepted", func(t *testing.T) {
		if _, err := s.Upload(ctx, "alice", Upload{Container: "c", Name: "ok.bin"}, strings.NewReader(strings.Repeat("z", 1000))); err != nil {
			t.Errorf("err = %v", err)
		}
	})
}

func TestSniffing(t *testing.T) {
	cases := []struct {
		name    string
		content []byte
		kind    Kind
	}{
		{"report.pdf", pdfOf("hi"), KindPDF},
		{"forged.pdf", []byte("just text, not a pdf"), KindText},
		{"photo.png", pngOf(4, 4), KindImage},
		{"photo.txt", pngOf(4, 4), KindImage},
		{"doc.docx", docx("hello"), KindDocument},
		{"sheet.xlsx", xlsx("a"), KindSpreadsheet},
		{"deck.pptx", pptx("s"), KindPresentation},
		{"not-office.docx", zipOf("a.txt", "x"), KindArchive},
		{"fake.docx", []byte("plain text pretending"), KindText},
		{"readme.md", []byte("# Title\n\ntext"), KindMarkdown},
		{"data.csv", []byte("a,b\n1,2\n"), KindCSV},
		{"page.html", []byte("<!DOCTYPE html><p>x</p>"), KindHTML},
		{"blob.bin", []byte{0, 1, 2, 3, 0xff}, KindOther},
	}
	for _, c := range cases {
		t.Run(c.name+" is "+string(c.kind), func(t *testing.T) {
			if _, got := sniff(c.content[:min(len(c.content), sniffLen)], c.name); got != c.kind {
				t.Errorf("kind = %s, want %s", got, c.kind)
			}
		})
	}
}

func TestVersions(t *testing.T) {
	each(t, func(t *testing.T, st store.Store, b Bucket) {
		ctx := context.Background()
		s, _ := newTestService(t, st, b)
		f, err := s.Upload(ctx, "alice", Upload{Container: "folder:f1", Name: "plan.txt"}, strings.NewReader("v1"))
		if err != nil {
			t.Fatal(err)
		}
		if f, err = s.UploadVersion(ctx, "bob", f.ID, "", strings.NewReader("version two")); err != nil {
			t.Fatal(err)
		}
		if f.Version != 2 || f.Size != 11 || f.UpdatedBy != "bob" || f.Name != "plan.txt" {
			t.Errorf("after a new version: %+v", f)
		}
		p, err := s.Versions(ctx, "alice", f.ID, "", 1)
		if err != nil || len(p.Items) != 1 || p.Items[0].Number != 2 || p.Next == "" {
			t.Fatalf("first page = %+v, %v", p, err)
		}
		p, err = s.Versions(ctx, "alice", f.ID, p.Next, 1)
		if err != nil || len(p.Items) != 1 || p.Items[0].Number != 1 || p.Next != "" {
			t.Fatalf("second page = %+v, %v", p, err)
		}
		r, err := s.Open(ctx, "alice", f.ID, Range{Version: 1})
		if err != nil {
			t.Fatal(err)
		}
		if got := readAll(t, r); got != "v1" {
			t.Errorf("version 1 reads %q", got)
		}
		if f, err = s.Restore(ctx, "alice", f.ID, 1); err != nil {
			t.Fatal(err)
		}
		if f.Version != 3 || f.Size != 2 {
			t.Errorf("after restore: %+v", f)
		}
		r, err = s.Open(ctx, "alice", f.ID, Range{})
		if err != nil {
			t.Fatal(err)
		}
		if got := readAll(t, r); got != "v1" {
			t.Errorf("the restored current version reads %q", got)
		}
		if objs := objects(t, b); len(objs) != 2 {
			t.Errorf("restore copied bytes: bucket = %q", objs)
		}
		if _, err := s.Restore(ctx, "alice", f.ID, 9); !errors.Is(err, ErrNotFound) {
			t.Errorf("restore of a missing version: %v", err)
		}
		if err := s.Delete(ctx, "alice", f.ID); err != nil {
			t.Fatal(err)
		}
		if objs := objects(t, b); len(objs) != 0 {
			t.Errorf("after delete, bucket = %q", objs)
		}
	})
}

// denyAccess lets "alice" write, "bob" read, and hides everything from others.
type denyAccess struct{}

func (denyAccess) CanRead(_ context.Context, actor, _ string) error {
	if actor == "alice" || actor == "bob" {
		return nil
	}
	return store.ErrNotFound
}

func (denyAccess) CanWrite(ctx context.Context, actor, c string) error {
	if err := (denyAccess{}).CanRead(ctx, actor, c); err != nil {
		return err
	}
	if actor != "alice" {
		return store.ErrPermission
	}
	return nil
}

func TestAccess(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestService(t, backends.Mem(t), memBucket(t), WithAccess(denyAccess{}))
	f, err := s.Upload(ctx, "alice", Upload{Container: "conv:c1", Name: "a.txt"}, strings.NewReader("secret"))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		err  error
		want error
	}{
		{"an outsider cannot upload", func() error {
			_, err := s.Upload(ctx, "eve", Upload{Container: "conv:c1", Name: "x"}, strings.NewReader("x"))
			return err
		}(), store.ErrNotFound},
		{"a reader cannot upload", func() error {
			_, err := s.Upload(ctx, "bob", Upload{Container: "conv:c1", Name: "x"}, strings.NewReader("x"))
			return err
		}(), store.ErrPermission},
		{"an outsider does not find the file", func() error { _, err := s.Open(ctx, "eve", f.ID, Range{}); return err }(), ErrNotFound},
		{"an outsider cannot list", func() error { _, err := s.List(ctx, "eve", "conv:c1", "", 0); return err }(), store.ErrNotFound},
		{"a reader cannot delete", s.Delete(ctx, "bob", f.ID), store.ErrPermission},
		{"an outsider cannot delete", s.Delete(ctx, "eve", f.ID), ErrNotFound},
		{"a reader can read", func() error {
			r, err := s.Open(ctx, "bob", f.ID, Range{})
			if err == nil {
				r.Close()
			}
			return err
		}(), nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if !errors.Is(c.err, c.want) || (c.want == nil) != (c.err == nil) {
				t.Errorf("err = %v, want %v", c.err, c.want)
			}
		})
	}
}

func TestClientKey(t *testing.T) {
	ctx := context.Background()
	b := memBucket(t)
	s, _ := newTestService(t, backends.Mem(t), b)
	up := Upload{Container: "c", Name: "a.txt", ClientKey: "k1"}
	f1, err := s.Upload(ctx, "alice", up, strings.NewReader("one"))
	if err != nil {
		t.Fatal(err)
	}
	f2, err := s.Upload(ctx, "alice", up, strings.NewReader("two"))
	if err != nil {
		t.Fatal(err)
	}
	if f1 != f2 {
		t.Errorf("retry returned %+v, want %+v", f2, f1)
	}
	if objs := objects(t, b); len(objs) != 1 {
		t.Errorf("bucket = %q", objs)
	}
}

func TestContentMissing(t *testing.T) {
	ctx := context.Background()
	b := memBucket(t)
	s, _ := newTestService(t, backends.Mem(t), b)
	f, err := s.Upload(ctx, "alice", Upload{Container: "c", Name: "a.txt"}, strings.NewReader("gone soon"))
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range objects(t, b) {
		if err := b.Delete(ctx, k); err != nil {
			t.Fatal(err)
		}
	}
	_, err = s.Open(ctx, "alice", f.ID, Range{})
	if !errors.Is(err, ErrContentMissing) || !errors.Is(err, store.ErrNotFound) {
		t.Errorf("err = %v, want ErrContentMissing", err)
	}
}

func TestMoveAndExport(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestService(t, backends.Mem(t), memBucket(t))
	for i := range 3 {
		if _, err := s.Upload(ctx, "alice", Upload{Container: "folder:old", Name: fmt.Sprintf("f%d.txt", i)}, strings.NewReader(fmt.Sprint("content ", i))); err != nil {
			t.Fatal(err)
		}
	}
	sys := s.System()
	n, err := sys.MoveContainer(ctx, "admin", "folder:old", "folder:new", 2)
	if err != nil || n != 2 {
		t.Fatalf("moved %d, %v", n, err)
	}
	if n, err = sys.MoveContainer(ctx, "admin", "folder:old", "folder:new", 2); err != nil || n != 1 {
		t.Fatalf("moved %d, %v", n, err)
	}
	var got []string
	for f, err := range sys.Files(ctx, "folder:new") {
		if err != nil {
			t.Fatal(err)
		}
		r, err := sys.Open(ctx, f.ID, Range{})
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, f.Name+"="+readAll(t, r))
	}
	if want := []string{"f0.txt=content 0", "f1.txt=content 1", "f2.txt=content 2"}; !slices.Equal(got, want) {
		t.Errorf("export = %q, want %q", got, want)
	}
	p, _ := s.List(ctx, "alice", "folder:old", "", 0)
	if len(p.Items) != 0 {
		t.Errorf("old folder still lists %d files", len(p.Items))
	}
}

func TestPurgeRewritesTheLog(t *testing.T) {
	backends.Run(t, func(t *testing.T, open func(tb testing.TB) store.Store) {
		ctx := context.Background()
		st := open(t)
		s, _ := newTestService(t, st, memBucket(t))
		f, err := s.Upload(ctx, "alice", Upload{Container: "c", Name: "salaries-2026.csv"}, strings.NewReader("a,b\n1,2\n"))
		if err != nil {
			t.Fatal(err)
		}
		if err := s.SyncText(ctx); err != nil {
			t.Fatal(err)
		}
		if err := s.System().Purge(ctx, "compliance", f.ID); err != nil {
			t.Fatal(err)
		}
		recs, _, err := st.Changes(ctx, 0, 1000)
		if err != nil {
			t.Fatal(err)
		}
		var types []ChangeType
		for _, c := range recs {
			if bytes.Contains(c.Data, []byte("salaries")) {
				t.Errorf("record %d still names the file: %s", c.Seq, c.Data)
			}
			ch, ok, err := DecodeChange(c)
			if err != nil || !ok {
				t.Fatalf("decode %d: %v %v", c.Seq, ok, err)
			}
			types = append(types, ch.Type)
		}
		if want := []ChangeType{purgedRecord, purgedRecord, FilePurged}; !slices.Equal(types, want) {
			t.Errorf("log = %q, want %q", types, want)
		}
	})
}

func TestNewRejectsBadOptions(t *testing.T) {
	ctx := context.Background()
	st, b := backends.Mem(t), memBucket(t)
	for _, c := range []struct {
		name string
		opt  Option
	}{
		{"a nil clock", WithClock(nil)},
		{"nil ids", WithIDs(nil)},
		{"nil access", WithAccess(nil)},
		{"a zero size limit", WithMaxSize(0)},
		{"a negative grace", WithGrace(-1)},
		{"a tiny thumbnail", WithThumbnailSize(1)},
		{"zero text", WithMaxText(0)},
		{"zero pixels", WithMaxPixels(0)},
	} {
		t.Run(c.name+" is refused", func(t *testing.T) {
			if _, err := New(ctx, st, b, c.opt); !errors.Is(err, store.ErrInvalid) {
				t.Errorf("err = %v", err)
			}
		})
	}
	if _, err := New(ctx, st, b, nil); err != nil {
		t.Errorf("a nil option: %v", err)
	}
	if _, err := New(ctx, st, nil); !errors.Is(err, ErrInvalid) {
		t.Errorf("a nil bucket: %v", err)
	}
}
