package extractors

import "time"

// Calendar arithmetic for deadlines. Every date is a civil date held as a
// time.Time at midnight UTC; nothing here looks at the clock.

const isoDate = "2006-01-02"

// civil returns the date y-m-d at midnight UTC.
func civil(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// validDate reports whether y-m-d is a real calendar date in the years we accept.
func validDate(y, m, d int) bool {
	if y < 1900 || y > 2099 || m < 1 || m > 12 || d < 1 {
		return false
	}
	return d <= daysIn(y, time.Month(m))
}

func daysIn(y int, m time.Month) int {
	return civil(y, m+1, 0).Day()
}

// addMonths adds n calendar months. When the target month has no such day
// (Oct 31 + 4 months), the result is the first day of the following month
// (45 CFR 147.136(d)(2)(i): "the first day of the fifth month").
func addMonths(t time.Time, n int) time.Time {
	y, m, d := t.Date()
	first := civil(y, m+time.Month(n), 1)
	if d > daysIn(first.Year(), first.Month()) {
		return first.AddDate(0, 1, 0)
	}
	return civil(first.Year(), first.Month(), d)
}

// addBusinessDays moves n business days forward, skipping Saturdays,
// Sundays and US federal holidays (observed dates).
func addBusinessDays(t time.Time, n int) time.Time {
	for n > 0 {
		t = t.AddDate(0, 0, 1)
		if isBusinessDay(t) {
			n--
		}
	}
	return t
}

func isBusinessDay(t time.Time) bool {
	switch t.Weekday() {
	case time.Saturday, time.Sunday:
		return false
	}
	return !isFederalHoliday(t)
}

// isFederalHoliday reports whether t is the observed date of a US federal
// holiday (5 U.S.C. 6103). New Year's Day falling on a Saturday is observed
// on December 31 of the year before, hence the look at year+1.
func isFederalHoliday(t time.Time) bool {
	t = civil(t.Year(), t.Month(), t.Day())
	for _, y := range []int{t.Year(), t.Year() + 1} {
		for _, h := range federalHolidays(y) {
			if h.Equal(t) {
				return true
			}
		}
	}
	return false
}

// federalHolidays returns the observed dates of the US federal holidays of
// year y: fixed-date holidays move to Friday when on a Saturday and to
// Monday when on a Sunday. Juneteenth counts from 2021.
func federalHolidays(y int) []time.Time {
	observed := func(m time.Month, d int) time.Time {
		t := civil(y, m, d)
		switch t.Weekday() {
		case time.Saturday:
			return t.AddDate(0, 0, -1)
		case time.Sunday:
			return t.AddDate(0, 0, 1)
		}
		return t
	}
	hs := []time.Time{
		observed(time.January, 1),
		nthWeekday(y, time.January, time.Monday, 3),  // Birthday of Martin Luther King, Jr.
		nthWeekday(y, time.February, time.Monday, 3), // Washington's Birthday
		lastWeekday(y, time.May, time.Monday),        // Memorial Day
		observed(time.July, 4),
		nthWeekday(y, time.September, time.Monday, 1), // Labor Day
		nthWeekday(y, time.October, time.Monday, 2),   // Columbus Day
		observed(time.November, 11),
		nthWeekday(y, time.November, time.Thursday, 4), // Thanksgiving Day
		observed(time.December, 25),
	}
	if y >= 2021 {
		hs = append(hs, observed(time.June, 19))
	}
	return hs
}

// nthWeekday returns the n-th (1-based) weekday wd of month m in year y.
func nthWeekday(y int, m time.Month, wd time.Weekday, n int) time.Time {
	t := civil(y, m, 1)
	off := (int(wd) - int(t.Weekday()) + 7) % 7
	return t.AddDate(0, 0, off+7*(n-1))
}

// lastWeekday returns the last weekday wd of month m in year y.
func lastWeekday(y int, m time.Month, wd time.Weekday) time.Time {
	t := civil(y, m+1, 0)
	off := (int(t.Weekday()) - int(wd) + 7) % 7
	return t.AddDate(0, 0, -off)
}
