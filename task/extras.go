package task

import (
	"encoding/json"
	"fmt"
)

// extras are the parts of a record most tasks leave empty, stored after
// the fixed fields as one JSON object (see codec.go), so that adding one
// does not change the layout of the others.
type extras struct {
	ClientKey string `json:"k,omitempty"`
}

func (r *record) extras() (string, error) {
	ex := extras{ClientKey: r.ClientKey}
	if ex == (extras{}) {
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
	r.ClientKey = ex.ClientKey
	return nil
}
