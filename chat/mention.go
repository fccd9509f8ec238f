package chat

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// allAliases are the words that mention everyone in the conversation, as
// people type them in Slack, Mattermost, Feishu and WeCom.
var allAliases = map[string]bool{"all": true, "channel": true, "everyone": true, "here": true, "所有人": true}

// ParseMentions returns the users text mentions with @user, in order of
// first appearance and without repeats, and whether it mentions everyone
// with @all (also spelled @channel, @everyone, @here or @所有人, in any
// letter case).
//
// A mention starts with '@' at the start of the text or after a character
// that is not a letter, digit or '_' (so "bob@example.com" mentions no
// one) and runs over letters, digits, marks, '_', '-' and '.'; a trailing
// '.' or '-' ends the sentence rather than the name. "@小王 明天" mentions
// 小王: a mention ends at a space or punctuation, so "@小王明天" would be
// read as the user "小王明天".
func ParseMentions(text string) (users []string, all bool) {
	var seen map[string]bool
	prev := rune(-1)
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if r != '@' || (prev >= 0 && isWordRune(prev)) {
			prev = r
			i += size
			continue
		}
		j := i + size
		for j < len(text) {
			r2, s2 := utf8.DecodeRuneInString(text[j:])
			if r2 == utf8.RuneError && s2 <= 1 || !isNameRune(r2) {
				break
			}
			j += s2
		}
		name := strings.TrimRight(text[i+size:j], ".-")
		switch {
		case name == "":
		case allAliases[strings.ToLower(name)]:
			all = true
		case seen != nil:
			if !seen[name] {
				seen[name] = true
				users = append(users, name)
			}
		case !slices.Contains(users, name):
			users = append(users, name)
			if len(users) == 16 { // from here on, a set: text may hold thousands
				seen = make(map[string]bool, 64)
				for _, u := range users {
					seen[u] = true
				}
			}
		}
		prev = '@'
		if j > i+size {
			last, _ := utf8.DecodeLastRuneInString(text[i+size : j])
			prev = last
		}
		i = j
	}
	return users, all
}

func isWordRune(r rune) bool { return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) }

func isNameRune(r rune) bool {
	return r == '_' || r == '-' || r == '.' || unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}
