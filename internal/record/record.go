// Package record reads and writes a feature package's stored records as
// JSON inside a store transaction: the one copy of what chat, calendar and
// the other packages each used to write for themselves.
package record

import (
	"encoding/json"
	"fmt"

	"github.com/workspace-go/workspace/store"
)

// Get decodes the record at key into v. An absent key returns the store's
// error (wrapping store.ErrNotFound); a record that does not decode returns
// an error wrapping store.ErrInvalid, naming the key.
func Get(tx store.Tx, key []byte, v any) error {
	b, err := tx.Get(key)
	if err != nil {
		return err
	}
	return Decode(key, b, v)
}

// Decode decodes the stored record b, read at key, into v.
func Decode(key, b []byte, v any) error {
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("record %q: %w: %w", key, store.ErrInvalid, err)
	}
	return nil
}

// Put encodes v as JSON and stores it at key.
func Put(tx store.Tx, key []byte, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("record %q: %w", key, err)
	}
	return tx.Put(key, b)
}

// Append encodes v as JSON and appends it to the change log under kind,
// returning its position.
func Append(tx store.Tx, kind string, v any) (uint64, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return 0, fmt.Errorf("change %s: %w", kind, err)
	}
	return tx.Append(kind, b)
}
