package directory

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{"张伟", "zhangwei", "zhang wei", "zw", "@张", "wei.zhang@ex", "+86 138-0013", "ｚｈａｎｇ", "", " @ ", "\xff", "()", "a@", "@@@x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := parseQuery(s)
		if err != nil {
			if len(s) <= MaxQueryLen && utf8.ValidString(s) {
				t.Fatalf("parseQuery(%q) refused a short valid query: %v", s, err)
			}
			return
		}
		if !utf8.ValidString(q.text) {
			t.Fatalf("parseQuery(%q) = %q: bad UTF-8", s, q.text)
		}
		switch q.mode {
		case modePhone:
			if strings.Trim(q.text, "0123456789") != "" || q.text == "" {
				t.Fatalf("phone query %q from %q", q.text, s)
			}
		case modeAny:
			if q.text != squash(q.text) {
				t.Fatalf("query %q from %q is not in term form", q.text, s)
			}
		case modeEmail:
			if !strings.Contains(q.text, "@") || strings.ContainsAny(q.text, " \t\n") {
				t.Fatalf("email query %q from %q", q.text, s)
			}
		}
	})
}

func FuzzRomanize(f *testing.F) {
	for _, s := range []string{"张伟", "单雄信", "尉迟恭", "Bob Smith", "李 Lei", "", "吕", "ｚ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		full, ini := romanize(s)
		words := strings.Fields(full)
		if utf8.RuneCountInString(ini) != len(words) {
			t.Fatalf("romanize(%q) = %q, %q: %d initials for %d words", s, full, ini, utf8.RuneCountInString(ini), len(words))
		}
		if strings.Join(words, " ") != full {
			t.Fatalf("romanize(%q) = %q: not single-spaced", s, full)
		}
	})
}

func TestSurnameReadings(t *testing.T) {
	for name, want := range map[string]string{
		"单雄信": "shan xiong xin", "曾国藩": "zeng guo fan", "解缙": "xie jin", "仇英": "qiu ying",
		"区永": "ou yong", "朴树": "piao shu", "查良镛": "zha liang yong", "尉迟恭": "yu chi gong",
		"万俟卨": "mo qi xie", "张伟": "zhang wei", "Bob Smith": "bob smith", "吕布": "lv bu",
	} {
		if got, _ := romanize(name); got != want {
			t.Errorf("romanize(%q) = %q, want %q", name, got, want)
		}
	}
}
