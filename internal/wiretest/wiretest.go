// Package wiretest checks the wire format of the library's packages in
// their tests (CONTRIBUTING.md, "The wire format"): every exported field
// of a type an application sends to its clients has a snake_case json
// tag, and values survive a JSON round trip.
//
// It is for tests only; feature packages import it from _test.go files.
package wiretest

import (
	"encoding"
	"encoding/json"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// module is the path prefix of the types that must carry tags; types of
// other modules (time.Time, bleve's) are the business of their authors.
const module = "github.com/workspace-go/workspace"

var snake = regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)

// Tags fails t for every exported field, at any depth, of a struct type of
// this module reachable from roots without a json tag, or with a tag name
// that is not snake_case ("-" is allowed). A root is a value whose type is
// walked, or a pointer to a service (*chat.Service, *chat.System): then the
// parameters and results of each of its exported methods are walked (the
// service itself is not: it is no wire type). It returns the
// struct types it checked, so a test can assert that it reached the ones
// it must.
func Tags(t testing.TB, roots ...any) map[reflect.Type]bool {
	t.Helper()
	seen := map[reflect.Type]bool{}
	var walk func(reflect.Type)
	walk = func(ty reflect.Type) {
		for ty.Kind() == reflect.Pointer || ty.Kind() == reflect.Slice || ty.Kind() == reflect.Array || ty.Kind() == reflect.Map {
			ty = ty.Elem()
		}
		if ty.Kind() != reflect.Struct || seen[ty] || !strings.HasPrefix(ty.PkgPath(), module) {
			return
		}
		if ty.Kind() == reflect.Struct && isServiceType(ty) {
			return
		}
		seen[ty] = true
		if encodesItself(ty) {
			return
		}
		for i := range ty.NumField() {
			f := ty.Field(i)
			if !f.IsExported() {
				continue
			}
			tag, ok := f.Tag.Lookup("json")
			name, _, _ := strings.Cut(tag, ",")
			switch {
			case f.Anonymous && (!ok || name == ""):
				// embedded: its fields are the parent's, checked below
			case !ok:
				t.Errorf("%s.%s has no json tag", ty, f.Name)
			case name != "-" && !snake.MatchString(name):
				t.Errorf("%s.%s: json name %q is not snake_case", ty, f.Name, name)
			}
			walk(f.Type)
		}
	}
	for _, r := range roots {
		rt := reflect.TypeOf(r)
		if rt.Kind() == reflect.Pointer && rt.Elem().Kind() == reflect.Struct && rt.NumMethod() > 0 && isService(rt) {
			for i := range rt.NumMethod() {
				m := rt.Method(i)
				for j := range m.Type.NumIn() {
					walk(m.Type.In(j))
				}
				for j := range m.Type.NumOut() {
					walk(m.Type.Out(j))
				}
			}
			continue
		}
		walk(rt)
	}
	return seen
}

// encodesItself reports whether ty has its own JSON or text encoding
// (task.Due), whose fields are then its business.
func encodesItself(ty reflect.Type) bool {
	p := reflect.PointerTo(ty)
	return p.Implements(reflect.TypeFor[json.Marshaler]()) || p.Implements(reflect.TypeFor[encoding.TextMarshaler]())
}

// isService reports whether rt is a pointer to one of the library's entry
// types, whose method results cross the API.
func isService(rt reflect.Type) bool { return isServiceType(rt.Elem()) }

func isServiceType(ty reflect.Type) bool {
	switch ty.Name() {
	case "Service", "System", "Index", "Workspace":
		return true
	}
	return false
}

// RoundTrip fails t unless each value encodes to JSON and decodes back to
// an equal value of its type. Values are non-pointer structs (or anything
// json handles); compare them with eq when reflect.DeepEqual is too strict
// (times in other zones); nil eq means reflect.DeepEqual.
func RoundTrip(t testing.TB, eq func(a, b any) bool, values ...any) {
	t.Helper()
	if eq == nil {
		eq = reflect.DeepEqual
	}
	for _, v := range values {
		b, err := json.Marshal(v)
		if err != nil {
			t.Errorf("%T: marshal: %v", v, err)
			continue
		}
		p := reflect.New(reflect.TypeOf(v))
		if err := json.Unmarshal(b, p.Interface()); err != nil {
			t.Errorf("%T: unmarshal %s: %v", v, b, err)
			continue
		}
		if got := p.Elem().Interface(); !eq(got, v) {
			t.Errorf("%T: round trip through %s\n got %#v\nwant %#v", v, b, got, v)
		}
	}
}
