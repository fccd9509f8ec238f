package search

import (
	"fmt"
	"html"
	"strings"

	"github.com/blevesearch/bleve/v2/registry"
	"github.com/blevesearch/bleve/v2/search/highlight"
	"github.com/blevesearch/bleve/v2/search/highlight/fragmenter/simple"
	simpleHighlighter "github.com/blevesearch/bleve/v2/search/highlight/highlighter/simple"
)

// highlighterName is the package's highlighter: bleve's simple
// highlighter with a formatter that merges overlapping matches. bleve's
// html formatter skips a match that overlaps the previous one, and Han
// bigrams always overlap: "报价单" matches 报价 and 价单, and would be
// marked as <mark>报价</mark>单.
const highlighterName = "ws_html"

func init() {
	if err := registry.RegisterHighlighter(highlighterName, func(config map[string]any, cache *registry.Cache) (highlight.Highlighter, error) {
		fragmenter, err := cache.FragmenterNamed(simple.Name)
		if err != nil {
			return nil, fmt.Errorf("search: highlighter: %w", err)
		}
		return simpleHighlighter.NewHighlighter(fragmenter, mergingFormatter{}, simpleHighlighter.DefaultSeparator), nil
	}); err != nil {
		panic(err) // a second registration of the name: a programming error
	}
}

// mergingFormatter marks the union of the matched spans, HTML-escaping
// the text.
type mergingFormatter struct{}

func (mergingFormatter) Format(f *highlight.Fragment, locs highlight.TermLocations) string {
	var b strings.Builder
	curr := f.Start
	start, end := -1, -1 // the span being merged
	flush := func() {
		if start < 0 {
			return
		}
		b.WriteString(html.EscapeString(string(f.Orig[curr:start])))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(string(f.Orig[start:end])))
		b.WriteString("</mark>")
		curr = end
		start, end = -1, -1
	}
	for _, l := range locs {
		if l == nil || !l.ArrayPositions.Equals(f.ArrayPositions) || l.End <= l.Start {
			continue
		}
		if l.Start < curr || l.Start < f.Start {
			continue
		}
		if l.End > f.End {
			break
		}
		if start >= 0 && l.Start <= end {
			end = max(end, l.End)
			continue
		}
		flush()
		start, end = l.Start, l.End
	}
	flush()
	b.WriteString(html.EscapeString(string(f.Orig[curr:f.End])))
	return b.String()
}
