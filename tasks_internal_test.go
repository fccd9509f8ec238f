package workspace

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestFirstLineCutsOnRuneBoundaries(t *testing.T) {
	cases := []struct {
		in   string
		max  int
		want string
	}{
		{"short\nsecond line", 100, "short"},
		{"报价单", 9, "报价单"},     // fits exactly
		{"报价单发给客户", 9, "报价单"}, // cut on a boundary: keep all three
		{"报价单发给客户", 10, "报价单"},
		{"报价单发给客户", 11, "报价单"},
		{"ab报价", 4, "ab"},
		{"abc", 2, "ab"},
	}
	for _, c := range cases {
		got := firstLine(c.in, c.max)
		if got != c.want || !utf8.ValidString(got) || len(got) > c.max {
			t.Errorf("firstLine(%q, %d) = %q; want %q", c.in, c.max, got, c.want)
		}
	}
	if got := firstLine(strings.Repeat("长", 1000), 1024); len(got) != 1023 {
		t.Errorf("a long Chinese line cut to %d bytes; want 1023", len(got))
	}
}
