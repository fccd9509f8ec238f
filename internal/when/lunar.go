package when

import "time"

// The lunar years lunar_table.go covers; a lunar date outside them
// resolves to nothing.
const (
	lunarFirst = 1950
	lunarLast  = 2100
)

type lunarYear struct {
	newYear  int32  // 正月初一, days since 1970-01-01
	long     uint16 // bit m-1: regular month m has 30 days
	leap     uint8  // leap month, 0 when none
	leapLong bool
}

// lunarToSolar returns the Gregorian date of day d of regular month m of
// lunar year y; ok is false outside the table or for a day the month lacks
// (腊月三十 in a year whose 腊月 has 29 days). d == 0 means the month's last
// day (除夕 is month 12, day 0).
func lunarToSolar(y, m, d int, loc *time.Location) (time.Time, bool) {
	if y < lunarFirst || y > lunarLast || m < 1 || m > 12 || d < 0 || d > 30 {
		return time.Time{}, false
	}
	ly := lunarYears[y-lunarFirst]
	days := int(ly.newYear)
	for k := 1; k < m; k++ {
		days += 29 + int(ly.long>>(k-1)&1)
		if int(ly.leap) == k {
			days += 29
			if ly.leapLong {
				days++
			}
		}
	}
	n := 29 + int(ly.long>>(m-1)&1)
	if d == 0 {
		d = n
	}
	if d > n {
		return time.Time{}, false
	}
	return time.Date(1970, 1, 1+days+d-1, 0, 0, 0, 0, loc), true
}

// nextLunar returns the next date on or after today of lunar month m, day
// d (0: the month's last day).
func nextLunar(m, d int, today time.Time) (time.Time, bool) {
	y := today.Year()
	for ly := y - 1; ly <= y+1; ly++ {
		t, ok := lunarToSolar(ly, m, d, today.Location())
		if ok && !t.Before(today) {
			return t, true
		}
	}
	return time.Time{}, false
}

// qingmingOf returns 清明 of Gregorian year y.
func qingmingOf(y int, loc *time.Location) (time.Time, bool) {
	if y < lunarFirst || y > lunarLast {
		return time.Time{}, false
	}
	return time.Date(y, 4, int(qingming[y-lunarFirst]), 0, 0, 0, 0, loc), true
}
