package directory

// Limits on what a caller controls. A breach is refused with an error
// wrapping ErrTooLarge (or ErrInvalid) before anything is written.
const (
	// MaxIDLen is the longest id of a user, department or group, in bytes.
	MaxIDLen = 128
	// MaxNameLen is the longest display name of a user, department or
	// group, in bytes.
	MaxNameLen = 256
	// MaxTitleLen is the longest job title, in bytes.
	MaxTitleLen = 256
	// MaxEmailLen is the longest email address, in bytes (RFC 5321).
	MaxEmailLen = 254
	// MaxPhoneLen is the longest phone number as written, in bytes.
	MaxPhoneLen = 32
	// MaxLocaleLen is the longest locale tag, in bytes.
	MaxLocaleLen = 35
	// MaxClientKeyLen is the longest client key, in bytes.
	MaxClientKeyLen = 128
	// MaxUserDepartments is the most departments one user belongs to.
	MaxUserDepartments = 20
	// MaxAttributes is the most custom attributes on one user.
	MaxAttributes = 32
	// MaxAttributeKeyLen is the longest custom attribute name, in bytes.
	MaxAttributeKeyLen = 64
	// MaxAttributeValueLen is the longest custom attribute value, in bytes.
	MaxAttributeValueLen = 1024
	// MaxDepth is the deepest a department may sit below the root: the
	// root is at depth 0, its children at 1.
	MaxDepth = 32
	// MaxChain is the longest reporting chain (a user's manager, their
	// manager, ...). A manager whose chain would be longer is refused.
	MaxChain = 64
	// MaxMoveUsers is the most users (counted in the moved department's
	// subtree) one MoveDepartment may carry, so that one move stays a
	// short transaction (about 16 µs of CPU per user on boltstore, so
	// under 100 ms). Move sub-departments one at a time beyond it.
	MaxMoveUsers = 5000
	// MaxMoveDepartments is the most departments one MoveDepartment may
	// carry (the moved department and its descendants).
	MaxMoveDepartments = 5000
	// MaxGroupWalk is the most groups a cycle check or a user's
	// transitive groups may visit.
	MaxGroupWalk = 10000
	// MaxPageSize is the largest page of a listing; DefaultPageSize is
	// used when a query asks for none.
	MaxPageSize = 500
	// DefaultPageSize is the page size of a listing that asks for none.
	DefaultPageSize = 50
	// MaxQueryLen is the longest people-search query, in bytes.
	MaxQueryLen = 128
	// MaxSearchResults is the most matches one search page holds;
	// DefaultSearchResults is used when a query asks for none.
	MaxSearchResults = 100
	// DefaultSearchResults is the size of a search page that asks for none.
	DefaultSearchResults = 20
	// MaxSearchDepth is how far down the ranking search pages reach.
	MaxSearchDepth = 1000
	// MaxImportUsers and MaxImportDepartments bound one Import.
	MaxImportUsers = 200000
	// MaxImportDepartments is the most departments one Import may hold.
	MaxImportDepartments = 20000
	// ImportBatch is how many records Import writes per transaction.
	ImportBatch = 250
)
