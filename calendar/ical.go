package calendar

// Content lines of iCalendar (RFC 5545 section 3.1): unfolding, parameters,
// TEXT escaping, folding.

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// prop is one content line: NAME;PARAM=V:VALUE.
type prop struct {
	name   string
	params map[string]string // upper-case names; first value, unquoted
	value  string
	line   int
}

func (p *prop) param(name string) string { return p.params[name] }

// unfold splits data into logical lines, joining folded continuations and
// dropping a leading UTF-8 byte order mark. It returns each line with the
// number of its first physical line.
func unfold(data []byte) ([]string, []int) {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	var lines []string
	var nums []int
	var cur strings.Builder
	curLine := 0
	n := 0
	for len(data) > 0 {
		i := bytes.IndexAny(data, "\r\n")
		var l []byte
		if i < 0 {
			l, data = data, nil
		} else {
			l = data[:i]
			if data[i] == '\r' && i+1 < len(data) && data[i+1] == '\n' {
				data = data[i+2:]
			} else {
				data = data[i+1:]
			}
		}
		n++
		if len(l) > 0 && (l[0] == ' ' || l[0] == '\t') && cur.Len() > 0 {
			cur.Write(l[1:])
			continue
		}
		if cur.Len() > 0 {
			lines, nums = append(lines, cur.String()), append(nums, curLine)
			cur.Reset()
		}
		if len(bytes.TrimSpace(l)) == 0 {
			continue
		}
		cur.Write(l)
		curLine = n
	}
	if cur.Len() > 0 {
		lines, nums = append(lines, cur.String()), append(nums, curLine)
	}
	return lines, nums
}

// parseLine parses one unfolded content line.
func parseLine(s string, line int) (prop, error) {
	p := prop{line: line}
	// The name ends at the first ';' or ':'.
	i := strings.IndexAny(s, ";:")
	if i <= 0 {
		return p, fmt.Errorf("line %d: no property name and value: %w", line, ErrInvalid)
	}
	p.name = strings.ToUpper(strings.TrimSpace(s[:i]))
	rest := s[i:]
	for len(rest) > 0 && rest[0] == ';' {
		rest = rest[1:]
		eq := strings.IndexByte(rest, '=')
		if eq < 0 {
			return p, fmt.Errorf("line %d: parameter without '=': %w", line, ErrInvalid)
		}
		name := strings.ToUpper(strings.TrimSpace(rest[:eq]))
		rest = rest[eq+1:]
		var val string
		first := true
		for {
			var v string
			if strings.HasPrefix(rest, `"`) {
				end := strings.IndexByte(rest[1:], '"')
				if end < 0 {
					return p, fmt.Errorf("line %d: unterminated quote: %w", line, ErrInvalid)
				}
				v, rest = rest[1:1+end], rest[2+end:]
			} else {
				end := strings.IndexAny(rest, ",;:")
				if end < 0 {
					return p, fmt.Errorf("line %d: no value: %w", line, ErrInvalid)
				}
				v, rest = rest[:end], rest[end:]
			}
			if first {
				val, first = v, false
			}
			if strings.HasPrefix(rest, ",") {
				rest = rest[1:]
				continue
			}
			break
		}
		if p.params == nil {
			p.params = map[string]string{}
		}
		if _, dup := p.params[name]; !dup {
			p.params[name] = val
		}
	}
	if !strings.HasPrefix(rest, ":") {
		return p, fmt.Errorf("line %d: no ':' before the value: %w", line, ErrInvalid)
	}
	p.value = rest[1:]
	if !utf8.ValidString(p.value) {
		p.value = strings.ToValidUTF8(p.value, "\uFFFD")
	}
	return p, nil
}

// unescape decodes a TEXT value.
func unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 == len(s) {
			b.WriteByte(c)
			continue
		}
		i++
		switch s[i] {
		case 'n', 'N':
			b.WriteByte('\n')
		default: // \\ \; \, and anything else taken literally
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// escape encodes a TEXT value.
func escape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`)
	return r.Replace(s)
}

// lineWriter writes content lines folded at 75 octets (RFC 5545 3.1),
// never inside a UTF-8 sequence, with CRLF endings.
type lineWriter struct {
	w   io.Writer
	err error
	buf []byte
}

func (lw *lineWriter) line(parts ...string) {
	if lw.err != nil {
		return
	}
	s := strings.Join(parts, "")
	if strings.ContainsAny(s, "\r\n") {
		// Text is escaped already; a raw line break can only come from an
		// id and must not start a forged property.
		s = strings.NewReplacer("\r", " ", "\n", " ").Replace(s)
	}
	lw.buf = lw.buf[:0]
	width := 0
	for len(s) > 0 {
		_, size := utf8.DecodeRuneInString(s)
		if width+size > 75 {
			lw.buf = append(lw.buf, "\r\n "...)
			width = 1
		}
		lw.buf = append(lw.buf, s[:size]...)
		width += size
		s = s[size:]
	}
	lw.buf = append(lw.buf, "\r\n"...)
	_, lw.err = lw.w.Write(lw.buf)
}
