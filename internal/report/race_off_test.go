//go:build !race

package report

// raceEnabled is true under -race, which changes allocation counts and
// slows tests down about tenfold.
const raceEnabled = false
