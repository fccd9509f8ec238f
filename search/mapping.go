package search

import (
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/mapping"
)

// Field names in the bleve index.
const (
	fieldKind          = "kind"
	fieldContainer     = "container"
	fieldContainerName = "container_name" // stored only
	fieldTitle         = "title"          // stored only: the text field holds it for search
	fieldText          = "text"           // title and body, one field: one term per query token
	fieldAuthor        = "author"
	fieldTime          = "ts" // sortable hex of the time: one term, doc values, stored
	fieldTimeTrie      = "tq" // 15-minute buckets at several precisions: date ranges
	fieldHas           = "has"
	fieldThread        = "thread"
	fieldIs            = "is"
	fieldAccess        = "access"
)

// Analyzers of the text field. All three run bleve's unicode tokenizer
// (UAX #29 words; every Han character its own token), full-width to
// half-width folding (cjk_width), lowercase, and Han bigrams
// (cjk_bigram): "开会了" is analyzed as 开会 会了, a Han character
// standing alone as itself. One-character queries are expanded to the
// bigrams that hold the character (see singleCharQuery): indexing
// unigrams as well cost a fifth of indexing throughput in measurements.
// They differ in English stemming (see stem.go), which touches no Han
// token:
const (
	// analyzerText indexes the text field: each English word and, at the
	// same position, its stem when it differs ("deployed" and "deploy").
	analyzerText = "ws_text"
	// analyzerQuery analyzes query words and phrases: each English word
	// becomes its stem, which the index holds for every form of the word.
	analyzerQuery = "ws_query"
	// analyzerPrefix analyzes the stem of a prefix query ("organiz*"):
	// no stemming, since it is matched against the words as written.
	analyzerPrefix = "ws_prefix"
)

// mappingVersion is stored in every index; an index written with another
// version is rebuilt (see Index.upgrade) rather than read with the wrong
// analysis. Version 5 added English stemming; version 6 records the
// namespace an index was built for (WithNamespace), which older indexes
// do not, so they are rebuilt for the namespace that opens them.
const mappingVersion = "6"

// newMapping returns the index mapping: a static document mapping (no
// dynamic fields), no _all field, doc values only where sorting or facets
// need them.
func newMapping() (*mapping.IndexMappingImpl, error) {
	im := bleve.NewIndexMapping()
	for name, filters := range map[string][]string{
		analyzerText:   {cjk.WidthName, lowercase.Name, cjk.BigramName, stemKeepName},
		analyzerQuery:  {cjk.WidthName, lowercase.Name, cjk.BigramName, stemName},
		analyzerPrefix: {cjk.WidthName, lowercase.Name, cjk.BigramName},
	} {
		if err := im.AddCustomAnalyzer(name, map[string]any{
			"type":          custom.Name,
			"tokenizer":     unicode.Name,
			"token_filters": filters,
		}); err != nil {
			return nil, err
		}
	}

	text := func() *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = analyzerText
		f.Store = true
		f.IncludeTermVectors = true
		f.IncludeInAll = false
		f.DocValues = false
		return f
	}
	kw := func(store, docValues bool) *mapping.FieldMapping {
		f := bleve.NewKeywordFieldMapping()
		f.Analyzer = keyword.Name
		f.Store = store
		f.IncludeTermVectors = false
		f.IncludeInAll = false
		f.DocValues = docValues
		return f
	}
	dm := bleve.NewDocumentStaticMapping()
	dm.AddFieldMappingsAt(fieldKind, kw(false, true))
	dm.AddFieldMappingsAt(fieldContainer, kw(true, false))
	cn := kw(true, false)
	cn.Index = false
	dm.AddFieldMappingsAt(fieldContainerName, cn)
	title := kw(true, false)
	title.Index = false
	dm.AddFieldMappingsAt(fieldTitle, title)
	dm.AddFieldMappingsAt(fieldText, text())
	dm.AddFieldMappingsAt(fieldAuthor, kw(true, false))
	dm.AddFieldMappingsAt(fieldTime, kw(true, true))
	dm.AddFieldMappingsAt(fieldTimeTrie, kw(false, false))
	dm.AddFieldMappingsAt(fieldHas, kw(false, false))
	dm.AddFieldMappingsAt(fieldThread, kw(true, false))
	dm.AddFieldMappingsAt(fieldIs, kw(false, false))
	dm.AddFieldMappingsAt(fieldAccess, kw(false, true))

	im.DefaultMapping = dm
	im.TypeField = "_type_unused"
	im.DefaultAnalyzer = analyzerText
	im.StoreDynamic = false
	im.IndexDynamic = false
	im.DocValuesDynamic = false
	return im, nil
}

// analyzers are the analyzers the package runs itself: to build
// documents without reflection (text, keyword) and to analyze queries
// (query, prefix).
type analyzers struct {
	text, query, prefix, keyword analysis.Analyzer
}

func newAnalyzers(im *mapping.IndexMappingImpl) analyzers {
	return analyzers{
		text:    im.AnalyzerNamed(analyzerText),
		query:   im.AnalyzerNamed(analyzerQuery),
		prefix:  im.AnalyzerNamed(analyzerPrefix),
		keyword: im.AnalyzerNamed(keyword.Name),
	}
}
