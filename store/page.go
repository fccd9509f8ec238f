package store

// Page is one page of a listing, the one shape every package returns: the
// items, in the listing's order, and an opaque cursor for the next page.
//
// Next is empty on the last page. Pass it back unchanged to get the next
// page; its contents are the owning package's business and may change
// between releases (a stale or forged cursor is refused with an error
// wrapping [ErrInvalid]).
type Page[T any] struct {
	Items []T    `json:"items"`
	Next  string `json:"next,omitempty"`
}
