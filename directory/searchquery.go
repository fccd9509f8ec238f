package directory

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// queryMode says which terms a people-search query is matched against.
type queryMode uint8

const (
	modeAny   queryMode = iota // names, pinyin, initials and email
	modeEmail                  // the query has an @ inside: email only
	modePhone                  // digits and phone punctuation: phone only
)

// parsedQuery is a query in the form terms are stored in.
type parsedQuery struct {
	text string
	mode queryMode
}

// parseQuery normalises a people-search query: leading @s dropped (an
// @-mention being typed), full-width forms folded, lower case; a query
// with an @ after its first character matches email addresses; one of
// digits and phone punctuation matches phone numbers by their digits;
// anything else matches names, pinyin and initials with spaces and
// punctuation dropped ("zhang wei" is "zhangwei"), and email addresses.
// The empty result means nothing to search for.
func parseQuery(q string) (parsedQuery, error) {
	if len(q) > MaxQueryLen {
		return parsedQuery{}, fmt.Errorf("query of %d bytes (max %d): %w", len(q), MaxQueryLen, ErrTooLarge)
	}
	if !utf8.ValidString(q) {
		return parsedQuery{}, fmt.Errorf("query %q: bad UTF-8: %w", q, ErrInvalid)
	}
	var b strings.Builder
	for _, r := range q {
		b.WriteRune(unicode.ToLower(foldWidth(r)))
	}
	s := strings.TrimSpace(b.String())
	s = strings.TrimLeft(s, "@")
	s = strings.TrimSpace(s)
	if s == "" {
		return parsedQuery{}, nil
	}
	if strings.ContainsRune(s, '@') {
		return parsedQuery{text: strings.Join(strings.Fields(s), ""), mode: modeEmail}, nil
	}
	if strings.Trim(s, "0123456789+-() .") == "" {
		if d := phoneDigits(s); d != "" {
			return parsedQuery{text: d, mode: modePhone}, nil
		}
		return parsedQuery{}, nil
	}
	return parsedQuery{text: squash(s)}, nil
}

// squash keeps the letters and digits of s, lower-cased and folded, so a
// name and a query compare alike ("Bob Smith" and "bob s" are "bobsmith"
// and "bobs").
func squash(s string) string {
	var b strings.Builder
	for _, r := range s {
		r = foldWidth(r)
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}
