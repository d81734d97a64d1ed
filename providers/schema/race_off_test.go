//go:build !race

package schema

// raceDetector says whether the tests run under -race.
const raceDetector = false
