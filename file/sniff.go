package file

import (
	"bytes"
	"encoding/binary"
	"net/http"
	"strings"
)

// sniffLen is how many leading bytes sniff looks at (what
// http.DetectContentType reads).
const sniffLen = 512

// Content types the Service names beyond http.DetectContentType's.
const (
	typeDOCX     = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	typeXLSX     = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	typePPTX     = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
	typeMarkdown = "text/markdown; charset=utf-8"
	typeCSV      = "text/csv; charset=utf-8"
	typeHTML     = "text/html; charset=utf-8"
)

// sniff returns the content type and kind of content whose first bytes
// are head, named name. The bytes decide; the name's extension only
// refines within what the bytes allow (a ".docx" that is a zip holding
// Office parts is a DOCX; a ".pdf" that is text is text).
func sniff(head []byte, name string) (string, Kind) {
	ct := http.DetectContentType(head)
	e := ext(name)
	switch {
	case strings.HasPrefix(ct, "image/"):
		return ct, KindImage
	case ct == "application/pdf":
		return ct, KindPDF
	case ct == "application/zip":
		if ooxml(head) {
			switch e {
			case "docx":
				return typeDOCX, KindDocument
			case "xlsx":
				return typeXLSX, KindSpreadsheet
			case "pptx":
				return typePPTX, KindPresentation
			}
		}
		return ct, KindArchive
	case strings.HasPrefix(ct, "text/html"):
		return typeHTML, KindHTML
	case strings.HasPrefix(ct, "text/plain"):
		if !strings.Contains(ct, "utf-8") {
			return ct, KindText
		}
		switch e {
		case "md", "markdown":
			return typeMarkdown, KindMarkdown
		case "csv":
			return typeCSV, KindCSV
		case "html", "htm":
			return typeHTML, KindHTML
		}
		return ct, KindText
	case strings.HasPrefix(ct, "audio/"):
		return ct, KindAudio
	case strings.HasPrefix(ct, "video/"):
		return ct, KindVideo
	}
	return ct, KindOther
}

// ooxml reports whether a zip's first local entry is one an Office Open
// XML package starts with.
func ooxml(head []byte) bool {
	if len(head) < 30 || !bytes.HasPrefix(head, []byte("PK\x03\x04")) {
		return false
	}
	n := int(binary.LittleEndian.Uint16(head[26:28]))
	if 30+n > len(head) {
		return false
	}
	first := string(head[30 : 30+n])
	return first == "[Content_Types].xml" || strings.HasPrefix(first, "_rels/") ||
		strings.HasPrefix(first, "word/") || strings.HasPrefix(first, "xl/") ||
		strings.HasPrefix(first, "ppt/") || strings.HasPrefix(first, "docProps/")
}
