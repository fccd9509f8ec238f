package when

import "unicode/utf8"

// digits reads 1..max ASCII or full-width digits at s[i:].
func digits(s string, i, max int) (v, j int, ok bool) {
	j = i
	n := 0
	for j < len(s) && n < max {
		c := s[j]
		if c >= '0' && c <= '9' {
			v = v*10 + int(c-'0')
			j++
			n++
			continue
		}
		// Full-width digits ０..９ are U+FF10..U+FF19: EF BC 90..99.
		if c == 0xEF && j+2 < len(s) && s[j+1] == 0xBC && s[j+2] >= 0x90 && s[j+2] <= 0x99 {
			v = v*10 + int(s[j+2]-0x90)
			j += 3
			n++
			continue
		}
		break
	}
	if n == 0 {
		return 0, i, false
	}
	// A number running on past max digits is not ours (a phone number, an id).
	if j < len(s) && s[j] >= '0' && s[j] <= '9' {
		return 0, i, false
	}
	return v, j, true
}

// zhDigit returns the value of a Chinese numeral character, 10 for 十, or -1.
func zhDigit(r rune) int {
	switch r {
	case '零', '〇':
		return 0
	case '一':
		return 1
	case '二', '两', '兩':
		return 2
	case '三':
		return 3
	case '四':
		return 4
	case '五':
		return 5
	case '六':
		return 6
	case '七':
		return 7
	case '八':
		return 8
	case '九':
		return 9
	case '十':
		return 10
	}
	return -1
}

// zhNum reads a Chinese numeral at s[i:]: 三, 十五, 二十四, 三十一, or a
// digit-by-digit year such as 二零二五. Values above 99 only come from the
// digit-by-digit form.
func zhNum(s string, i int) (v, j int, ok bool) {
	var ds [5]int
	var ends [5]int
	n := 0
	j = i
	for j < len(s) && n < 5 {
		r, size := utf8.DecodeRuneInString(s[j:])
		d := zhDigit(r)
		if d < 0 {
			break
		}
		ds[n] = d
		j += size
		ends[n] = j
		n++
	}
	if n == 0 {
		return 0, i, false
	}
	ten := -1
	for k := 0; k < n; k++ {
		if ds[k] == 10 {
			ten = k
			break
		}
	}
	if ten < 0 {
		if n == 1 {
			return ds[0], ends[0], true
		}
		for k := 0; k < n; k++ {
			v = v*10 + ds[k]
		}
		return v, ends[n-1], true
	}
	// [a]十[b]
	if ten > 1 {
		return 0, i, false
	}
	a := 1
	if ten == 1 {
		a = ds[0]
		if a == 0 || a == 10 {
			return 0, i, false
		}
	}
	v = a * 10
	end := ends[ten]
	if ten+1 < n && ds[ten+1] > 0 && ds[ten+1] < 10 {
		v += ds[ten+1]
		end = ends[ten+1]
	}
	return v, end, true
}

// num reads digits or a Chinese numeral.
func num(s string, i, max int) (v, j int, ok bool) {
	if v, j, ok = digits(s, i, max); ok {
		return v, j, ok
	}
	return zhNum(s, i)
}

var enUnits = [...]string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
	"ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"}

var enTens = [...]string{"", "", "twenty", "thirty", "forty", "fifty"}

var enOrdUnits = [...]string{"", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
	"tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth"}

var enOrdTens = [...]string{"", "", "twentieth", "thirtieth"}

// The small number words indexed by first letter.
var enUnitsByFirst, enOrdUnitsByFirst [26][]int8

func init() {
	for k, w := range enUnits {
		enUnitsByFirst[w[0]-'a'] = append(enUnitsByFirst[w[0]-'a'], int8(k))
	}
	for k, w := range enOrdUnits {
		if w != "" {
			enOrdUnitsByFirst[w[0]-'a'] = append(enOrdUnitsByFirst[w[0]-'a'], int8(k))
		}
	}
}

// enSmall reads one..nineteen (ordinal when ord) as a whole word.
func enSmall(s string, i int, ord bool) (v, j int, ok bool) {
	if i >= len(s) || s[i]|0x20 < 'a' || s[i]|0x20 > 'z' {
		return 0, i, false
	}
	tab, idx := enUnits[:], &enUnitsByFirst
	if ord {
		tab, idx = enOrdUnits[:], &enOrdUnitsByFirst
	}
	// Longest first so "seventeen" wins over "seven".
	best, bestJ := -1, i
	for _, k := range idx[s[i]|0x20-'a'] {
		if e, ok := word(s, i, tab[k]); ok && e > bestJ {
			best, bestJ = int(k), e
		}
	}
	if best < 0 {
		return 0, i, false
	}
	return best, bestJ, true
}

// enNum reads an English number word from zero to fifty-nine: "seven",
// "twenty-seven", "twenty seven". With ord it reads ordinals up to
// thirty-first instead.
func enNum(s string, i int, ord bool) (v, j int, ok bool) {
	if i >= len(s) || !numFirst[s[i]] {
		return 0, i, false
	}
	for k := 2; k < len(enTens); k++ {
		e, ok := word(s, i, enTens[k])
		if !ok {
			continue
		}
		// twenty[-| ]seven
		m := e
		if m < len(s) && (s[m] == '-' || s[m] == ' ') {
			if u, e2, ok := enSmall(s, m+1, ord); ok && u > 0 && u < 10 {
				return k*10 + u, e2, true
			}
		}
		if ord {
			if k < len(enOrdTens) {
				if e, ok := word(s, i, enOrdTens[k]); ok {
					return k * 10, e, true
				}
			}
			return 0, i, false
		}
		return k * 10, e, true
	}
	return enSmall(s, i, ord)
}

// ordinal reads "21st", "2nd", "3rd", "4th" (also the sloppy "2th") or an
// ordinal word.
func ordinal(s string, i int) (v, j int, ok bool) {
	if v, j, ok := digits(s, i, 2); ok {
		for _, suf := range [...]string{"st", "nd", "rd", "th"} {
			if e, ok := word(s, j, suf); ok {
				return v, e, true
			}
		}
		return 0, i, false
	}
	return enNum(s, i, true)
}
