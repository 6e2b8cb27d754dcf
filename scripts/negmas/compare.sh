#!/usr/bin/env bash
# compare.sh: negotiations a second, parley against NegMAS, on the domain
# of bilateral.toml (3 issues of 10 levels, two Boulware negotiators, 100
# steps), one core each, in one sitting.
#
# Each pair runs, in turn: parley with the weights drawn every run (its
# utility table rebuilt every run), NegMAS with the weights drawn every
# negotiation, parley with constant weights (the table built once and
# cached), NegMAS with constant weights. It prints every measurement, then
# the medians with their ranges and the paired ratios (parley / NegMAS of
# the same pair). docs/benchmarks.md says how to set NegMAS up.
#
# Environment:
#   NEGMAS_PATH    directories to put on PYTHONPATH for NegMAS (its src/
#                  and any dependency added from source), colon-separated;
#                  without a NegMAS that imports, only parley is measured
#   PYTHON         the interpreter (default /usr/bin/python3, Debian's)
#   PARLEY         a parley binary (default: built from this checkout)
#   PAIRS          pairs of measurements (default 5)
#   PARLEY_RUNS    parley runs a measurement, weights drawn (default 10000)
#   CACHED_RUNS    parley runs a measurement, weights constant (default 50000)
#   NEGMAS_RUNS    NegMAS negotiations a measurement (default 150)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
scenario=$here/bilateral.toml
python=${PYTHON:-/usr/bin/python3}
pairs=${PAIRS:-5}
parley_runs=${PARLEY_RUNS:-10000}
cached_runs=${CACHED_RUNS:-50000}
negmas_runs=${NEGMAS_RUNS:-150}

# The cached case: bilateral.toml's weights made constant.
cached=(--set actors.buyer.weights.i1=0.5 --set actors.buyer.weights.i2=0.3 --set actors.buyer.weights.i3=0.2
	--set actors.seller.weights.i1=0.2 --set actors.seller.weights.i2=0.3 --set actors.seller.weights.i3=0.5)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

parley=${PARLEY:-}
if [[ -z $parley ]]; then
	(cd "$root" && go build -o "$tmp/parley" ./cmd/parley)
	parley=$tmp/parley
fi

# One core each: one parley worker on one Go processor; NegMAS is
# single-threaded, and numpy's thread pools are held to one thread.
export GOMAXPROCS=1 OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
if [[ -n ${NEGMAS_PATH:-} ]]; then
	export PYTHONPATH=$NEGMAS_PATH${PYTHONPATH:+:$PYTHONPATH}
fi

negmas=1
if ! err=$("$python" -c 'import negmas.sao, negmas.gb.negotiators.timebased' 2>&1); then
	negmas=0
	echo "NegMAS does not import with $python and PYTHONPATH=${PYTHONPATH:-(empty)}:" >&2
	echo "${err##*$'\n'}" >&2
	echo "measuring parley alone" >&2
fi

# parley_rate CASE RUNS ARGS...: runs the whole command with one worker
# and records its runs a second (wall time of the process, start-up
# included) and its mean end turn.
parley_rate() {
	local case=$1 runs=$2
	shift 2
	local t0 t1
	t0=$EPOCHREALTIME
	"$parley" run "$scenario" --runs "$runs" --workers 1 --format json "$@" >"$tmp/out.json"
	t1=$EPOCHREALTIME
	local turns agreed
	read -r turns agreed < <("$python" -c 'import json, sys
d = json.load(open(sys.argv[1]))
print(d["turns"]["mean"], d["outcomes"]["agreement"]["share"])' "$tmp/out.json")
	awk -v c="$case" -v n="$runs" -v a="$t0" -v b="$t1" -v t="$turns" -v g="$agreed" \
		'BEGIN { s = b - a; printf "%s parley %.1f runs=%d seconds=%.3f mean_turns=%s agreed=%s\n", c, n / s, n, s, t, g }' |
		tee -a "$tmp/log"
}

# negmas_rate CASE ARGS...: runs negmas_bench.py and records its
# negotiations a second (the timed loop only: imports and warm-up
# excluded).
negmas_rate() {
	local case=$1
	shift
	local line
	line=$("$python" "$here/negmas_bench.py" --negotiations "$negmas_runs" "$@")
	awk -v c="$case" -v l="$line" 'BEGIN {
		n = split(l, kv, " ")
		for (i = 1; i <= n; i++) { split(kv[i], p, "="); f[p[1]] = p[2] }
		printf "%s negmas %.2f runs=%d seconds=%.3f mean_steps=%s agreed=%s\n", c, f["per_second"], f["negotiations"], f["seconds"], f["mean_steps"], f["agreed"]
	}' | tee -a "$tmp/log"
}

if [[ -n ${PARLEY:-} ]]; then
	what="parley: $PARLEY"
else
	what="parley built at $(git -C "$root" describe --always --dirty 2>/dev/null || echo "an unknown commit")"
fi
echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ), $(getconf _NPROCESSORS_ONLN) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $what"
[[ $negmas == 1 ]] && echo "# $("$python" --version) NegMAS from $("$python" -c 'import negmas, os; print(os.path.dirname(negmas.__file__))')"
: >"$tmp/log"
for ((i = 1; i <= pairs; i++)); do
	echo "## pair $i"
	parley_rate drawn "$parley_runs" --seed "$i"
	[[ $negmas == 1 ]] && negmas_rate drawn --seed "$i"
	parley_rate cached "$cached_runs" "${cached[@]}"
	[[ $negmas == 1 ]] && negmas_rate cached --fixed
done
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"

# The summary: medians (min-max) of the rates, and of the ratios within
# each pair (the k-th parley measurement of a case over the k-th NegMAS one).
awk '
function med(a, n,   i, j, t) {
	for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j-1] > a[j]; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t }
	return n % 2 ? a[(n+1)/2] : (a[n/2] + a[n/2+1]) / 2
}
function lo(a, n,   i, m) { m = a[1]; for (i = 2; i <= n; i++) if (a[i] < m) m = a[i]; return m }
function hi(a, n,   i, m) { m = a[1]; for (i = 2; i <= n; i++) if (a[i] > m) m = a[i]; return m }
{ k = $1 SUBSEP $2; n[k]++; r[k, n[k]] = $3 }
END {
	print ""
	printf "%-7s %-7s %-34s %s\n", "case", "side", "negotiations/s: median (range)", "parley/NegMAS, paired: median (range)"
	split("drawn cached", cs, " ")
	for (ci = 1; ci <= 2; ci++) {
		c = cs[ci]
		for (si = 1; si <= 2; si++) {
			s = si == 1 ? "parley" : "negmas"
			m = n[c, s]
			if (m == 0) continue
			delete v
			for (i = 1; i <= m; i++) v[i] = r[c, s, i]
			f = med(v, m) >= 100 ? "%.0f (%.0f-%.0f)" : "%.1f (%.1f-%.1f)"
			line = sprintf("%-7s %-7s " f, c, s, med(v, m), lo(v, m), hi(v, m))
			if (s == "negmas" && n[c, "parley"] == m) {
				delete q
				for (i = 1; i <= m; i++) q[i] = r[c, "parley", i] / r[c, "negmas", i]
				line = sprintf("%-50s %.0fx (%.0f-%.0f)", line, med(q, m), lo(q, m), hi(q, m))
			}
			print line
		}
	}
}' "$tmp/log"
