#!/usr/bin/env python3
"""Time NegMAS on the domain of scripts/negmas/bilateral.toml.

Three issues of ten values (1,000 outcomes), two linear additive utility
functions pulling in opposite directions, two BoulwareTBNegotiators (their
aspiration 1 - t^4, parley's boulware with e = 0.25) in a stacked
alternating offers mechanism of 100 steps, one offer a step (as parley's
100 turns of one offer each). Every negotiation draws each side's issue
weights afresh, uniform on [0.1, 0.9] and normalised as parley draws them,
and builds its utility functions, mechanism and negotiators anew; with
--fixed the two utility functions are built once, with the constant
weights of compare.sh's cached case (buyer 0.5, 0.3, 0.2; seller 0.2,
0.3, 0.5), and reused. NegMAS keeps nothing between negotiations either
way: each negotiator sorts the outcomes by its utility when it joins.

Prints one line of key=value pairs: the negotiations timed, the seconds
they took (the loop only: imports and warm-up excluded), negotiations a
second, the share that agreed and the mean number of steps. Run it with
NegMAS's source on PYTHONPATH; docs/benchmarks.md says how.
"""

import argparse
import random
import sys
import time

from negmas.gb.negotiators.timebased import BoulwareTBNegotiator
from negmas.outcomes import make_issue, make_os
from negmas.preferences import LinearAdditiveUtilityFunction
from negmas.sao import SAOMechanism

ISSUES = 3
LEVELS = 10
FIXED = ((0.5, 0.3, 0.2), (0.2, 0.3, 0.5))  # buyer, seller: compare.sh's cached case


def ufuns(outcome_space, rng):
    """Returns the buyer's and the seller's utility functions, their
    weights drawn from rng, or FIXED's when rng is None."""
    labels = [f"v{k}" for k in range(LEVELS)]
    up = {v: k / (LEVELS - 1) for k, v in enumerate(labels)}
    down = {v: 1 - k / (LEVELS - 1) for k, v in enumerate(labels)}
    out = []
    for side, values in enumerate((up, down)):
        if rng is None:
            w = list(FIXED[side])
        else:
            w = [rng.uniform(0.1, 0.9) for _ in range(ISSUES)]
        total = sum(w)
        out.append(
            LinearAdditiveUtilityFunction(
                values=[values] * ISSUES,
                weights=[x / total for x in w],
                outcome_space=outcome_space,
                reserved_value=0.0,
            )
        )
    return out


def negotiate(outcome_space, pair, steps, one_offer_per_step):
    """Runs one negotiation between the two utility functions in pair and
    returns its final state."""
    m = SAOMechanism(
        outcome_space=outcome_space,
        n_steps=steps,
        one_offer_per_step=one_offer_per_step,
    )
    m.add(BoulwareTBNegotiator(name="buyer"), ufun=pair[0])
    m.add(BoulwareTBNegotiator(name="seller"), ufun=pair[1])
    return m.run()


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--negotiations", type=int, default=200, help="negotiations to time (default 200)")
    p.add_argument("--warmup", type=int, default=20, help="negotiations run before timing (default 20)")
    p.add_argument("--steps", type=int, default=100, help="steps of a negotiation (default 100)")
    p.add_argument("--seed", type=int, default=1, help="seed of the weights' draws (default 1)")
    p.add_argument("--fixed", action="store_true", help="build the two utility functions once, with constant weights, and reuse them")
    p.add_argument(
        "--rounds",
        action="store_true",
        help="a step is a round in which both negotiators act (NegMAS's default), not one offer",
    )
    a = p.parse_args(argv)
    if a.negotiations < 1 or a.warmup < 0 or a.steps < 1:
        p.error("--negotiations and --steps must be at least 1, --warmup at least 0")

    issues = [make_issue([f"v{k}" for k in range(LEVELS)], name=f"i{j + 1}") for j in range(ISSUES)]
    outcome_space = make_os(issues)
    rng = random.Random(a.seed)
    fixed = ufuns(outcome_space, None) if a.fixed else None
    one = not a.rounds

    for _ in range(a.warmup):
        negotiate(outcome_space, fixed or ufuns(outcome_space, rng), a.steps, one)

    agreed = steps = 0
    start = time.perf_counter()
    for _ in range(a.negotiations):
        st = negotiate(outcome_space, fixed or ufuns(outcome_space, rng), a.steps, one)
        agreed += st.agreement is not None
        steps += st.step
    elapsed = time.perf_counter() - start

    print(
        f"negotiations={a.negotiations} seconds={elapsed:.4f} "
        f"per_second={a.negotiations / elapsed:.2f} "
        f"agreed={agreed / a.negotiations:.3f} mean_steps={steps / a.negotiations:.1f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
