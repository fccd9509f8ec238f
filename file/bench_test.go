package file

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"path/filepath"
	"testing"

	"github.com/workspace-go/workspace/internal/backends"
)

// The throughput benchmarks run the Service and a plain io.Copy into and
// out of the same bucket, on the same data, in the same process; compare
// their MB/s (the ratio is the overhead of hashing, sniffing, the store
// transaction and the promotion copy).

var benchSizes = []int{1 << 20, 100 << 20}

func benchBucket(b *testing.B) Bucket {
	return dirBucket(b, filepath.Join(b.TempDir(), "bucket"))
}

func benchData(n int) []byte {
	d := make([]byte, n)
	for i := range d {
		d[i] = byte(i*7 + i>>10)
	}
	return d
}

func BenchmarkUpload(b *testing.B) {
	for _, n := range benchSizes {
		data := benchData(n)
		b.Run(fmt.Sprintf("size=%dMB/plain-io.Copy", n>>20), func(b *testing.B) {
			bk := benchBucket(b)
			ctx := context.Background()
			b.SetBytes(int64(n))
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				i++
				w, err := bk.NewWriter(ctx, fmt.Sprintf("plain/%d", i), "application/octet-stream")
				if err != nil {
					b.Fatal(err)
				}
				if _, err := io.Copy(w, bytes.NewReader(data)); err != nil {
					b.Fatal(err)
				}
				if err := w.Close(); err != nil {
					b.Fatal(err)
				}
			}
		})
		for _, fresh := range []bool{true, false} {
			name := "service-new-content"
			if !fresh {
				name = "service-duplicate"
			}
			b.Run(fmt.Sprintf("size=%dMB/%s", n>>20, name), func(b *testing.B) {
				bk := benchBucket(b)
				s, _ := newTestService(b, backends.Bolt(b), bk)
				ctx := context.Background()
				b.SetBytes(int64(n))
				b.ReportAllocs()
				i := 0
				for b.Loop() {
					i++
					if fresh {
						binary.BigEndian.PutUint64(data[n-8:], uint64(i))
					}
					if _, err := s.Upload(ctx, "alice", Upload{Container: "c", Name: "bench.bin"}, bytes.NewReader(data)); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

func BenchmarkDownload(b *testing.B) {
	for _, n := range benchSizes {
		data := benchData(n)
		bk := benchBucket(b)
		s, _ := newTestService(b, backends.Bolt(b), bk)
		ctx := context.Background()
		f, err := s.Upload(ctx, "alice", Upload{Container: "c", Name: "bench.bin"}, bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		key := fmt.Sprintf("blobs/%s/", f.SHA256)
		for o := range bk.List(ctx, key) {
			key = o.Key
		}
		b.Run(fmt.Sprintf("size=%dMB/plain-io.Copy", n>>20), func(b *testing.B) {
			b.SetBytes(int64(n))
			b.ReportAllocs()
			for b.Loop() {
				r, err := bk.NewRangeReader(ctx, key, 0, -1)
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, r)
				r.Close()
			}
		})
		b.Run(fmt.Sprintf("size=%dMB/service", n>>20), func(b *testing.B) {
			b.SetBytes(int64(n))
			b.ReportAllocs()
			for b.Loop() {
				r, err := s.Open(ctx, "alice", f.ID, Range{})
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, r)
				r.Close()
			}
		})
	}
}

func BenchmarkExtract(b *testing.B) {
	var para bytes.Buffer
	for para.Len() < 1<<20 {
		para.WriteString("季度报告 the quarterly report shows growth in every region. ")
	}
	text := para.String()
	var paras []string
	for i := 0; i < len(text); i += 4000 {
		paras = append(paras, text[i:min(i+4000, len(text))])
	}
	var pages []string
	ascii := bytes.Repeat([]byte("the quarterly report shows growth "), 100)
	for range 30 {
		pages = append(pages, string(ascii))
	}
	cases := []struct {
		kind Kind
		data []byte
	}{
		{KindText, []byte(text)},
		{KindHTML, []byte("<html><body><p>" + text + "</p></body></html>")},
		{KindCSV, bytes.Repeat([]byte("name,city,amount\n张三,北京,100\n"), 30000)},
		{KindDocument, docx(paras...)},
		{KindSpreadsheet, xlsx(paras...)},
		{KindPresentation, pptx(paras[:50]...)},
		{KindPDF, pdfOf(pages...)},
	}
	for _, c := range cases {
		b.Run(string(c.kind), func(b *testing.B) {
			b.SetBytes(int64(len(c.data))) // MB/s of the file as stored (zipped for Office)
			b.ReportAllocs()
			out := 0
			for b.Loop() {
				text, err := Extract(c.kind, c.data, 4<<20)
				if err != nil {
					b.Fatal(err)
				}
				out = len(text)
			}
			b.ReportMetric(float64(out)*float64(b.N)/1e6/b.Elapsed().Seconds(), "text-MB/s")
		})
	}
}

// BenchmarkUploadWhileExtracting measures Upload latency of a small file
// with the text follower idle and while it works through a backlog of
// large PDFs: extraction is off the posting path, so latency should not
// move much (the two share the machine's cores).
func BenchmarkUploadWhileExtracting(b *testing.B) {
	var pages []string
	for range 400 {
		pages = append(pages, string(bytes.Repeat([]byte("report text "), 4000)))
	}
	big := pdfOf(pages...)
	for _, busy := range []bool{false, true} {
		name := "follower-idle"
		if busy {
			name = "follower-extracting"
		}
		b.Run(name, func(b *testing.B) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			s, _ := newTestService(b, backends.Bolt(b), benchBucket(b))
			if busy {
				for i := range 20 {
					binary.BigEndian.PutUint64(big[len(big)-16:], uint64(i))
					if _, err := s.Upload(ctx, "alice", Upload{Container: "c", Name: "big.pdf"}, bytes.NewReader(big)); err != nil {
						b.Fatal(err)
					}
				}
				go s.RunText(ctx)
			}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				i++
				if _, err := s.Upload(ctx, "alice", Upload{Container: "c", Name: "small.txt"}, bytes.NewReader([]byte(fmt.Sprint("small ", i)))); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "µs/upload")
			if busy {
				b.ReportMetric(float64(len(big))/1e6, "pdf-MB")
			}
		})
	}
}
