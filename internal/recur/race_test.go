//go:build race

package recur

// raceEnabled reports a -race build, which runs the code ~10x slower.
const raceEnabled = true
