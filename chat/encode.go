package chat

import (
	"encoding/json"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"
)

// A post is the hot path of the package, and encoding/json costs about as
// much as the rest of it. The encoders here write a new top-level message
// and its change record by hand, byte for byte as json.Marshal would (a
// test holds them to that), so that everything else reads them as usual.

// appendNewMessage appends to b the JSON of m, a new top-level message,
// up to its position, and returns the rest: b + `"seq":N,` + tail is
// json.Marshal(m) with m.Seq = N.
func appendNewMessage(b []byte, m *Message) (_, tail []byte, err error) {
	tail, err = appendNewMessageTail(nil, m)
	if err != nil {
		return b, nil, err
	}
	return appendNewMessageHead(b, m), tail, nil
}

// appendNewMessageHead appends the JSON of m up to its position.
func appendNewMessageHead(b []byte, m *Message) []byte {
	b = append(b, `{"id":`...)
	b = appendJSONString(b, m.ID)
	b = append(b, `,"conversation":`...)
	b = appendJSONString(b, m.Conversation)
	b = append(b, `,"author":`...)
	b = appendJSONString(b, m.Author)
	return append(b, ',')
}

// appendNewMessageTail appends the JSON of m after its position to t.
func appendNewMessageTail(t []byte, m *Message) ([]byte, error) {
	if y := m.CreatedAt.Year(); y < 0 || y > 9999 {
		c := *m
		_, err := json.Marshal(&c) // the error json gives
		return t, err
	}
	t = slices.Grow(t, 96+len(m.Text)+len(m.ClientID))
	if m.ClientID != "" {
		t = append(t, `"client_id":`...)
		t = appendJSONString(t, m.ClientID)
		t = append(t, ',')
	}
	t = append(t, `"text":`...)
	t = appendJSONString(t, m.Text)
	if len(m.Mentions) > 0 {
		t = append(t, `,"mentions":[`...)
		for i, u := range m.Mentions {
			if i > 0 {
				t = append(t, ',')
			}
			t = appendJSONString(t, u)
		}
		t = append(t, ']')
	}
	if m.MentionAll {
		t = append(t, `,"mention_all":true`...)
	}
	if m.Priority != "" {
		t = append(t, `,"priority":`...)
		t = appendJSONString(t, string(m.Priority))
	}
	t = append(t, `,"created_at":`...)
	t = appendJSONTime(t, m.CreatedAt)
	t = append(t, `,"version":`...)
	t = strconv.AppendInt(t, int64(m.Version), 10)
	return append(t, '}'), nil
}

// appendNewMessageChange appends to b the JSON of m's message.created
// change up to its message: then comes the message's JSON and "}".
func appendNewMessageChange(b []byte, m *Message) []byte {
	b = append(b, `{"type":"`+string(MessageCreated)+`","conversation":`...)
	b = appendJSONString(b, m.Conversation)
	b = append(b, `,"actor":`...)
	b = appendJSONString(b, m.Author)
	b = append(b, `,"at":`...)
	b = appendJSONTime(b, m.CreatedAt)
	b = append(b, `,"message_id":`...)
	b = appendJSONString(b, m.ID)
	return append(b, `,"message":`...)
}

// appendJSONTime appends t as time.Time.MarshalJSON does, for years 0
// through 9999.
func appendJSONTime(b []byte, t time.Time) []byte {
	b = append(b, '"')
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b, '"')
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string the way json.Marshal writes
// it: <, > and & escaped for HTML, invalid UTF-8 as U+FFFD, and U+2028 and
// U+2029 escaped for JavaScript.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	done := 0 // s[:done] is in b
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[done:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			done = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[done:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[done:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		done = i
	}
	b = append(b, s[done:]...)
	return append(b, '"')
}
