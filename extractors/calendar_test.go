package extractors

import (
	"testing"
	"time"
)

func TestFederalHolidays(t *testing.T) {
	t.Parallel()
	holidays := []string{
		"2026-01-01", "2026-01-19", "2026-02-16", "2026-05-25", "2026-06-19", "2026-07-03", // July 4 is a Saturday
		"2026-09-07", "2026-10-12", "2026-11-11", "2026-11-26", "2026-12-25",
		"2021-12-31", // New Year's Day 2022 is a Saturday: observed the Friday before
		"2023-01-02", // New Year's Day 2023 is a Sunday
		"2027-06-18", // Juneteenth 2027 is a Saturday
		"2021-06-18", // first Juneteenth, a Saturday
		"2024-05-27", "2024-11-28",
	}
	for _, s := range holidays {
		d, _ := time.Parse(isoDate, s)
		if !isFederalHoliday(d) {
			t.Errorf("%s should be a federal holiday", s)
		}
		if isBusinessDay(d) {
			t.Errorf("%s should not be a business day", s)
		}
	}
	notHolidays := []string{"2026-07-04", "2020-06-19", "2026-03-02", "2026-11-27", "2026-12-24", "2022-01-03"}
	for _, s := range notHolidays {
		d, _ := time.Parse(isoDate, s)
		if isFederalHoliday(d) {
			t.Errorf("%s should not be a federal holiday", s)
		}
	}
	for y := 1990; y <= 2060; y++ {
		n := len(federalHolidays(y))
		if want := 10 + btoi(y >= 2021); n != want {
			t.Errorf("%d: %d holidays, want %d", y, n, want)
		}
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestValidDate(t *testing.T) {
	t.Parallel()
	cases := []struct {
		y, m, d int
		ok      bool
	}{
		{2026, 2, 28, true}, {2026, 2, 29, false}, {2024, 2, 29, true}, {2100, 1, 1, false}, {1899, 12, 31, false},
		{2026, 4, 31, false}, {2026, 13, 1, false}, {2026, 0, 1, false}, {2026, 1, 0, false}, {2000, 2, 29, true},
	}
	for _, c := range cases {
		if got := validDate(c.y, c.m, c.d); got != c.ok {
			t.Errorf("validDate(%d,%d,%d) = %v", c.y, c.m, c.d, got)
		}
	}
}
