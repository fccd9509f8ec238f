// Package workdays is a tenant's work calendar: which days are working
// days, given the weekend, the official public holidays of mainland China
// and their swapped working days (调休), and the tenant's own days off and
// days on.
//
// # Data
//
// The official schedule comes from github.com/6tail/lunar-go's HolidayUtil,
// which transcribes each year's State Council notice (国务院办公厅关于…部分
// 节假日安排的通知). It is read once, on first use, into this package's own
// table; lunar-go's mutable globals are never touched afterwards (this
// package never calls HolidayUtil.Fix). [FirstYear] and [LastYear] are the
// years the data covers in full.
//
// # Years outside the data
//
// A calendar that follows the official schedule cannot know the holidays of
// a year it has no notice for, so it never guesses: [Calendar.IsWorkday],
// [Calendar.NextWorkday] and [Calendar.AddWorkdays] fail with an error
// wrapping [ErrOutOfRange] for any day of such a year, unless the tenant has
// said what that day is ([WithDayOff], [WithDayOn]). A calendar built with
// [WithoutHolidays] knows only weekends and the tenant's days and covers
// years 1 to 9999.
//
// # Dates
//
// A day is given as a time.Time; its calendar date in its own location is
// what counts, the clock is ignored. Results are midnight of the resulting
// day in the argument's location.
//
// # Concurrency
//
// A Calendar is immutable once built and safe for concurrent use.
//
// # Caveats
//
// The schedule is mainland China's. Swapped working days fall on weekends by
// definition; a tenant that does not observe them can mark them off with
// [WithDayOff]. Regional holidays (Hong Kong, Macau, Taiwan) are not
// included.
package workdays
