package file

import (
	"bufio"
	"bytes"
	"errors"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/workspace-go/workspace/store"
)

// fuzzExtract checks an extractor's promises on any input: no panic, a
// known error class, valid UTF-8 within the limit.
func fuzzExtract(f *testing.F, kind Kind, seeds ...[]byte) {
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		text, err := Extract(kind, b, 4096)
		if err != nil {
			if !errors.Is(err, store.ErrInvalid) {
				t.Fatalf("error of no known class: %v", err)
			}
			return
		}
		if len(text) > 4096 || !utf8.ValidString(text) {
			t.Fatalf("text of %d bytes, valid %v", len(text), utf8.ValidString(text))
		}
	})
}

func FuzzExtractText(f *testing.F) { fuzzExtract(f, KindText, []byte("hello"), []byte("\xff\xfe")) }
func FuzzExtractHTML(f *testing.F) {
	fuzzExtract(f, KindHTML, []byte("<p>a &amp; b</p><script>x</script>"), []byte("<!-- <"))
}
func FuzzExtractCSV(f *testing.F) { fuzzExtract(f, KindCSV, []byte("a,\"b\"\n1,2"), []byte("\"")) }
func FuzzExtractPDF(f *testing.F) {
	pdfTimeout = 2 * time.Second
	fuzzExtract(f, KindPDF, pdfOf("hello", "world"), []byte("%PDF-1.4\n"))
}
func FuzzExtractDOCX(f *testing.F) {
	fuzzExtract(f, KindDocument, docx("a", "b"), corruptZip(docx("c")))
}
func FuzzExtractXLSX(f *testing.F) { fuzzExtract(f, KindSpreadsheet, xlsx("a", "b")) }
func FuzzExtractPPTX(f *testing.F) { fuzzExtract(f, KindPresentation, pptx("a", "b")) }

// FuzzPDFContent reaches the content-stream tokenizer directly.
func FuzzPDFContent(f *testing.F) {
	f.Add([]byte("BT (Hello) Tj [(W) -300 (orld)] TJ <FEFF004100420043> Tj T* (\\101\\)) ' ET"))
	f.Fuzz(func(t *testing.T, b []byte) {
		text, err := Extract(KindPDF, b, 1024) // through pdfcpu: must not panic
		_ = text
		_ = err
		tb := newTextBuf(1024)
		if err := pdfText(tb, bufioReader(b)); err != nil && !errors.Is(err, errFull) {
			t.Fatalf("pdfText: %v", err)
		}
		if s := tb.String(); len(s) > 1024 || !utf8.ValidString(s) {
			t.Fatalf("text of %d bytes", len(s))
		}
	})
}

func FuzzThumbnail(f *testing.F) {
	f.Add(pngOf(8, 4))
	f.Add(hugePNG(1<<20, 1<<20))
	f.Fuzz(func(t *testing.T, b []byte) {
		w, h, thumb, err := Thumbnail(b, 16, 1<<20)
		if err != nil {
			if !errors.Is(err, store.ErrInvalid) {
				t.Fatalf("error of no known class: %v", err)
			}
			return
		}
		if w <= 0 || h <= 0 || int64(w)*int64(h) > 1<<20 || len(thumb) == 0 {
			t.Fatalf("%dx%d with %d bytes of thumbnail", w, h, len(thumb))
		}
	})
}

func FuzzValidName(f *testing.F) {
	for _, s := range []string{"a.txt", "a/b", "..", "报告.pdf", "\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		if err := ValidName(name); err == nil {
			if name == "" || len(name) > MaxNameLen || !utf8.ValidString(name) {
				t.Fatalf("accepted %q", name)
			}
			for _, r := range name {
				if r == '/' || r == '\\' || r < 0x20 {
					t.Fatalf("accepted %q", name)
				}
			}
		} else if !errors.Is(err, ErrInvalid) {
			t.Fatalf("error of no known class: %v", err)
		}
	})
}

func bufioReader(b []byte) *bufio.Reader { return bufio.NewReader(bytes.NewReader(b)) }
