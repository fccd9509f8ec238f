package file

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
)

// extractOOXML reads the text parts of a DOCX, XLSX or PPTX package:
// word/document.xml (with headers, footers, footnotes), xl/sharedStrings.xml
// and the worksheets' inline strings, ppt/slides/slideN.xml in slide order.
// The zip's entry count and the bytes its parts inflate to are bounded,
// and so is the XML nesting.
func extractOOXML(t *textBuf, kind Kind, b []byte) error {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return fmt.Errorf("file: extract %s: %v: %w", kind, err, ErrCorrupt)
	}
	if len(zr.File) > MaxZipEntries {
		return fmt.Errorf("file: extract %s: %d zip entries (limit %d): %w", kind, len(zr.File), MaxZipEntries, ErrCorrupt)
	}
	var parts []*zip.File
	for _, f := range zr.File {
		if textPart(kind, f.Name) {
			parts = append(parts, f)
		}
	}
	if len(parts) == 0 {
		return fmt.Errorf("file: extract %s: no text parts: %w", kind, ErrCorrupt)
	}
	sort.SliceStable(parts, func(i, j int) bool { return partOrder(parts[i].Name) < partOrder(parts[j].Name) })
	budget := int64(MaxZipInflate)
	for _, f := range parts {
		rc, err := f.Open()
		if err != nil {
			return fmt.Errorf("file: extract %s: %s: %v: %w", kind, f.Name, err, ErrCorrupt)
		}
		lr := &io.LimitedReader{R: rc, N: budget + 1}
		err = xmlText(t, lr)
		rc.Close()
		budget = lr.N - 1
		if budget < 0 {
			return fmt.Errorf("file: extract %s: parts inflate over %d bytes: %w", kind, MaxZipInflate, ErrCorrupt)
		}
		if err != nil {
			if errors.Is(err, errFull) {
				return err
			}
			return fmt.Errorf("file: extract %s: %s: %w", kind, f.Name, err)
		}
		t.sep(true)
	}
	return nil
}

func textPart(kind Kind, name string) bool {
	switch kind {
	case KindDocument:
		return name == "word/document.xml" || strings.HasPrefix(name, "word/header") ||
			strings.HasPrefix(name, "word/footer") || name == "word/footnotes.xml"
	case KindSpreadsheet:
		return name == "xl/sharedStrings.xml" || strings.HasPrefix(name, "xl/worksheets/sheet")
	case KindPresentation:
		return strings.HasPrefix(name, "ppt/slides/slide") && strings.HasSuffix(name, ".xml")
	}
	return false
}

// partOrder sorts the main part first and numbered parts numerically
// (slide2 before slide10).
func partOrder(name string) string {
	if name == "word/document.xml" || name == "xl/sharedStrings.xml" {
		return "0"
	}
	stem := strings.TrimSuffix(name, ".xml")
	i := len(stem)
	for i > 0 && stem[i-1] >= '0' && stem[i-1] <= '9' {
		i--
	}
	if n, err := strconv.Atoi(stem[i:]); err == nil && len(stem)-i <= 9 {
		return fmt.Sprintf("1%s%09d", stem[:i], n)
	}
	return "1" + name
}

// xmlText writes the character data of the <t> elements (w:t, a:t, t)
// with paragraphs (<p>, <si>, <row>) as lines and cells/tabs as spaces.
func xmlText(t *textBuf, r io.Reader) error {
	d := xml.NewDecoder(r)
	d.Strict = false
	depth, inText := 0, 0
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%v: %w", err, ErrCorrupt)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			depth++
			if depth > MaxXMLDepth {
				return fmt.Errorf("xml nested over %d: %w", MaxXMLDepth, ErrCorrupt)
			}
			switch e.Name.Local {
			case "t":
				inText++
			case "tab", "c":
				t.sep(false)
			case "br":
				t.sep(true)
			}
		case xml.EndElement:
			depth--
			switch e.Name.Local {
			case "t":
				if inText > 0 {
					inText--
				}
			case "p", "si", "row":
				t.sep(true)
			}
		case xml.CharData:
			if inText > 0 {
				if err := t.write(string(e)); err != nil {
					return err
				}
			}
		}
	}
}
