package file

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"
	"unicode/utf16"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
)

// The PDF extractor: pdfcpu (maintained, pure Go, served by the module
// proxy) parses the file — cross references, object streams, filters,
// encryption with an empty user password — and yields each page's decoded
// content stream; pdfText reads the text-showing operators (Tj, TJ, ', ")
// of that stream.

var pdfOnce sync.Once

// MaxPDFContent is the most decoded content-stream bytes read per page.
const MaxPDFContent = 16 << 20

var errPDFPages = errors.New("page limit")

// pdfTimeout bounds the time one PDF may take: pdfcpu takes no context,
// and fuzzing found inputs it works on for many seconds. On timeout the
// extraction is abandoned (its goroutine finishes on its own, holding
// only its private copy of the text) and the file's text is failed.
var pdfTimeout = MaxPDFTime

// MaxPDFTime is the longest the extractor works on one PDF.
const MaxPDFTime = 30 * time.Second

func extractPDF(t *textBuf, b []byte) error {
	pdfOnce.Do(api.DisableConfigDir) // never read or write a config dir in the user's home
	own := newTextBuf(t.max)
	done := make(chan error, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				done <- fmt.Errorf("file: extract pdf: %v: %w", p, ErrCorrupt)
			}
		}()
		done <- extractPDFSync(own, b)
	}()
	timer := time.NewTimer(pdfTimeout)
	defer timer.Stop()
	select {
	case err := <-done:
		if err != nil && !errors.Is(err, errFull) {
			return err
		}
		return t.write(own.String())
	case <-timer.C:
		return fmt.Errorf("file: extract pdf: over %v: %w", pdfTimeout, ErrCorrupt)
	}
}

func extractPDFSync(t *textBuf, b []byte) error {
	conf := model.NewDefaultConfiguration()
	conf.ValidationMode = model.ValidationRelaxed
	pages := 0
	err := api.ExtractContent(bytes.NewReader(b), nil, func(r io.Reader, _ int) error {
		pages++
		if pages > MaxPDFPages {
			return errPDFPages
		}
		err := pdfText(t, bufio.NewReader(io.LimitReader(r, MaxPDFContent)))
		t.sep(true)
		return err
	}, conf)
	switch {
	case err == nil, errors.Is(err, errFull), errors.Is(err, errPDFPages):
		return nil
	}
	return fmt.Errorf("file: extract pdf: %v: %w", err, ErrCorrupt)
}

// pdfText scans a content stream for strings and the operators that show
// them. It is a tokenizer, not an interpreter: strings shown in fonts with
// custom encodings (many CJK PDFs) come out as their raw codes.
func pdfText(t *textBuf, r *bufio.Reader) error {
	var (
		operands [][]byte // strings since the last operator
		inArray  bool
	)
	for {
		c, err := r.ReadByte()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		switch {
		case c == '(':
			s, err := pdfLiteral(r)
			if err != nil {
				return nil // truncated stream: keep what was read
			}
			operands = append(operands, s)
		case c == '<':
			n, err := r.Peek(1)
			if err == nil && n[0] == '<' {
				r.ReadByte() // dictionary
				continue
			}
			s, err := pdfHex(r)
			if err != nil {
				return nil
			}
			operands = append(operands, s)
		case c == '[':
			inArray = true
		case c == ']':
			inArray = false
		case c == '%':
			r.ReadString('\n')
		case c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '\'' || c == '"' || c == '*':
			op := []byte{c}
			for {
				n, err := r.Peek(1)
				if err != nil || !(n[0] >= 'A' && n[0] <= 'Z' || n[0] >= 'a' && n[0] <= 'z' || n[0] == '*') {
					break
				}
				b, _ := r.ReadByte()
				op = append(op, b)
			}
			if inArray {
				continue
			}
			switch string(op) {
			case "Tj", "'", "\"", "TJ":
				if op[0] != 'T' {
					t.sep(true)
				}
				for _, s := range operands {
					if err := t.write(pdfString(s)); err != nil {
						return err
					}
				}
			case "T*", "ET":
				t.sep(true)
			case "Td", "TD", "Tm":
				t.sep(false)
			}
			operands = operands[:0]
		}
	}
}

// pdfLiteral reads a (string) after its '(' with escapes and nesting.
func pdfLiteral(r *bufio.Reader) ([]byte, error) {
	var out []byte
	depth := 1
	for len(out) < MaxPDFContent {
		c, err := r.ReadByte()
		if err != nil {
			return nil, err
		}
		switch c {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return out, nil
			}
		case '\\':
			e, err := r.ReadByte()
			if err != nil {
				return nil, err
			}
			switch e {
			case 'n':
				c = '\n'
			case 'r':
				c = '\r'
			case 't':
				c = '\t'
			case 'b':
				c = '\b'
			case 'f':
				c = '\f'
			case '\r', '\n':
				continue
			default:
				if e >= '0' && e <= '7' {
					v := int(e - '0')
					for i := 0; i < 2; i++ {
						n, err := r.Peek(1)
						if err != nil || n[0] < '0' || n[0] > '7' {
							break
						}
						r.ReadByte()
						v = v*8 + int(n[0]-'0')
					}
					c = byte(v)
				} else {
					c = e
				}
			}
		}
		out = append(out, c)
	}
	return out, nil
}

// pdfHex reads a <hex string> after its '<'.
func pdfHex(r *bufio.Reader) ([]byte, error) {
	var out []byte
	hi, odd := byte(0), false
	for len(out) < MaxPDFContent {
		c, err := r.ReadByte()
		if err != nil {
			return nil, err
		}
		var v byte
		switch {
		case c == '>':
			if odd {
				out = append(out, hi<<4)
			}
			return out, nil
		case c >= '0' && c <= '9':
			v = c - '0'
		case c >= 'a' && c <= 'f':
			v = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			v = c - 'A' + 10
		default:
			continue
		}
		if odd {
			out = append(out, hi<<4|v)
		} else {
			hi = v
		}
		odd = !odd
	}
	return out, nil
}

// pdfString decodes a text string: UTF-16BE with a byte-order mark, else
// PDFDocEncoding (read as Latin-1).
func pdfString(b []byte) string {
	if len(b) >= 2 && b[0] == 0xfe && b[1] == 0xff {
		u := make([]uint16, 0, len(b)/2)
		for i := 2; i+1 < len(b); i += 2 {
			u = append(u, uint16(b[i])<<8|uint16(b[i+1]))
		}
		return string(utf16.Decode(u))
	}
	rs := make([]rune, len(b))
	for i, c := range b {
		rs[i] = rune(c)
	}
	return string(rs)
}
