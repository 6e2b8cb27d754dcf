#!/usr/bin/env bash
# Prints the table "What the answer hangs on" of docs/model.md: korea-2018
# with one assumption changed at a time, 20,000 runs each (the default
# seed), as agreement (and, of it, the runs that end with only a step in
# force) / stalemate / breakdown / conflict shares in %.
# Usage: scripts/korea-table.sh [parley binary]   (about 6 minutes on 2 cores)
set -euo pipefail
bin=${1:-parley}
row() {
  local label=$1; shift
  local args=()
  for s in "$@"; do args+=(--set "$s"); done
  "$bin" run korea-2018 --runs 20000 --format json ${args[@]+"${args[@]}"} |
    python3 -c 'import json,sys; j=json.load(sys.stdin); r=j["outcomes"]; r["partial"]=j["partial"]; print("| '"$label"' | " + " | ".join("%.1f" % (100*r[o]["share"]) for o in ("agreement","partial","stalemate","breakdown","conflict")) + " |")'
}
row "defaults"
row "no steps (partial_deals false)" protocol.partial_deals=false
row "kept steps build no trust (compliance_trust 0, not 0.02)" dynamics.compliance_trust=0
row "everyone knows the others' weights (misperception 0)" actors.us.misperception=0 actors.north_korea.misperception=0 actors.south_korea.misperception=0 actors.china.misperception=0
row "the signatories misperceive by 1 (0.5)" actors.us.misperception=1 actors.north_korea.misperception=1
row "every actor misperceives by 0.5" actors.us.misperception=0.5 actors.north_korea.misperception=0.5 actors.south_korea.misperception=0.5 actors.china.misperception=0.5
row "China knows the signatories' weights (0.25)" actors.china.misperception=0
row "China misperceives by 1" actors.china.misperception=1
row "no learning" protocol.learning=false
row "China's leverage over the US 0 (0.05)" actors.china.leverage.us=0
row "China's leverage over the US 0.1" actors.china.leverage.us=0.1
row "China's leverage over North Korea 0 (0.15)" actors.china.leverage.north_korea=0
row "China's leverage over North Korea 0.3" actors.china.leverage.north_korea=0.3
row "China's talk value 0 (0.02): it rescues no one" actors.china.talk_value=0
row "no new administration (chance 0, not 0.5)" events.new_administration.chance=0
row "a certain new administration" events.new_administration.chance=1
row "US discount 0.9 (0.95)" actors.us.discount=0.9
row "US discount 0.99" actors.us.discount=0.99
row "North Korea's talk value 0 (−0.01): it never walks out" actors.north_korea.talk_value=0
row "North Korea's talk value −0.03" actors.north_korea.talk_value=-0.03
row "US pretext share 0.2 (0.4)" actors.us.conflict.pretext=0.2
row "US pretext share 0.6" actors.us.conflict.pretext=0.6
row "US belief spread 0 (0.1)" actors.us.conflict.spread=0
row "US belief spread 0.3" actors.us.conflict.spread=0.3
row "North Korea's belief spread 0.3 (0.1)" actors.north_korea.conflict.spread=0.3
row "US hawkishness 0.2 (Beta(6, 4), mean 0.6)" actors.us.hawkishness=0.2
row "US hawkishness 0.9" actors.us.hawkishness=0.9
row "trust 0.1 (0.3)" dynamics.trust=0.1
row "trust 0.6" dynamics.trust=0.6
row "dismantlement irreversible only at CVID (from gradual)" issues.denuclearization.irreversible_from=cvid
row "North Korea's denuclearization weight 0.15 (0.4)" actors.north_korea.weights.denuclearization=0.15
row "agenda proposer_first (mediator_first)" protocol.agenda=proposer_first
row "mediator bias 0 (uniform 0.2–0.6)" protocol.mediator_bias=0
