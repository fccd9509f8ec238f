package file

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"html"
	"io"
	"strings"
	"unicode/utf8"
)

// Limits of text extraction. A file over MaxExtractInput is not read
// (its text state is failed, with ErrTooLarge); an Office file is read
// only while its parts stay within the zip limits; the text kept is at
// most WithMaxText bytes.
const (
	// MaxExtractInput is the largest file the text follower reads: 64 MiB.
	MaxExtractInput = 64 << 20
	// MaxZipEntries is the most entries an Office file may have.
	MaxZipEntries = 10_000
	// MaxZipInflate is the most bytes an Office file's parts may inflate
	// to, all together: 256 MiB (a zip bomb stops there).
	MaxZipInflate = 256 << 20
	// MaxXMLDepth is the deepest element nesting read in an Office part.
	MaxXMLDepth = 256
	// MaxPDFPages is the most pages of a PDF the extractor reads.
	MaxPDFPages = 5000
)

// errFull stops an extractor once the text limit is reached; it is not
// a failure.
var errFull = errors.New("text limit reached")

// textBuf collects extracted text up to a limit, cutting at a rune
// boundary, and folds runs of white space.
type textBuf struct {
	b     strings.Builder
	max   int
	space bool // a separator is pending
	nl    bool // and it is a newline
}

func newTextBuf(max int) *textBuf { return &textBuf{max: max} }

// sep asks for a separator (a newline if nl) before the next text.
func (t *textBuf) sep(nl bool) {
	if t.b.Len() == 0 {
		return
	}
	t.space = true
	t.nl = t.nl || nl
}

func (t *textBuf) full() bool { return t.b.Len() >= t.max }

// write appends s (valid UTF-8 or not: invalid bytes become U+FFFD) and
// reports errFull once the limit is reached.
func (t *textBuf) write(s string) error {
	if s == "" {
		return nil
	}
	if t.space {
		c := " "
		if t.nl {
			c = "\n"
		}
		t.space, t.nl = false, false
		if t.b.Len()+1 > t.max {
			return errFull
		}
		t.b.WriteString(c)
	}
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if room := t.max - t.b.Len(); len(s) > room {
		cut := room
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		t.b.WriteString(s[:cut])
		return errFull
	}
	t.b.WriteString(s)
	return nil
}

func (t *textBuf) String() string { return strings.TrimSpace(t.b.String()) }

// Extract returns the text of content of the given kind, at most max
// bytes of it (max <= 0: DefaultMaxText). It is what the text follower
// runs; it is exported so that applications can preview it and fuzzers
// can reach it. Corrupt content is an error wrapping ErrCorrupt, a kind
// with no text ErrUnsupported, and content over a limit ErrTooLarge.
// Extract never panics and is safe for concurrent use.
func Extract(kind Kind, content []byte, max int) (text string, err error) {
	if max <= 0 {
		max = DefaultMaxText
	}
	if len(content) > MaxExtractInput {
		return "", fmt.Errorf("file: extract %s of %d bytes (limit %d): %w", kind, len(content), MaxExtractInput, ErrTooLarge)
	}
	defer func() {
		if p := recover(); p != nil {
			text, err = "", fmt.Errorf("file: extract %s: %v: %w", kind, p, ErrCorrupt)
		}
	}()
	t := newTextBuf(max)
	switch kind {
	case KindText, KindMarkdown:
		err = t.write(string(content))
	case KindHTML:
		err = extractHTML(t, content)
	case KindCSV:
		err = extractCSV(t, content)
	case KindPDF:
		err = extractPDF(t, content)
	case KindDocument, KindSpreadsheet, KindPresentation:
		err = extractOOXML(t, kind, content)
	default:
		return "", fmt.Errorf("file: extract %s: %w", kind, ErrUnsupported)
	}
	if err != nil && !errors.Is(err, errFull) {
		return "", err
	}
	return t.String(), nil
}

// extractHTML keeps the text outside tags, comments, scripts and styles,
// with entities decoded and block elements as line breaks.
func extractHTML(t *textBuf, b []byte) error {
	for len(b) > 0 {
		i := bytes.IndexByte(b, '<')
		if i < 0 {
			return t.write(html.UnescapeString(string(b)))
		}
		if i > 0 {
			if err := t.write(html.UnescapeString(string(b[:i]))); err != nil {
				return err
			}
		}
		b = b[i:]
		if bytes.HasPrefix(b, []byte("<!--")) {
			j := bytes.Index(b, []byte("-->"))
			if j < 0 {
				return nil
			}
			b = b[j+3:]
			continue
		}
		j := bytes.IndexByte(b, '>')
		if j < 0 {
			return nil
		}
		tag := strings.ToLower(string(b[1:j]))
		b = b[j+1:]
		name := strings.TrimPrefix(tag, "/")
		if k := strings.IndexAny(name, " \t\r\n/"); k >= 0 {
			name = name[:k]
		}
		switch name {
		case "script", "style":
			if !strings.HasPrefix(tag, "/") {
				end := bytes.Index(bytes.ToLower(b), []byte("</"+name))
				if end < 0 {
					return nil
				}
				b = b[end:]
			}
		case "p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "title":
			t.sep(true)
		default:
			t.sep(false)
		}
	}
	return nil
}

// extractCSV keeps the fields, separated by spaces, a record a line.
func extractCSV(t *textBuf, b []byte) error {
	r := csv.NewReader(bytes.NewReader(b))
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	r.ReuseRecord = true
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("file: extract csv: %v: %w", err, ErrCorrupt)
		}
		for _, f := range rec {
			t.sep(false)
			if err := t.write(f); err != nil {
				return err
			}
		}
		t.sep(true)
	}
}
