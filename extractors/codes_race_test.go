//go:build race

package extractors

const cdRace = true
