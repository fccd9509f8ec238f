package file

import (
	"encoding/json"
	"errors"
	"reflect"
	"regexp"
	"testing"
	"time"

	"github.com/workspace-go/workspace/store"
)

func TestWireTypesRoundTrip(t *testing.T) {
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))
	f := File{ID: "f1", Container: "conv:c1", Name: "报告.pdf", Version: 2, Size: 10, ContentType: "application/pdf",
		Kind: KindPDF, SHA256: "ab", CreatedBy: "a", CreatedAt: at, UpdatedBy: "b", UpdatedAt: at,
		Thumbnail: StateNone, Text: StateReady, ClientKey: "k"}
	for _, v := range []any{
		f,
		Version{FileID: "f1", Number: 1, Name: "a", Size: 1, Kind: KindImage, CreatedAt: at, Width: 3, Height: 4, Thumbnail: StateReady, Text: StateNone},
		Change{Type: FileMoved, FileID: "f1", Container: "b", From: "a", Actor: "x", At: at, File: &f},
		Upload{Container: "c", Name: "n", ClientKey: "k"},
		Range{Version: 1, Offset: 2, Length: 3},
		SweepResult{Promoted: 1, Temporary: 2, Blobs: 3, Thumbnails: 4},
		store.Page[File]{Items: []File{f}, Next: "x"},
	} {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		p := reflect.New(reflect.TypeOf(v))
		if err := json.Unmarshal(b, p.Interface()); err != nil {
			t.Fatal(err)
		}
		again, err := json.Marshal(p.Elem().Interface())
		if err != nil {
			t.Fatal(err)
		}
		// Equal JSON after a round trip, and no field lost on the way.
		if string(again) != string(b) || reflect.ValueOf(v).IsZero() {
			t.Errorf("%T round trip:\n got %s\nwant %s", v, again, b)
		}
	}
}

func TestWireTypesHaveSnakeCaseTags(t *testing.T) {
	snake := regexp.MustCompile(`^[a-z0-9]+(_[a-z0-9]+)*$`)
	for _, v := range []any{File{}, Version{}, Change{}, Upload{}, Range{}, SweepResult{}} {
		typ := reflect.TypeOf(v)
		for i := range typ.NumField() {
			fl := typ.Field(i)
			tag := fl.Tag.Get("json")
			name, _, _ := cut(tag)
			if !snake.MatchString(name) {
				t.Errorf("%s.%s has json tag %q", typ.Name(), fl.Name, tag)
			}
		}
	}
}

func cut(tag string) (string, string, bool) {
	for i := range tag {
		if tag[i] == ',' {
			return tag[:i], tag[i+1:], true
		}
	}
	return tag, "", false
}

func TestDecodeChange(t *testing.T) {
	if _, ok, err := DecodeChange(store.Change{Kind: "chat", Data: []byte("{")}); ok || err != nil {
		t.Errorf("another kind: ok %v err %v", ok, err)
	}
	if _, ok, err := DecodeChange(store.Change{Kind: ChangeKind, Data: []byte("{")}); !ok || !errors.Is(err, store.ErrInvalid) {
		t.Errorf("malformed: ok %v err %v", ok, err)
	}
	if _, ok, err := DecodeChange(store.Change{Kind: ChangeKind, Data: []byte(`{"type":""}`)}); !ok || !errors.Is(err, store.ErrInvalid) {
		t.Errorf("no type: ok %v err %v", ok, err)
	}
	ch, ok, err := DecodeChange(store.Change{Kind: ChangeKind, Data: []byte(`{"type":"file.created","file_id":"f1"}`)})
	if !ok || err != nil || ch.Type != FileCreated || ch.FileID != "f1" {
		t.Errorf("good record: %+v %v %v", ch, ok, err)
	}
}

func TestSentinelsWrap(t *testing.T) {
	for _, c := range []struct {
		err, want error
	}{
		{ErrTooLarge, ErrInvalid}, {ErrTooLarge, store.ErrTooLarge}, {ErrTooLarge, store.ErrInvalid},
		{ErrContentMissing, store.ErrNotFound}, {ErrCorrupt, store.ErrInvalid}, {ErrUnsupported, store.ErrInvalid},
		{ErrNotFound, store.ErrNotFound}, {ErrPermission, store.ErrPermission},
	} {
		if !errors.Is(c.err, c.want) {
			t.Errorf("%v does not wrap %v", c.err, c.want)
		}
	}
	if got := ErrTooLarge.Error(); got != "too large: invalid argument" {
		t.Errorf("ErrTooLarge reads %q", got)
	}
}
