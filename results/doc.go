// Package results summarises what the simulator produced and writes the
// summary out.
//
// A [Summary] folds run records ([sim.Record]) into counts and sums whose
// size depends on the scenario, never on the number of runs. Its
// [Summary.Report] turns them into a [Report]: outcome shares with Wilson
// score intervals, mean utilities, end-turn quantiles, agreed terms and the
// most common packages. [WriteJSON], [WriteCSV] and [WriteTable] write a
// Report for tools, for data frames and for people. Telling runs lives in
// results/story, drawing them in results/report.
package results
