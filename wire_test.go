package workspace_test

import (
	"reflect"
	"testing"

	"github.com/workspace-go/workspace"
	"github.com/workspace-go/workspace/internal/wiretest"
)

func TestWireTypesHaveSnakeCaseJSONTags(t *testing.T) {
	seen := wiretest.Tags(t, &workspace.Workspace{}, workspace.Change{})
	for _, want := range []reflect.Type{reflect.TypeFor[workspace.Swept](), reflect.TypeFor[workspace.Change]()} {
		if !seen[want] {
			t.Errorf("the walk of the API misses %v", want)
		}
	}
}

func TestWireTypesRoundTripThroughJSON(t *testing.T) {
	wiretest.RoundTrip(t, nil,
		workspace.Change{Type: workspace.ChangeSuggested, Conversation: "c1", Message: "m1", Author: "lilei"},
		workspace.Change{Type: workspace.ChangeDocumentText, Document: "d1"},
		workspace.Swept{Reminders: 2, Expired: 1},
	)
}
