package directory_test

import (
	"encoding/json"
	"github.com/workspace-go/workspace/internal/wiretest"
	"reflect"
	"regexp"
	"testing"
	"time"

	"github.com/workspace-go/workspace/directory"
)

// wireTypes are the exported types that cross the API.
var wireTypes = []any{
	directory.User{}, directory.WorkingHours{}, directory.Department{}, directory.Group{},
	directory.Member{}, directory.Change{}, directory.Match{}, directory.SearchQuery{},
	directory.UserQuery{}, directory.ListOptions{}, directory.OrgChart{}, directory.ImportProgress{},
	directory.Memberships{},
}

var snake = regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)

func TestWireTypesHaveSnakeCaseTags(t *testing.T) {
	seen := wiretest.Tags(t, append(wireTypes, &directory.Service{}, &directory.System{})...)
	if !seen[reflect.TypeOf(directory.User{})] {
		t.Error("the walk missed User")
	}
}

func TestWireRoundTrip(t *testing.T) {
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	u := directory.User{
		ID: "u1", Name: "张伟", Pinyin: "zhang wei", Initials: "zw", Email: "zw@example.com", Phone: "+86 138",
		Title: "工程师", Departments: []string{"eng", directory.Root}, Primary: "eng", Manager: "boss",
		TimeZone: "Asia/Shanghai", Locale: "zh-CN", WorkingHours: &directory.WorkingHours{Days: []string{"mon"}, Start: "09:00", End: "18:00"},
		Status: directory.Suspended, Kind: directory.Bot, Attributes: map[string]string{"k": "v"}, ClientKey: "ck", Created: at, Updated: at,
	}
	d := directory.Department{ID: "eng", Name: "研发", Parent: directory.Root, Manager: "boss", Path: []string{directory.Root}, Created: at, Updated: at}
	g := directory.Group{ID: "g", Name: "G", Members: 2, Created: at, Updated: at}
	m := directory.Member{Kind: directory.MemberGroup, ID: "g2"}
	values := []any{
		u, d, g, m,
		directory.Change{Type: directory.UserUpdated, Version: 7, Actor: "admin", At: at, User: &u, Before: &u, Department: &d, PrevParent: "x", Group: &g, Member: &m},
		directory.Match{User: u, Field: directory.MatchPinyin, Exact: true},
		directory.SearchQuery{Text: "zw", Statuses: []directory.Status{directory.Active}, Kind: directory.Person, Limit: 5, Cursor: "c"},
		directory.UserQuery{Department: "eng", Direct: true, Status: directory.Left, Manager: "boss", ListOptions: directory.ListOptions{Limit: 3, Cursor: "c"}},
		directory.OrgChart{Departments: []directory.Department{d}, Users: []directory.User{u}},
		directory.ImportProgress{Stage: "users", Done: 1, Total: 2, Created: 3, Updated: 4, Unchanged: 5},
	}
	for _, v := range values {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		p := reflect.New(reflect.TypeOf(v))
		if err := json.Unmarshal(b, p.Interface()); err != nil {
			t.Fatalf("%T: %v", v, err)
		}
		if got := p.Elem().Interface(); !reflect.DeepEqual(got, v) {
			t.Errorf("%T round trip:\n got %+v\nwant %+v\n%s", v, got, v, b)
		}
	}
	b, _ := json.Marshal(u)
	for _, want := range []string{`"time_zone":"Asia/Shanghai"`, `"status":"suspended"`, `"kind":"bot"`, `"working_hours":`, `"created":"2026-03-02T09:00:00Z"`} {
		if !regexp.MustCompile(regexp.QuoteMeta(want)).Match(b) {
			t.Errorf("%s lacks %s", b, want)
		}
	}
}
