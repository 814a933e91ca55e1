package main

import (
	"fmt"
	"time"
)

// day is a calendar date at UTC midnight.
type day = time.Time

func ymd(y int, m time.Month, d int) day { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func iso(d day) string { return d.Format("2006-01-02") }

// addDays adds n calendar days.
func addDays(d day, n int) day { return d.AddDate(0, 0, n) }

// addMonths adds n calendar months; when the target month has no such day
// (Oct 31 + 4 months), the result is the first day of the following month,
// as 45 CFR 147.136(d)(2)(i) states for the four-month external-review window.
func addMonths(d day, n int) day {
	y, m, dd := d.Date()
	tm := time.Month(int(m) + n)
	first := time.Date(y, tm, 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	if dd > last {
		return first.AddDate(0, 1, 0)
	}
	return time.Date(first.Year(), first.Month(), dd, 0, 0, 0, 0, time.UTC)
}

// addBusinessDays counts n days that are neither weekend days nor US federal
// holidays (observed dates), starting the day after d.
func addBusinessDays(d day, n int) day {
	for n > 0 {
		d = addDays(d, 1)
		if isBusinessDay(d) {
			n--
		}
	}
	return d
}

func isBusinessDay(d day) bool {
	if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false
	}
	return !isFederalHoliday(d)
}

// isFederalHoliday reports whether d is a US federal holiday as observed
// (5 U.S.C. 6103: Saturday holidays are observed on Friday, Sunday ones on Monday).
func isFederalHoliday(d day) bool {
	for _, y := range []int{d.Year() - 1, d.Year(), d.Year() + 1} {
		for _, h := range federalHolidays(y) {
			if h.Equal(d) {
				return true
			}
		}
	}
	return false
}

func federalHolidays(y int) []day {
	observed := func(d day) day {
		switch d.Weekday() {
		case time.Saturday:
			return addDays(d, -1)
		case time.Sunday:
			return addDays(d, 1)
		}
		return d
	}
	nth := func(m time.Month, wd time.Weekday, n int) day {
		d := ymd(y, m, 1)
		for d.Weekday() != wd {
			d = addDays(d, 1)
		}
		return addDays(d, 7*(n-1))
	}
	last := func(m time.Month, wd time.Weekday) day {
		d := ymd(y, m+1, 1).AddDate(0, 0, -1)
		for d.Weekday() != wd {
			d = addDays(d, -1)
		}
		return d
	}
	return []day{
		observed(ymd(y, time.January, 1)),
		nth(time.January, time.Monday, 3),
		nth(time.February, time.Monday, 3),
		last(time.May, time.Monday),
		observed(ymd(y, time.June, 19)),
		observed(ymd(y, time.July, 4)),
		nth(time.September, time.Monday, 1),
		nth(time.October, time.Monday, 2),
		observed(ymd(y, time.November, 11)),
		nth(time.November, time.Thursday, 4),
		observed(ymd(y, time.December, 25)),
	}
}

// Date print styles seen on real paperwork.
var dateStyles = []func(d day) string{
	func(d day) string { return d.Format("January 2, 2006") },
	func(d day) string { return d.Format("01/02/2006") },
	func(d day) string { return d.Format("1/2/2006") },
	func(d day) string { return d.Format("Jan 2, 2006") },
	func(d day) string { return d.Format("01-02-2006") },
	func(d day) string { return d.Format("2006-01-02") },
	func(d day) string { return d.Format("2 January 2006") },
	func(d day) string { return d.Format("1/2/06") },
	func(d day) string { return d.Format("Jan. 2, 2006") },
	func(d day) string { return fmt.Sprintf("%s %d, %d", d.Month(), d.Day(), d.Year()) },
}

var numberWords = map[int]string{
	5: "five", 7: "seven", 10: "ten", 14: "fourteen", 15: "fifteen", 30: "thirty",
	45: "forty-five", 60: "sixty", 65: "sixty-five", 90: "ninety",
	120: "one hundred twenty", 180: "one hundred eighty", 4: "four", 6: "six", 12: "twelve",
}
