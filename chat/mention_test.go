package chat_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/workspace-go/workspace/chat"
)

func TestParseMentions(t *testing.T) {
	cases := []struct {
		text  string
		users []string
		all   bool
	}{
		{"hi @bob", []string{"bob"}, false},
		{"@bob, @cat and @bob again.", []string{"bob", "cat"}, false},
		{"mail bob@example.com", nil, false},
		{"@all hands", nil, true},
		{"@Channel @here", nil, true},
		{"@小王 明天下午3点前把报价单发给客户", []string{"小王"}, false},
		{"@所有人 注意", nil, true},
		{"ends with @ann.", []string{"ann"}, false},
		{"(@jo.smith)", []string{"jo.smith"}, false},
		{"@ alone and @@dan", []string{"dan"}, false},
		{"no mentions", nil, false},
	}
	for _, tc := range cases {
		t.Run(tc.text, func(t *testing.T) {
			users, all := chat.ParseMentions(tc.text)
			if !equal(users, tc.users) || all != tc.all {
				t.Errorf("got %q all=%v, want %q all=%v", users, all, tc.users, tc.all)
			}
		})
	}
}

func FuzzParseMentions(f *testing.F) {
	for _, s := range []string{"hi @bob", "@all", "a@b @c.d- @小王 x", "@@", "@\xff", "@bob.\n@cat", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		users, _ := chat.ParseMentions(text)
		seen := map[string]bool{}
		for _, u := range users {
			switch {
			case u == "":
				t.Fatal("empty mention")
			case seen[u]:
				t.Fatalf("mention %q repeated", u)
			case !strings.Contains(text, "@"+u):
				t.Fatalf("mention %q not in the text", u)
			case utf8.ValidString(text) && !utf8.ValidString(u):
				t.Fatalf("mention %q not valid UTF-8", u)
			case strings.ContainsAny(u, " @\t\n"):
				t.Fatalf("mention %q holds a separator", u)
			}
			seen[u] = true
		}
	})
}
