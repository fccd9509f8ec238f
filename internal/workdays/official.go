package workdays

import (
	"strconv"
	"sync"
	"time"

	"github.com/6tail/lunar-go/HolidayUtil"
)

// FirstYear and LastYear are the years the official schedule covers in
// full: every public holiday and swapped working day of those years is
// known.
const (
	FirstYear = 2002
	LastYear  = 2027
)

// official is one day of the official schedule.
type official struct {
	name string // 春节, 国庆中秋, ...
	work bool   // a swapped working day (调休), else a day off
}

var (
	officialOnce sync.Once
	officialDays map[civil]official
)

// loadOfficial reads lunar-go's table once.
func loadOfficial() map[civil]official {
	officialOnce.Do(func() {
		m := make(map[civil]official, 40*(LastYear-FirstYear+1))
		for y := FirstYear; y <= LastYear; y++ {
			for e := HolidayUtil.GetHolidaysByYear(y).Front(); e != nil; e = e.Next() {
				h, ok := e.Value.(*HolidayUtil.Holiday)
				if !ok {
					continue
				}
				d, ok := parseCivil(h.GetDay())
				if !ok {
					continue
				}
				m[d] = official{name: h.GetName(), work: h.IsWork()}
			}
		}
		officialDays = m
	})
	return officialDays
}

// civil is a calendar date.
type civil struct {
	y int
	m time.Month
	d int
}

func civilOf(t time.Time) civil {
	y, m, d := t.Date()
	return civil{y, m, d}
}

func (c civil) time(loc *time.Location) time.Time {
	return time.Date(c.y, c.m, c.d, 0, 0, 0, 0, loc)
}

func (c civil) String() string {
	return time.Date(c.y, c.m, c.d, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
}

// parseCivil reads YYYY-MM-DD.
func parseCivil(s string) (civil, bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return civil{}, false
	}
	y, err1 := strconv.Atoi(s[:4])
	m, err2 := strconv.Atoi(s[5:7])
	d, err3 := strconv.Atoi(s[8:])
	if err1 != nil || err2 != nil || err3 != nil || m < 1 || m > 12 || d < 1 || d > 31 {
		return civil{}, false
	}
	return civil{y, time.Month(m), d}, true
}
