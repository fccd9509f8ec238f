package directory

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/text/language"
)

// Status is where a user stands with the organisation. It encodes as its
// string.
type Status string

// The statuses of a user.
const (
	// Active users work here: they act, appear in pickers first and may
	// manage others.
	Active Status = "active"
	// Suspended users are kept but may not act (a leave of absence, a
	// blocked account). They may still manage others.
	Suspended Status = "suspended"
	// Left users have departed. They stay in the directory, so names in
	// old messages and documents resolve, but rank last in search and may
	// manage no one.
	Left Status = "left"
)

func (s Status) valid() bool { return s == Active || s == Suspended || s == Left }

// rank orders statuses for search: active first, left last.
func (s Status) rank() int {
	switch s {
	case Active:
		return 0
	case Suspended:
		return 1
	}
	return 2
}

// UserKind tells people from bots. It encodes as its string.
type UserKind string

// The kinds of user.
const (
	// Person is a human member of the organisation (the default).
	Person UserKind = "person"
	// Bot is an application acting in the workspace.
	Bot UserKind = "bot"
)

// User is a member of the directory: a person or a bot.
//
// Pinyin and Initials are computed by the Service from Name (see the
// Pinyin section of the package doc); values sent in are ignored.
type User struct {
	// ID identifies the user in every service of the workspace. When
	// empty on create, the Service names the user.
	ID string `json:"id"`
	// Name is the display name ("张伟", "Bob Smith"). Required.
	Name string `json:"name"`
	// Pinyin is the romanised name, syllables separated by spaces
	// ("zhang wei"); for a name with no Han characters, its words in
	// lower case.
	Pinyin string `json:"pinyin,omitempty"`
	// Initials are the first letters of Pinyin's syllables ("zw").
	Initials string `json:"initials,omitempty"`
	// Email is unique among users, compared without regard to case.
	Email string `json:"email,omitempty"`
	// Phone is unique among users, compared by its digits.
	Phone string `json:"phone,omitempty"`
	// Title is the job title.
	Title string `json:"title,omitempty"`
	// Departments are the departments the user belongs to: at least one
	// (the root department, Root, stands for the whole organisation).
	Departments []string `json:"departments"`
	// Primary is the user's main department, one of Departments; when
	// empty on a write, the first of Departments.
	Primary string `json:"primary"`
	// Manager is the user's direct manager: an existing user who has not
	// left. Empty for the top of the organisation.
	Manager string `json:"manager,omitempty"`
	// TimeZone is an IANA time zone name ("Asia/Shanghai"); empty means
	// unknown (applications fall back to the tenant's zone).
	TimeZone string `json:"time_zone,omitempty"`
	// Locale is a BCP 47 tag ("zh-CN", "en-GB"), stored in canonical form.
	Locale string `json:"locale,omitempty"`
	// WorkingHours are the user's usual hours, in TimeZone; nil when
	// unknown.
	WorkingHours *WorkingHours `json:"working_hours,omitempty"`
	// Status is active when a user is created; change it with SetStatus.
	Status Status `json:"status"`
	// Kind is person (the default) or bot.
	Kind UserKind `json:"kind"`
	// Attributes are an application's own fields (employee number, cost
	// centre): at most MaxAttributes of them.
	Attributes map[string]string `json:"attributes,omitempty"`
	// ClientKey makes a create safe to retry: a second create by the same
	// actor with the same key returns the first user and writes nothing.
	ClientKey string `json:"client_key,omitempty"`
	// Created and Updated are set by the Service.
	Created time.Time `json:"created"`
	Updated time.Time `json:"updated"`
}

// Location returns the user's time zone, or nil when it is unknown.
func (u User) Location() *time.Location {
	if u.TimeZone == "" {
		return nil
	}
	loc, err := loadZone(u.TimeZone)
	if err != nil {
		return nil
	}
	return loc
}

// WorkingHours are a user's usual hours on the days they work, as local
// times "HH:MM" in their time zone. End before Start is an overnight
// shift.
type WorkingHours struct {
	// Days are the working days, "mon" to "sun"; empty means Monday to
	// Friday.
	Days  []string `json:"days,omitempty"`
	Start string   `json:"start"`
	End   string   `json:"end"`
}

var weekdays = map[string]time.Weekday{
	"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday,
	"thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday,
}

// Works reports whether the hours include weekday d.
func (w WorkingHours) Works(d time.Weekday) bool {
	if len(w.Days) == 0 {
		return d >= time.Monday && d <= time.Friday
	}
	for _, s := range w.Days {
		if weekdays[s] == d {
			return true
		}
	}
	return false
}

func parseClock(s string) (int, bool) {
	if len(s) != 5 || s[2] != ':' {
		return 0, false
	}
	h, m := 0, 0
	for _, c := range s[:2] {
		if c < '0' || c > '9' {
			return 0, false
		}
		h = h*10 + int(c-'0')
	}
	for _, c := range s[3:] {
		if c < '0' || c > '9' {
			return 0, false
		}
		m = m*10 + int(c-'0')
	}
	if h > 23 || m > 59 {
		return 0, false
	}
	return h*60 + m, true
}

func (w *WorkingHours) check() error {
	if len(w.Days) > 7 {
		return fmt.Errorf("working hours: %d days: %w", len(w.Days), ErrTooLarge)
	}
	seen := map[string]bool{}
	for _, d := range w.Days {
		if _, ok := weekdays[d]; !ok || seen[d] {
			return fmt.Errorf("working hours: day %q: %w", d, ErrInvalid)
		}
		seen[d] = true
	}
	a, ok1 := parseClock(w.Start)
	b, ok2 := parseClock(w.End)
	if !ok1 || !ok2 || a == b {
		return fmt.Errorf("working hours %q to %q: want distinct HH:MM times: %w", w.Start, w.End, ErrInvalid)
	}
	return nil
}

// zones caches time.LoadLocation, which reads the zone database on every
// call.
var zones sync.Map // string -> *time.Location

func loadZone(name string) (*time.Location, error) {
	if v, ok := zones.Load(name); ok {
		return v.(*time.Location), nil
	}
	if name == "" || name == "Local" || len(name) > 64 {
		return nil, fmt.Errorf("time zone %q: %w", name, ErrInvalid)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("time zone %q: unknown: %w", name, ErrInvalid)
	}
	zones.Store(name, loc)
	return loc, nil
}

func checkID(what, id string) error {
	if id == "" {
		return fmt.Errorf("%s: empty id: %w", what, ErrInvalid)
	}
	if len(id) > MaxIDLen {
		return fmt.Errorf("%s id of %d bytes (max %d): %w", what, len(id), MaxIDLen, ErrTooLarge)
	}
	if !utf8.ValidString(id) || strings.ContainsFunc(id, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return fmt.Errorf("%s id %q: control characters or bad UTF-8: %w", what, id, ErrInvalid)
	}
	return nil
}

func checkText(what, s string, max int, required bool) error {
	if len(s) > max {
		return fmt.Errorf("%s of %d bytes (max %d): %w", what, len(s), max, ErrTooLarge)
	}
	if !utf8.ValidString(s) {
		return fmt.Errorf("%s: bad UTF-8: %w", what, ErrInvalid)
	}
	if required && strings.TrimSpace(s) == "" {
		return fmt.Errorf("%s: empty: %w", what, ErrInvalid)
	}
	return nil
}

func checkClientKey(k string) error { return checkText("client key", k, MaxClientKeyLen, false) }

// normEmail returns the key an email address is unique by.
func normEmail(e string) string { return strings.ToLower(strings.TrimSpace(e)) }

// phoneDigits returns the digits of a phone number, the key it is unique
// by.
func phoneDigits(p string) string {
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		if c := p[i]; c >= '0' && c <= '9' {
			b.WriteByte(c)
		}
	}
	return b.String()
}

// normalize validates u's own fields (not those that need the store),
// fills defaults and computes pinyin. It works on a copy of the slices and
// map, so the caller's value is left alone.
func normalize(u User) (User, error) {
	if err := checkID("user", u.ID); err != nil {
		return u, err
	}
	if err := checkText("name", u.Name, MaxNameLen, true); err != nil {
		return u, err
	}
	u.Name = strings.TrimSpace(u.Name)
	if err := checkText("title", u.Title, MaxTitleLen, false); err != nil {
		return u, err
	}
	if err := checkText("email", u.Email, MaxEmailLen, false); err != nil {
		return u, err
	}
	u.Email = strings.TrimSpace(u.Email)
	if u.Email != "" {
		at := strings.LastIndexByte(u.Email, '@')
		if at <= 0 || at == len(u.Email)-1 || strings.ContainsAny(u.Email, " \t\r\n<>,;") {
			return u, fmt.Errorf("email %q: not an address: %w", u.Email, ErrInvalid)
		}
	}
	if err := checkText("phone", u.Phone, MaxPhoneLen, false); err != nil {
		return u, err
	}
	u.Phone = strings.TrimSpace(u.Phone)
	if u.Phone != "" {
		d := phoneDigits(u.Phone)
		if len(d) < 3 || strings.Trim(u.Phone, "0123456789+-() .") != "" {
			return u, fmt.Errorf("phone %q: want digits, spaces, + - ( ) .: %w", u.Phone, ErrInvalid)
		}
	}
	if len(u.Departments) == 0 {
		return u, fmt.Errorf("user %q in no department (use directory.Root for the whole organisation): %w", u.ID, ErrInvalid)
	}
	if len(u.Departments) > MaxUserDepartments {
		return u, fmt.Errorf("user %q in %d departments (max %d): %w", u.ID, len(u.Departments), MaxUserDepartments, ErrTooLarge)
	}
	u.Departments = slices.Clone(u.Departments)
	for i, d := range u.Departments {
		if err := checkID("department", d); err != nil {
			return u, err
		}
		if slices.Contains(u.Departments[:i], d) {
			return u, fmt.Errorf("user %q: department %q listed twice: %w", u.ID, d, ErrInvalid)
		}
	}
	if u.Primary == "" {
		u.Primary = u.Departments[0]
	} else if !slices.Contains(u.Departments, u.Primary) {
		return u, fmt.Errorf("user %q: primary department %q is not one of the user's departments: %w", u.ID, u.Primary, ErrInvalid)
	}
	if u.Manager != "" {
		if err := checkID("manager", u.Manager); err != nil {
			return u, err
		}
		if u.Manager == u.ID {
			return u, fmt.Errorf("user %q is their own manager: %w", u.ID, ErrCycle)
		}
	}
	if u.TimeZone != "" {
		if _, err := loadZone(u.TimeZone); err != nil {
			return u, err
		}
	}
	if u.Locale != "" {
		if len(u.Locale) > MaxLocaleLen {
			return u, fmt.Errorf("locale of %d bytes (max %d): %w", len(u.Locale), MaxLocaleLen, ErrTooLarge)
		}
		tag, err := language.Parse(u.Locale)
		if err != nil {
			return u, fmt.Errorf("locale %q: not a BCP 47 tag: %w", u.Locale, ErrInvalid)
		}
		u.Locale = tag.String()
	}
	if u.WorkingHours != nil {
		w := *u.WorkingHours
		w.Days = slices.Clone(w.Days)
		if err := w.check(); err != nil {
			return u, err
		}
		u.WorkingHours = &w
	}
	switch u.Status {
	case "":
		u.Status = Active
	case Active, Suspended, Left:
	default:
		return u, fmt.Errorf("status %q: %w", u.Status, ErrInvalid)
	}
	switch u.Kind {
	case "":
		u.Kind = Person
	case Person, Bot:
	default:
		return u, fmt.Errorf("kind %q: %w", u.Kind, ErrInvalid)
	}
	if len(u.Attributes) > MaxAttributes {
		return u, fmt.Errorf("%d attributes (max %d): %w", len(u.Attributes), MaxAttributes, ErrTooLarge)
	}
	for k, v := range u.Attributes {
		if err := checkText("attribute name", k, MaxAttributeKeyLen, true); err != nil {
			return u, err
		}
		if err := checkText(fmt.Sprintf("attribute %q", k), v, MaxAttributeValueLen, false); err != nil {
			return u, err
		}
	}
	if len(u.Attributes) == 0 {
		u.Attributes = nil
	} else {
		u.Attributes = maps.Clone(u.Attributes)
	}
	if err := checkClientKey(u.ClientKey); err != nil {
		return u, err
	}
	u.Pinyin, u.Initials = romanize(u.Name)
	return u, nil
}

// sameContent reports whether a and b differ only in bookkeeping fields
// (times and client key).
func sameContent(a, b User) bool {
	if scalars(a) != scalars(b) || !slices.Equal(a.Departments, b.Departments) || !maps.Equal(a.Attributes, b.Attributes) {
		return false
	}
	if (a.WorkingHours == nil) != (b.WorkingHours == nil) {
		return false
	}
	return a.WorkingHours == nil || (slices.Equal(a.WorkingHours.Days, b.WorkingHours.Days) &&
		a.WorkingHours.Start == b.WorkingHours.Start && a.WorkingHours.End == b.WorkingHours.End)
}

type userScalars struct {
	id, name, pinyin, initials, email, phone, title, primary, manager, zone, locale string
	status                                                                          Status
	kind                                                                            UserKind
}

func scalars(u User) userScalars {
	return userScalars{u.ID, u.Name, u.Pinyin, u.Initials, u.Email, u.Phone, u.Title, u.Primary, u.Manager, u.TimeZone, u.Locale, u.Status, u.Kind}
}
