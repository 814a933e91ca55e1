package extractors

// ValidNPI reports whether s is a National Provider Identifier: ten digits,
// the first 1 or 2, whose last digit is the Luhn check digit computed over
// the prefix 80840 followed by the first nine digits.
func ValidNPI(s string) bool {
	if len(s) != 10 || (s[0] != '1' && s[0] != '2') {
		return false
	}
	sum := 24 // what the 80840 prefix adds to the Luhn sum
	for i := 8; i >= 0; i-- {
		d := int(s[i]) - '0'
		if d < 0 || d > 9 {
			return false
		}
		if (8-i)%2 == 0 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	c := int(s[9]) - '0'
	return c >= 0 && c <= 9 && (10-sum%10)%10 == c
}
