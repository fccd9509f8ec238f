package file

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"io"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/workspace-go/workspace/internal/ids"
	"github.com/workspace-go/workspace/store"
	"gocloud.dev/blob/fileblob"
	"gocloud.dev/blob/memblob"
)

// fakeClock is a settable clock.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *fakeClock { return &fakeClock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)} }
func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}
func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func memBucket(tb testing.TB) Bucket {
	b := memblob.OpenBucket(nil)
	tb.Cleanup(func() { b.Close() })
	return FromBlob(b)
}

func fileBucket(tb testing.TB, dir string) Bucket {
	b, err := fileblob.OpenBucket(dir, &fileblob.Options{CreateDir: true, NoTempDir: true})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { b.Close() })
	return FromBlob(b)
}

// buckets is the table of bucket kinds the tests run on.
var buckets = []struct {
	name string
	open func(tb testing.TB) Bucket
}{
	{"memblob", memBucket},
	{"fileblob", func(tb testing.TB) Bucket { return fileBucket(tb, filepath.Join(tb.TempDir(), "bucket")) }},
	{"dir", func(tb testing.TB) Bucket { return dirBucket(tb, filepath.Join(tb.TempDir(), "bucket")) }},
}

func dirBucket(tb testing.TB, dir string) Bucket {
	b, err := OpenDir(dir)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { b.Close() })
	return b
}

// newTestService returns a Service with a fake clock and sequential ids.
func newTestService(tb testing.TB, st store.Store, b Bucket, opts ...Option) (*Service, *fakeClock) {
	tb.Helper()
	c := newClock()
	opts = append([]Option{WithClock(c.Now), WithIDs(ids.Sequential("f_"))}, opts...)
	s, err := New(context.Background(), st, b, opts...)
	if err != nil {
		tb.Fatal(err)
	}
	return s, c
}

// objects lists the bucket's keys.
func objects(tb testing.TB, b Bucket) []string {
	tb.Helper()
	var keys []string
	for o, err := range b.List(context.Background(), "") {
		if err != nil {
			tb.Fatal(err)
		}
		keys = append(keys, o.Key)
	}
	return keys
}

func readAll(tb testing.TB, r io.ReadCloser) string {
	tb.Helper()
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

// zipOf builds a zip with the given entries, in order.
func zipOf(entries ...string) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := 0; i+1 < len(entries); i += 2 {
		w, _ := zw.Create(entries[i])
		io.WriteString(w, entries[i+1])
	}
	zw.Close()
	return buf.Bytes()
}

const contentTypes = `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`

func docx(paragraphs ...string) []byte {
	var body strings.Builder
	for _, p := range paragraphs {
		fmt.Fprintf(&body, `<w:p><w:r><w:t>%s</w:t></w:r></w:p>`, p)
	}
	return zipOf("[Content_Types].xml", contentTypes,
		"word/document.xml", `<?xml version="1.0"?><w:document xmlns:w="w"><w:body>`+body.String()+`</w:body></w:document>`)
}

func xlsx(cells ...string) []byte {
	var ss strings.Builder
	for _, c := range cells {
		fmt.Fprintf(&ss, `<si><t>%s</t></si>`, c)
	}
	return zipOf("[Content_Types].xml", contentTypes,
		"xl/sharedStrings.xml", `<?xml version="1.0"?><sst>`+ss.String()+`</sst>`,
		"xl/worksheets/sheet1.xml", `<?xml version="1.0"?><worksheet><sheetData><row><c t="inlineStr"><is><t>inline</t></is></c></row></sheetData></worksheet>`)
}

func pptx(slides ...string) []byte {
	entries := []string{"[Content_Types].xml", contentTypes}
	for i := len(slides) - 1; i >= 0; i-- { // stored out of order on purpose
		entries = append(entries, fmt.Sprintf("ppt/slides/slide%d.xml", i+1),
			`<p:sld xmlns:a="a" xmlns:p="p"><p:txBody><a:p><a:r><a:t>`+slides[i]+`</a:t></a:r></a:p></p:txBody></p:sld>`)
	}
	return zipOf(entries...)
}

// pdfOf builds a one-page PDF per text with a correct cross-reference
// table, showing each text with Tj.
func pdfOf(texts ...string) []byte {
	var objs []string
	n := len(texts)
	// 1 catalog, 2 pages, then per page: page, content; then font.
	font := 3 + 2*n
	kids := ""
	for i := range texts {
		kids += fmt.Sprintf("%d 0 R ", 3+2*i)
	}
	objs = append(objs, "<< /Type /Catalog /Pages 2 0 R >>",
		fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", kids, n))
	for i, t := range texts {
		stream := fmt.Sprintf("BT /F1 12 Tf 72 720 Td (%s) Tj ET", t)
		objs = append(objs,
			fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R /Resources << /Font << /F1 %d 0 R >> >> >>", 4+2*i, font),
			fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(stream), stream))
	}
	objs = append(objs, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

func pngOf(w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 100, 255})
		}
	}
	var b bytes.Buffer
	png.Encode(&b, img)
	return b.Bytes()
}

// hugePNG is a valid PNG header declaring w×h pixels, with no pixel data.
func hugePNG(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := []byte{byte(w >> 24), byte(w >> 16), byte(w >> 8), byte(w), byte(h >> 24), byte(h >> 16), byte(h >> 8), byte(h), 8, 6, 0, 0, 0}
	writeChunk(&b, "IHDR", ihdr)
	return b.Bytes()
}

func writeChunk(b *bytes.Buffer, typ string, data []byte) {
	n := len(data)
	b.Write([]byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)})
	b.WriteString(typ)
	b.Write(data)
	crc := crc32IEEE(append([]byte(typ), data...))
	b.Write([]byte{byte(crc >> 24), byte(crc >> 16), byte(crc >> 8), byte(crc)})
}

func crc32IEEE(b []byte) uint32 { return crc32.ChecksumIEEE(b) }
