package workspace_test

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/workspace-go/workspace"
	"github.com/workspace-go/workspace/chat"
)

func TestEventWireTypesRoundTripAndAreTagged(t *testing.T) {
	ev := workspace.Event{Type: workspace.MessagePosted, Cursor: "abc", Seq: 7, Actor: "u1", At: day,
		Conversation: "c1", MessageID: "m1", Message: &chat.Message{ID: "m1", Text: "hi", CreatedAt: day}}
	n := workspace.Notification{ID: "1", Cause: workspace.CauseMention, Seq: 7, At: day, Delivered: day.Add(time.Hour), Title: "hi", Urgent: true}
	s := workspace.NotificationSettings{Muted: []string{"c1"}, DNDStart: "22:00", DNDEnd: "08:00", Zone: "Asia/Shanghai"}
	for _, v := range []any{ev, n, s, workspace.NotificationQuery{Cursor: "5", Limit: 3}} {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		p := reflect.New(reflect.TypeOf(v))
		if err := json.Unmarshal(b, p.Interface()); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(p.Elem().Interface(), v) {
			t.Fatalf("%T round trip:\n got %+v\nwant %+v", v, p.Elem().Interface(), v)
		}
		typ := reflect.TypeOf(v)
		for i := range typ.NumField() {
			if f := typ.Field(i); f.IsExported() && f.Tag.Get("json") == "" {
				t.Errorf("%s.%s has no json tag", typ.Name(), f.Name)
			}
		}
	}
}
