package directory

import (
	"strings"
	"unicode"

	"github.com/mozillazg/go-pinyin"
)

// surnames are the readings of characters whose common reading differs
// from the one they have as a family name (多音字姓氏): 单 is "dan" in a
// word but "shan" as a surname. The reading applies to the first
// character of a name only.
var surnames = map[rune]string{
	'单': "shan", '曾': "zeng", '解': "xie", '仇': "qiu", '区': "ou",
	'朴': "piao", '查': "zha", '盖': "ge", '乐': "yue", '覃': "qin",
	'翟': "zhai", '缪': "miao", '繁': "po", '种': "chong", '秘': "bi",
	'员': "yun", '召': "shao", '黑': "he", '薄': "bo", '折': "she",
	'重': "chong", '尉': "wei", '句': "gou", '牟': "mou", '訾': "zi",
	'阚': "kan", '过': "guo", '佴': "nai", '洗': "xian", '冼': "xian",
	'隗': "wei", '逄': "pang", '谌': "chen", '庹': "tuo", '酂': "cuo",
	'长': "chang", '沈': "shen", '柏': "bai", '宁': "ning", '华': "hua",
	'任': "ren", '纪': "ji", '都': "du", '车': "che", '莘': "shen",
	'祭': "zhai", '眭': "sui", '郇': "xun", '令': "ling", '藏': "zang",
}

// compoundSurnames are two-character family names whose reading differs
// from the characters' common readings.
var compoundSurnames = map[string][2]string{
	"尉迟": {"yu", "chi"}, "万俟": {"mo", "qi"}, "长孙": {"zhang", "sun"},
	"单于": {"chan", "yu"}, "澹台": {"tan", "tai"}, "令狐": {"ling", "hu"},
	"乐正": {"yue", "zheng"}, "宰父": {"zai", "fu"}, "亓官": {"qi", "guan"},
	"皇甫": {"huang", "fu"}, "仲长": {"zhong", "chang"}, "长鱼": {"chang", "yu"},
}

var pinyinArgs = pinyin.Args{Style: pinyin.Normal, Fallback: func(rune, pinyin.Args) []string { return nil }}

// romanize returns the pinyin of a display name, syllables and words
// separated by single spaces ("zhang wei", "bob smith"), and its initials
// ("zw", "bs"). Han characters take their most common reading, except a
// family name at the start of the name, which takes its surname reading.
// Letters and digits are kept (lower-cased) as words; anything else
// separates words.
func romanize(name string) (full, initials string) {
	var words []string
	rs := []rune(name)
	start := 0
	if len(rs) >= 2 {
		if p, ok := compoundSurnames[string(rs[:2])]; ok {
			words = append(words, p[0], p[1])
			start = 2
		}
	}
	if start == 0 && len(rs) > 0 {
		if p, ok := surnames[rs[0]]; ok {
			words = append(words, p)
			start = 1
		}
	}
	var word strings.Builder
	flush := func() {
		if word.Len() > 0 {
			words = append(words, word.String())
			word.Reset()
		}
	}
	for _, r := range rs[start:] {
		switch {
		case unicode.Is(unicode.Han, r):
			flush()
			if p := pinyin.SinglePinyin(r, pinyinArgs); len(p) > 0 {
				words = append(words, p[0])
			}
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			word.WriteRune(unicode.ToLower(foldWidth(r)))
		default:
			flush()
		}
	}
	flush()
	var ini strings.Builder
	for _, w := range words {
		r := []rune(w)
		ini.WriteRune(r[0])
	}
	return strings.Join(words, " "), ini.String()
}

// foldWidth maps a full-width ASCII character (Ａ, ０) to its ASCII form.
func foldWidth(r rune) rune {
	if r >= 0xFF01 && r <= 0xFF5E {
		return r - 0xFF01 + '!'
	}
	if r == 0x3000 {
		return ' '
	}
	return r
}
