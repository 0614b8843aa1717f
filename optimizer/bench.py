"""Benchmark: each method on one generated instance, each in a fresh process, every result refereed.

    python -m optimizer.bench --tier national --seed 1 --time-limit 60 --workers 2 \\
        --json bench-output/national-1.json --plot bench-output/national-1.png
    python -m optimizer.bench --summarise bench-output/national-*.json

Every method runs in its own spawned process so that its peak memory is its own, and the validator (not
the method) gives the objective, so all methods are compared on one scale. Each gap is measured against the
best bound known for the run: the largest of every method's own bound (each valid: CP-SAT's Lagrangian or
LP bound, HiGHS's only when it kept every candidate), the priced bound (column generation over every
candidate, ``optimizer.pricing``, run after the methods within ``--bound-time-limit``) and, when asked for, the
LP relaxation of the full model, whose process is stopped at ``--lp-time-limit``. Figures come from here, never
from timed unit tests.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import multiprocessing
import resource
import shutil
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

from optimizer.costs import objective
from optimizer.schema import Assignment, Instance, Result, SolverParams

METHODS = ("greedy", "cpsat", "highs", "timefold")  # timefold only where its extra and Java are installed
TIERS = ("tiny", "region", "mid", "national", "stress")
GOOD_ENOUGH_GAP = 0.01
METHOD_GRACE = 2  # a method is stopped after twice its time limit ...
SPAWN_GRACE_S = 60  # ... plus this, for starting Python, generating the instance and building models
# The priced bound stops this close (relative) to its restricted LP's value, which the full LP's lies between:
# its last rounds would move it by a few units in hundreds of millions.
PRICED_CLOSE_ENOUGH = 1e-7
LP_START_GRACE_S = 30  # the LP bound's process is stopped this long after its limit (starting Python, the instance)


# ---------------------------------------------------------------- in the child processes


def _solver(method: str) -> Callable[[Instance, SolverParams], Result]:
    if method == "greedy":
        from optimizer.greedy import greedy

        return greedy
    if method == "highs":
        from optimizer.mip import solve_mip

        return solve_mip
    if method == "timefold":
        from optimizer.timefold_peer import solve_timefold

        return solve_timefold
    from optimizer.solve import solve

    # Explanations are left out so that every method is timed on planning alone.
    return lambda instance, params: solve(instance, params, method=method, explain_plan=False)


def peak_rss_mb(pid: int | None = None) -> float | None:
    """Peak resident memory of a process (this one by default). Linux's VmHWM belongs to that program
    alone, whereas ru_maxrss also remembers the parent that forked it before the spawn."""
    try:
        with open(f"/proc/{pid or 'self'}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    if pid is not None:
        return None
    scale = 1 if sys.platform == "darwin" else 1024  # bytes on macOS, kilobytes elsewhere
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 2**20


def _run_method(tier: str, seed: int, method: str, params: SolverParams) -> tuple[Result, float, float]:
    """In a fresh process: the method's result, its wall time and the process's peak memory."""
    from optimizer.generator import generate

    instance = generate(tier, seed)
    solve = _solver(method)
    start = time.perf_counter()
    result = solve(instance, params)
    wall = time.perf_counter() - start
    return result, wall, peak_rss_mb()


def _run_lp(tier: str, seed: int, params: SolverParams) -> tuple[float, float, float]:
    from optimizer.generator import generate
    from optimizer.mip import lp_bound

    instance = generate(tier, seed)
    start = time.perf_counter()
    bound = lp_bound(instance, params)
    return bound, time.perf_counter() - start, peak_rss_mb()


def _run_priced(tier: str, seed: int, params: SolverParams) -> dict:
    from optimizer.candidates import build_candidates
    from optimizer.checks import validate_instance
    from optimizer.generator import generate
    from optimizer.pricing import priced_bound

    instance = generate(tier, seed)
    start = time.perf_counter()
    validate_instance(instance, params)
    priced = priced_bound(instance, build_candidates(instance, params), params.time_limit_s,
                          close_enough=PRICED_CLOSE_ENOUGH)
    return {"bound": priced.bound, "converged": priced.converged, "lp_value": priced.lp_value, "rounds": priced.rounds,
            "columns": priced.columns, "seconds": time.perf_counter() - start, "peak_rss_mb": peak_rss_mb()}


class Overran(Exception):
    """A child process gave no answer in time and was stopped."""

    def __init__(self, seconds: float, rss_mb: float | None):
        super().__init__(f"no answer after {seconds:.0f} s")
        self.seconds = seconds
        self.rss_mb = rss_mb


def _answer(sender, function: Callable, args: tuple) -> None:
    try:
        sender.send((True, function(*args)))
    except BaseException as error:  # tell the parent rather than die silently
        sender.send((False, repr(error)))


def in_fresh_process(function: Callable, *args, timeout_s: float | None = None):
    """Run ``function(*args)`` in a newly spawned interpreter and return its value.

    A solver that ignores its time limit (HiGHS can, inside its setup) is stopped after ``timeout_s``.
    """
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_answer, args=(sender, function, args), daemon=True)
    started = time.perf_counter()
    child.start()
    sender.close()
    try:
        if not receiver.poll(timeout_s):
            raise Overran(time.perf_counter() - started, peak_rss_mb(child.pid))
        answered, value = receiver.recv()
    except EOFError:
        answered, value = False, "the process died without answering"
    finally:
        if child.is_alive():
            child.kill()
        child.join()
    if not answered:
        raise RuntimeError(value)
    return value


# ---------------------------------------------------------------- measures


def best_bound(*bounds: float | None) -> float | None:
    known = [b for b in bounds if b is not None and math.isfinite(b)]
    return max(known) if known else None


def relative_gap(objective: float, bound: float | None) -> float | None:
    if bound is None:
        return None
    if objective == 0:
        return 0.0
    return (objective - bound) / abs(objective)


def time_to_gap(result: Result, wall_s: float, bound: float | None, gap: float) -> float | None:
    """First moment the method's own trace comes within ``gap`` of ``bound``; a method without a trace
    (greedy) counts from its end."""
    trace = result.progress or [(wall_s, result.objective, result.best_bound)]
    for seconds, value, _ in trace:
        reached = relative_gap(value, bound)
        if reached is not None and reached <= gap:
            return seconds
    return None


def run_record(instance: Instance, params: SolverParams, result: Result, wall_s: float, rss_mb: float,
               bound: float | None) -> dict:
    """One method's line of the JSON, with the objective and the checks from the validator; its gap is to
    ``bound``, the best bound of the run."""
    from optimizer.validator import validate

    check = validate(instance, params, result.assignments)
    found = result.status in ("optimal", "feasible")
    first = result.progress[0][0] if result.progress else (wall_s if found else None)
    return {
        "status": result.status,
        "placed": result.placed,
        "unplaced": len(instance.referrals) - result.placed,
        "objective": check.objective,
        "bound": result.best_bound,
        "gap": relative_gap(check.objective, bound),
        "time_to_first_s": first,
        "time_to_1pct_s": time_to_gap(result, wall_s, bound, GOOD_ENOUGH_GAP),
        "wall_s": wall_s,
        "peak_rss_mb": rss_mb,
        "validated": check.ok,
        "violations": list(check.violations),
    }


def instance_summary(instance: Instance) -> dict:
    return {
        "premises": len(instance.premises),
        "beds": sum(g.beds for p in instance.premises for g in p.bed_groups),
        "residents": len(instance.residents),
        "referrals": len(instance.referrals),
        "horizon_days": instance.horizon_days,
    }


def available(method: str) -> bool:
    module = {"greedy": "optimizer.greedy", "highs": "optimizer.mip", "timefold": "timefold"}.get(method, "optimizer.solve")
    return importlib.util.find_spec(module) is not None and (method != "timefold" or shutil.which("java") is not None)


# ---------------------------------------------------------------- one benchmark run


def benchmark(tier: str, seed: int, params: SolverParams, methods: Sequence[str], lp_time_limit_s: float,
              say: Callable[[str], None] = print, bound_time_limit_s: float = 0.0) -> tuple[dict, dict[str, Result]]:
    """Run the LP bound, the methods and the priced bound one after another; returns the JSON record and the
    results."""
    from optimizer.generator import generate

    instance = generate(tier, seed)
    say(f"{tier} seed {seed}: {instance_summary(instance)}")
    lp = full_lp_bound(tier, seed, params, lp_time_limit_s, say)
    runs, results = {}, {}
    for method in methods:
        if not available(method):
            say(f"skipping {method}: its module is not there yet")
            continue
        say(f"running {method} ...")
        try:
            result, wall, rss = in_fresh_process(_run_method, tier, seed, method, params,
                                                 timeout_s=METHOD_GRACE * params.time_limit_s + SPAWN_GRACE_S)
        except Overran as stopped:  # reported as what a user would get: no proposal, everybody unplaced
            say(f"{method} stopped: {stopped}")
            result, wall, rss = nothing_proposed(instance, method), stopped.seconds, stopped.rss_mb
        except RuntimeError as error:  # one broken method must not cost the figures of the others
            say(f"skipping {method}: it failed with {error}")
            continue
        results[method] = (result, wall, rss)
    priced = priced_lp_bound(tier, seed, params, bound_time_limit_s, say)
    bound = best_bound(lp, priced and priced["bound"], *(result.best_bound for result, _, _ in results.values()))
    for method, (result, wall, rss) in results.items():
        runs[method] = run_record(instance, params, result, wall, rss, bound)
    record = {"tier": tier, "seed": seed, "instance": instance_summary(instance), "lp_bound": lp,
              "priced_bound": priced, "best_bound": bound, "runs": runs}
    return record, {method: result for method, (result, _, _) in results.items()}


def priced_lp_bound(tier: str, seed: int, params: SolverParams, time_limit_s: float,
                    say: Callable[[str], None]) -> dict | None:
    """The priced bound (column generation) with what it cost, or None when skipped (a limit of 0) or
    stopped; within its limit it returns the best bound of the rounds it finished."""
    if time_limit_s <= 0:
        return None
    bound_params = SolverParams(time_limit_s=time_limit_s, exclusion_buffer_km=params.exclusion_buffer_km)
    try:
        priced = in_fresh_process(_run_priced, tier, seed, bound_params, timeout_s=time_limit_s + LP_START_GRACE_S)
    except Overran as stopped:
        say(f"priced bound stopped: {stopped}")
        return None
    say(f"priced bound: {_priced_words(priced)}")
    return priced


def full_lp_bound(tier: str, seed: int, params: SolverParams, time_limit_s: float,
                  say: Callable[[str], None]) -> float | None:
    """The LP bound over the full model, or None when skipped (a limit of 0) or not finished within the
    limit (its process is stopped then, model building included)."""
    if time_limit_s <= 0:
        say("LP bound skipped")
        return None
    lp_params = SolverParams(time_limit_s=time_limit_s, workers=params.workers, seed=params.seed,
                             exclusion_buffer_km=params.exclusion_buffer_km)
    try:
        bound, seconds, rss = in_fresh_process(_run_lp, tier, seed, lp_params,
                                               timeout_s=time_limit_s + LP_START_GRACE_S)
    except Overran as stopped:
        say(f"LP bound stopped: {stopped}")
        return None
    say(f"LP bound over the full model: {bound:,.0f} ({seconds:.1f} s, {rss:.0f} MB)")
    return bound if math.isfinite(bound) else None


def nothing_proposed(instance: Instance, method: str) -> Result:
    plan = {r.id: Assignment(r.id, None, None, None) for r in instance.referrals}
    return Result(method, "stopped", plan, objective(instance, plan), None)


def _cell(value, spec: str = "") -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "NO"
    return format(value, spec)


def run_table(record: dict) -> str:
    header = ("method", "status", "placed", "unplaced", "objective", "bound", "gap %", "first s", "1% s",
              "wall s", "RSS MB", "valid")
    rows = [header]
    for method, run in record["runs"].items():
        gap = None if run["gap"] is None else 100 * run["gap"]
        rows.append((method, run["status"], _cell(run["placed"]), _cell(run["unplaced"]),
                     _cell(run["objective"], ","), _cell(run["bound"], ",.0f"), _cell(gap, ".2f"),
                     _cell(run["time_to_first_s"], ".2f"), _cell(run["time_to_1pct_s"], ".2f"),
                     _cell(run["wall_s"], ".2f"), _cell(run["peak_rss_mb"], ".0f"), _cell(run["validated"])))
    return (_aligned(rows) + f"\nLP bound: {_cell(record['lp_bound'], ',.0f')}"
            + f"\npriced bound: {_priced_words(record.get('priced_bound'))}"
            + f"\nbest bound: {_cell(record.get('best_bound'), ',.0f')}")


def _at_the_lp(priced: dict) -> bool:
    """Whether column generation converged, or stopped within ``PRICED_CLOSE_ENOUGH`` of the LP."""
    lp = priced.get("lp_value")
    return priced["converged"] or (lp is not None and lp - priced["bound"] <= PRICED_CLOSE_ENOUGH * abs(lp))


def _priced_words(priced: dict | None) -> str:
    if priced is None:
        return "-"
    if priced["converged"]:
        state = "converged"
    elif priced.get("lp_value") is not None:
        state = f"within {100 * (priced['lp_value'] - priced['bound']) / abs(priced['lp_value']):.5f} % of the LP"
    else:
        state = "no LP round finished"
    return f"{priced['bound']:,.0f} ({state}: {priced['rounds']} LP rounds, {priced['seconds']:.1f} s, " \
           f"{priced['peak_rss_mb']:.0f} MB)"


def _aligned(rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell.rjust(w) if i else cell.ljust(w) for i, (cell, w) in
                               enumerate(zip(row, widths))) for row in rows)


# ---------------------------------------------------------------- plot


def plot(record: dict, results: dict[str, Result], path: str) -> None:
    """Objective (solid) and bound (dashed) over time per method, and the gap to the best bound known."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    bound = record.get("best_bound")
    figure, (top, bottom) = plt.subplots(2, 1, figsize=(9, 7), sharex=True)
    finals = []
    for method, result in results.items():
        run = record["runs"][method]
        trace = result.progress or [(run["wall_s"], run["objective"], result.best_bound)]
        times = [t for t, _, _ in trace] + [run["wall_s"]]
        objectives = [o for _, o, _ in trace] + [run["objective"]]
        (line,) = top.step(times, objectives, where="post", marker=".", label=f"{method} objective")
        bounds = [(t, b) for t, _, b in trace if b is not None]
        if bounds:
            top.step(*zip(*bounds), where="post", linestyle="--", color=line.get_color(), label=f"{method} bound")
        if bound is not None:
            gaps = [max(100 * (o - bound) / abs(o), 1e-3) for o in objectives]
            bottom.step(times, gaps, where="post", marker=".", color=line.get_color(), label=method)
        finals.append(run["objective"])
    if record["lp_bound"] is not None:
        top.axhline(record["lp_bound"], color="black", linestyle=":", label="LP bound (full model)")
    if bound is not None and finals:  # far-off plans run off the top; the gap panel still shows them
        top.set_ylim(bound - 0.02 * abs(bound), min(max(finals), 1.25 * min(finals)) * 1.05)
    top.set_ylabel("objective (lower is better)")
    top.set_title(f"{record['tier']} tier, seed {record['seed']}")
    top.legend(fontsize="small")
    bottom.set_yscale("log")
    bottom.axhline(100 * GOOD_ENOUGH_GAP, color="grey", linestyle=":")
    bottom.set_ylabel("gap to best bound (%)")
    bottom.set_xlabel("seconds")
    bottom.legend(fontsize="small")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


# ---------------------------------------------------------------- medians over seeds


def _median(values) -> float | None:
    known = [v for v in values if v is not None]
    return statistics.median(known) if known else None


def summarise(records: Sequence[dict]) -> str:
    """Medians per tier and method, and how CP-SAT compares with each other method seed by seed."""
    by_tier = defaultdict(list)
    for record in records:
        by_tier[record["tier"]].append(record)
    fields = ("placed", "objective", "gap", "time_to_first_s", "time_to_1pct_s", "wall_s", "peak_rss_mb")
    out = []
    for tier, group in by_tier.items():
        seeds = ", ".join(str(r["seed"]) for r in group)
        out.append(f"{tier} tier, median over {len(group)} seed(s) ({seeds})")
        rows = [("method", "runs", "placed", "objective", "gap %", "first s", "1% s", "wall s", "RSS MB", "valid")]
        methods = sorted({m for r in group for m in r["runs"]}, key=lambda m: METHODS.index(m))
        for method in methods:
            runs = [r["runs"][method] for r in group if method in r["runs"]]
            m = {f: _median(run[f] for run in runs) for f in fields}
            gap = None if m["gap"] is None else 100 * m["gap"]
            rows.append((method, str(len(runs)), _cell(m["placed"], ".0f"), _cell(m["objective"], ",.0f"),
                         _cell(gap, ".2f"), _cell(m["time_to_first_s"], ".2f"), _cell(m["time_to_1pct_s"], ".2f"),
                         _cell(m["wall_s"], ".2f"), _cell(m["peak_rss_mb"], ".0f"),
                         f"{sum(run['validated'] for run in runs)}/{len(runs)}"))
        out.append(_aligned(rows))
        out.append(f"median LP bound: {_cell(_median(r['lp_bound'] for r in group), ',.0f')}")
        priced = [r["priced_bound"] for r in group if r.get("priced_bound")]
        if priced:
            out.append(f"priced bound: median {_median(p['bound'] for p in priced):,.0f}, at the LP on "
                       f"{sum(map(_at_the_lp, priced))} of {len(priced)}, median "
                       f"{_median(p['seconds'] for p in priced):.1f} s, {_median(p['peak_rss_mb'] for p in priced):.0f} MB")
        out.extend(_comparisons(group))
        out.append("")
    return "\n".join(out)


def _comparisons(group: Sequence[dict]) -> list[str]:
    lines = [_against_the_best(group)] if any(len(r["runs"]) > 1 and "cpsat" in r["runs"] for r in group) else []
    for other in (m for m in METHODS if m != "cpsat"):
        pairs = [(r["runs"]["cpsat"], r["runs"][other]) for r in group if {"cpsat", other} <= r["runs"].keys()]
        if not pairs:
            continue
        ratio = _median(c["objective"] / o["objective"] for c, o in pairs if o["objective"])
        placed = _median(c["placed"] - o["placed"] for c, o in pairs)
        better = None if ratio is None else 100 * (1 - ratio)
        lines.append(f"cpsat vs {other}: objective ratio {_cell(ratio, '.4f')} ({_cell(better, '.1f')}% better), "
                     f"placed difference {_cell(placed, '+.0f')} (medians over {len(pairs)} seed(s))")
    return lines


def _against_the_best(group: Sequence[dict]) -> str:
    """CP-SAT's objective over the best of the other methods on the same seed: at most 1 means never beaten."""
    ratios = []
    for r in group:
        others = [run["objective"] for method, run in r["runs"].items() if method != "cpsat"]
        if "cpsat" in r["runs"] and others and min(others):
            ratios.append(r["runs"]["cpsat"]["objective"] / min(others))
    if not ratios:
        return "cpsat vs the best of the others: -"
    return (f"cpsat vs the best of the others: objective ratio median {statistics.median(ratios):.4f}, worst "
            f"{max(ratios):.4f}; at least as good on {sum(x <= 1 for x in ratios)} of {len(ratios)} seed(s)")


# ---------------------------------------------------------------- command line


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m optimizer.bench", description=__doc__.split("\n")[0])
    parser.add_argument("--tier", choices=TIERS, default="tiny")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds per method")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", help="write the run record here")
    parser.add_argument("--plot", help="draw objective and bound over time to this PNG")
    parser.add_argument("--methods", default=",".join(METHODS), help="comma-separated: greedy,cpsat,highs,timefold")
    parser.add_argument("--lp-time-limit", type=float, default=0.0,
                        help="seconds for the full LP bound, model building included, not counted against any "
                             "method; 0 skips it (national: ~10 min, 1.9 GB)")
    parser.add_argument("--bound-time-limit", type=float, default=0.0,
                        help="seconds for the priced bound (column generation over every candidate), run after the "
                             "methods and not counted against any; 0 skips it")
    parser.add_argument("--summarise", nargs="+", metavar="JSON", help="print medians over these run records")
    args = parser.parse_args(argv)
    unknown = set(args.methods.split(",")) - set(METHODS)
    if unknown:
        parser.error(f"unknown method(s): {', '.join(sorted(unknown))}")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.summarise:
        print(summarise([json.loads(Path(p).read_text()) for p in args.summarise]))
        return 0
    params = SolverParams(time_limit_s=args.time_limit, workers=args.workers)
    record, results = benchmark(args.tier, args.seed, params, args.methods.split(","), args.lp_time_limit,
                                bound_time_limit_s=args.bound_time_limit)
    print(run_table(record))
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(record, indent=2))
    if args.plot:
        Path(args.plot).parent.mkdir(parents=True, exist_ok=True)
        plot(record, results, args.plot)
    return 0


if __name__ == "__main__":
    sys.exit(main())
