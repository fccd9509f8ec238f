package search

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Limits on queries, so that no query costs more than a page of results
// should. A query over a limit fails with an error wrapping ErrQuery and
// store.ErrTooLarge, before the index is read.
const (
	// MaxQueryBytes is the longest query text accepted.
	MaxQueryBytes = 4 << 10
	// MaxQueryTerms is the most terms a query may hold, counted after
	// analysis: every word of Latin letters or digits, every Han bigram
	// and lone Han character, every term of a phrase (excluded ones
	// included), every prefix and every modifier. "项目进度 review" is
	// four: 项目, 目进, 进度, review.
	MaxQueryTerms = 64
	// MaxQueryExpansions is the most terms of a query that are expanded
	// over the index's term dictionary: lone Han characters (each matches
	// every bigram that holds it) and prefixes (depl*).
	MaxQueryExpansions = 8
)

// queryCost counts the terms and expansions of a query after analysis.
type queryCost struct {
	terms, expansions int
	chars             int  // lone Han characters built as charQuery
	highlight         bool // building the text part for highlights
}

func (c *queryCost) check() error {
	switch {
	case c.terms > MaxQueryTerms:
		return fmt.Errorf("search: query of %d terms after analysis, over %d: %w: %w", c.terms, MaxQueryTerms, ErrQuery, ErrTooLarge)
	case c.expansions > MaxQueryExpansions:
		return fmt.Errorf("search: query with %d single characters and prefixes, over %d: %w: %w", c.expansions, MaxQueryExpansions, ErrQuery, ErrTooLarge)
	}
	return nil
}

// parsed is a query split into its parts; text parts are still raw.
type parsed struct {
	words, phrases       []string // must match
	notWords, notPhrases []string // must not match
	from, in, types      []string // any of each must match
	notFrom, notIn       []string
	notTypes             []string
	has, notHas          []string // each must (not) match
	thread, notThread    bool
	after, before        time.Time // [after, before); zero: unbounded
	terms                int
}

// empty reports a query with nothing to match: no text and no modifier.
func (p *parsed) empty() bool {
	return p.terms == 0
}

// parser holds what modifiers need to resolve their values.
type parser struct {
	actor string
	loc   *time.Location
	now   time.Time
}

// parse splits q into words, "phrases", -exclusions and modifiers. It
// never panics; a bad modifier or date is an error wrapping ErrQuery.
// Quotes may be straight (") or curly (“ ”); a quote left open runs to the
// end of the query.
func (ps parser) parse(q string) (*parsed, error) {
	if len(q) > MaxQueryBytes {
		return nil, fmt.Errorf("search: query of %d bytes, over %d: %w", len(q), MaxQueryBytes, ErrQuery)
	}
	q = clean(q)
	p := &parsed{}
	for i := 0; i < len(q); {
		r, n := utf8.DecodeRuneInString(q[i:])
		if unicode.IsSpace(r) {
			i += n
			continue
		}
		neg := false
		if r == '-' && i+1 < len(q) {
			if r2, _ := utf8.DecodeRuneInString(q[i+1:]); !unicode.IsSpace(r2) {
				neg = true
				i++
				r, n = utf8.DecodeRuneInString(q[i:])
			}
		}
		if isOpenQuote(r) {
			text, end := quoted(q, i+n)
			i = end
			if strings.TrimSpace(text) != "" {
				p.add(&p.phrases, &p.notPhrases, neg, text)
			}
			continue
		}
		// A word runs to the next space; name:"a b" takes a quoted value.
		start := i
		for i < len(q) {
			r, n := utf8.DecodeRuneInString(q[i:])
			if unicode.IsSpace(r) {
				break
			}
			i += n
			if r == ':' && i < len(q) {
				if r2, n2 := utf8.DecodeRuneInString(q[i:]); isOpenQuote(r2) {
					_, end := quoted(q, i+n2)
					i = end
					break
				}
			}
		}
		tok := q[start:i]
		if name, val, ok := modifier(tok); ok {
			if err := ps.modifier(p, neg, name, val); err != nil {
				return nil, err
			}
			continue
		}
		p.add(&p.words, &p.notWords, neg, tok)
	}
	if p.terms > MaxQueryTerms {
		return nil, fmt.Errorf("search: query of %d terms, over %d: %w: %w", p.terms, MaxQueryTerms, ErrQuery, ErrTooLarge)
	}
	return p, nil
}

func (p *parsed) add(pos, neg *[]string, isNeg bool, s string) {
	p.terms++
	if isNeg {
		*neg = append(*neg, s)
	} else {
		*pos = append(*pos, s)
	}
}

func isOpenQuote(r rune) bool  { return r == '"' || r == '“' }
func isCloseQuote(r rune) bool { return r == '"' || r == '”' }

// quoted returns the text from i up to the closing quote and the index
// just past that quote (or the end of q when none closes it).
func quoted(q string, i int) (string, int) {
	for j := i; j < len(q); {
		r, n := utf8.DecodeRuneInString(q[j:])
		if isCloseQuote(r) {
			return q[i:j], j + n
		}
		j += n
	}
	return q[i:], len(q)
}

// modifier splits name:value when name is ASCII letters. A URL
// ("https://...") is not a modifier.
func modifier(tok string) (name, val string, ok bool) {
	name, val, found := strings.Cut(tok, ":")
	if !found || name == "" || strings.HasPrefix(val, "//") {
		return "", "", false
	}
	for _, c := range []byte(name) {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return "", "", false
		}
	}
	if len(val) > 0 && isOpenQuote(rune(val[0])) || strings.HasPrefix(val, "“") {
		_, n := utf8.DecodeRuneInString(val)
		val, _ = quoted(val, n)
	}
	return strings.ToLower(name), strings.TrimSpace(val), true
}

// modifier applies one name:value to p.
func (ps parser) modifier(p *parsed, neg bool, name, val string) error {
	bad := func(why string) error {
		return fmt.Errorf("search: modifier %s:%q: %s: %w", name, val, why, ErrQuery)
	}
	if val == "" {
		return bad("needs a value")
	}
	p.terms++
	switch name {
	case "from":
		val = strings.TrimPrefix(val, "@")
		if val == "me" {
			if ps.actor == "" {
				return bad("no acting user to be me")
			}
			val = ps.actor
		}
		addTo(&p.from, &p.notFrom, neg, val)
	case "in":
		addTo(&p.in, &p.notIn, neg, strings.TrimPrefix(val, "#"))
	case "type":
		addTo(&p.types, &p.notTypes, neg, val)
	case "has":
		switch v := strings.ToLower(val); v {
		case HasLink, HasFile, HasReaction:
			addTo(&p.has, &p.notHas, neg, v)
		default:
			return bad("want link, file or reaction")
		}
	case "is":
		if strings.ToLower(val) != "thread" {
			return bad("want thread")
		}
		if neg {
			p.notThread = true
		} else {
			p.thread = true
		}
	case "before", "after", "on", "during":
		if neg {
			return bad("a date cannot be excluded")
		}
		from, to, err := ps.day(val)
		if err != nil {
			return bad(err.Error())
		}
		switch name {
		case "before":
			p.narrow(time.Time{}, from)
		case "after":
			p.narrow(to, time.Time{})
		default:
			p.narrow(from, to)
		}
	default:
		return fmt.Errorf("search: unknown modifier %q (want from, in, type, has, is, before, after, on, during): %w", name+":", ErrQuery)
	}
	return nil
}

func addTo(pos, neg *[]string, isNeg bool, v string) {
	if isNeg {
		*neg = append(*neg, v)
	} else {
		*pos = append(*pos, v)
	}
}

// narrow intersects p's time range with [from, to).
func (p *parsed) narrow(from, to time.Time) {
	if !from.IsZero() && (p.after.IsZero() || from.After(p.after)) {
		p.after = from
	}
	if !to.IsZero() && (p.before.IsZero() || to.Before(p.before)) {
		p.before = to
	}
}

// day returns the period a date names in ps.loc: YYYY-MM-DD is that day,
// YYYY-MM that month, YYYY that year; today and yesterday are days by
// ps.now.
func (ps parser) day(v string) (from, to time.Time, err error) {
	switch strings.ToLower(v) {
	case "today", "yesterday":
		y, m, d := ps.now.In(ps.loc).Date()
		from = time.Date(y, m, d, 0, 0, 0, 0, ps.loc)
		if strings.EqualFold(v, "yesterday") {
			from = from.AddDate(0, 0, -1)
		}
		return from, from.AddDate(0, 0, 1), nil
	}
	for _, f := range []struct {
		layout string
		y, m   int
		d      int
	}{{"2006-01-02", 0, 0, 1}, {"2006-01", 0, 1, 0}, {"2006", 1, 0, 0}} {
		if len(v) != len(f.layout) {
			continue
		}
		t, err := time.ParseInLocation(f.layout, v, ps.loc)
		if err != nil {
			break
		}
		if t.Year() < 1700 || t.Year() > 2200 {
			return from, to, fmt.Errorf("year %d outside 1700..2200", t.Year())
		}
		return t, t.AddDate(f.y, f.m, f.d), nil
	}
	return from, to, fmt.Errorf("want a date YYYY-MM-DD, YYYY-MM, YYYY, today or yesterday")
}
