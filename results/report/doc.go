// Package report draws what parley's summaries hold: charts ([Chart],
// written as PNG and SVG by [WriteCharts]) of a batch, a comparison, a
// sweep or the turn-by-turn bands, and the self-contained HTML page of a
// seminar report ([WriteHTML]).
package report
