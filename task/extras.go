package task

import (
	"encoding/json"
	"fmt"
)

// extras are the parts of a record most tasks leave empty, stored after
// the fixed fields as one JSON object (see codec.go), so that adding one
// does not change the layout of the others.
type extras struct {
	ClientKey string         `json:"k,omitempty"`
	Parent    string         `json:"p,omitempty"`
	Subtasks  Subtasks       `json:"s,omitzero"`
	Checklist []CheckItem    `json:"c,omitempty"`
	CheckSeq  int            `json:"cs,omitempty"`
	Repeat    *Repeat        `json:"r,omitempty"`
	Nudges    int            `json:"n,omitempty"`
	Nudged    map[string]int `json:"an,omitempty"` // assignee -> nudges
}

func (r *record) extras() (string, error) {
	ex := extras{
		ClientKey: r.ClientKey, Parent: r.Parent, Subtasks: r.Subtasks, Checklist: r.Checklist,
		CheckSeq: r.CheckSeq, Repeat: r.Repeat, Nudges: r.Nudges,
	}
	for _, a := range r.Assignees {
		if a.Nudges > 0 {
			if ex.Nudged == nil {
				ex.Nudged = map[string]int{}
			}
			ex.Nudged[a.User] = a.Nudges
		}
	}
	if ex.ClientKey == "" && ex.Parent == "" && ex.Subtasks == (Subtasks{}) && len(ex.Checklist) == 0 &&
		ex.CheckSeq == 0 && ex.Repeat == nil && ex.Nudges == 0 && ex.Nudged == nil {
		return "", nil
	}
	b, err := json.Marshal(ex)
	if err != nil {
		return "", fmt.Errorf("task: encode record extras: %w", err)
	}
	return string(b), nil
}

func (r *record) setExtras(s string) error {
	if s == "" {
		return nil
	}
	var ex extras
	if err := json.Unmarshal([]byte(s), &ex); err != nil {
		return errCodec
	}
	r.ClientKey, r.Parent, r.Subtasks, r.Checklist = ex.ClientKey, ex.Parent, ex.Subtasks, ex.Checklist
	r.CheckSeq, r.Repeat, r.Nudges = ex.CheckSeq, ex.Repeat, ex.Nudges
	for i := range r.Assignees {
		r.Assignees[i].Nudges = ex.Nudged[r.Assignees[i].User]
	}
	return nil
}
