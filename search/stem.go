package search

import (
	"bytes"
	"fmt"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/registry"
)

// Token filters that stem English words with the Snowball English
// stemmer (Porter2, which bleve ships as stemmer_en_snowball). Porter2
// rather than bleve's Porter filter: Porter turns "deploy" into "deploi",
// "news" into "new", "was" into "wa", and leaves "bob's" alone; Porter2
// does none of that and strips possessives.
const (
	// stemName replaces each English word with its stem: the query side.
	stemName = "ws_stem_en"
	// stemKeepName adds the stem of each English word at the word's
	// position and keeps the word itself: the index side. The stem makes
	// "deploy" find "deployed"; the word keeps prefix queries exact
	// ("organiz*" finds "organization", whose stem is "organ").
	stemKeepName = "ws_stem_en_keep"
)

func init() {
	for name, keep := range map[string]bool{stemName: false, stemKeepName: true} {
		if err := registry.RegisterTokenFilter(name, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
			return stemFilter{keep: keep}, nil
		}); err != nil {
			panic(fmt.Sprintf("search: register %s: %v", name, err)) // a second registration: a programming error
		}
	}
}

// stemFilter stems the English words of a token stream; other tokens (Han
// characters and bigrams, words with digits or non-ASCII letters) pass
// unchanged. It runs after lowercase. With keep, a word whose stem
// differs is followed by its stem at the same position and with the same
// offsets, so that highlights mark the word as written.
type stemFilter struct{ keep bool }

// snowball is bleve's Snowball English stemmer, which stems every token
// it is given: stemFilter gives it only English words.
var snowball = en.NewEnglishStemmerFilter()

func (f stemFilter) Filter(in analysis.TokenStream) analysis.TokenStream {
	var words analysis.TokenStream // copies of the English words, to stem
	var from []int                 // the index in in of each of words
	for i, t := range in {
		if w, ok := englishWord(t.Term); ok {
			words = append(words, &analysis.Token{Term: w, Start: t.Start, End: t.End, Position: t.Position, Type: t.Type})
			from = append(from, i)
		}
	}
	if len(words) == 0 {
		return in
	}
	snowball.Filter(words)
	if !f.keep {
		for j, s := range words {
			if len(s.Term) > 0 {
				in[from[j]].Term = s.Term
			}
		}
		return in
	}
	out := make(analysis.TokenStream, 0, len(in)+len(words))
	j := 0
	for i, t := range in {
		out = append(out, t)
		if j < len(from) && from[j] == i {
			if s := words[j]; len(s.Term) > 0 && !bytes.Equal(s.Term, t.Term) {
				out = append(out, s)
			}
			j++
		}
	}
	return out
}

// minStem is the shortest word stemmed: Porter2 leaves shorter ones as
// they are.
const minStem = 3

// englishWord reports whether w is an English word (lowercase ASCII
// letters, possibly with apostrophes, straight or curly), and returns it
// with curly apostrophes made straight for the stemmer.
func englishWord(w []byte) ([]byte, bool) {
	if len(w) < minStem {
		return nil, false
	}
	curly := false
	for i := 0; i < len(w); i++ {
		switch c := w[i]; {
		case c >= 'a' && c <= 'z' || c == '\'':
		case c == 0xe2 && i+2 < len(w) && w[i+1] == 0x80 && w[i+2] == 0x99: // ’
			curly = true
			i += 2
		default:
			return nil, false
		}
	}
	if curly {
		return bytes.ReplaceAll(w, []byte("’"), []byte("'")), true
	}
	return w, true
}
