#!/usr/bin/env python3
"""Reference results for capacitated hubs (`chiiki hubs --capacity`), by PySAL spopt and PuLP's CBC.

Writes hubs_capacitated.json next to this script: 60 seeded demand points x 20 candidates
(metres), integer weights 1-99 and capacities, and the optimum of
  - p-median, one hub per point (spopt's capacitated PMedian: binary assignment), p = 6;
  - LSCP within 5 km, demand split (spopt's capacitated LSCP: continuous assignment);
  - p-median with demand split and MCLP (p = 4, 2 km) split and single-source, written here in
    PuLP (spopt has no capacitated MCLP, and its p-median assignment is binary).
Run from the repository root with the venv of make_hub_fixtures.py:
  /tmp/venv/bin/python Tests/PlanningTests/Fixtures/make_hub_capacity_fixtures.py
"""
import json
import pathlib

import numpy as np
import pulp
import spopt
from scipy.spatial.distance import cdist
from spopt.locate import LSCP, PMedian

HERE = pathlib.Path(__file__).resolve().parent
SOLVER = pulp.PULP_CBC_CMD(msg=False, timeLimit=600)


def spopt_p_median(cost, weights, capacities, p):
    m = PMedian.from_cost_matrix(cost, weights, p_facilities=p, facility_capacities=capacities).solve(SOLVER)
    assert pulp.LpStatus[m.problem.status] == "Optimal"
    sites = [j for j, v in enumerate(m.fac_vars) if v.value() > 0.5]
    assign = np.array([[v.value() for v in row] for row in m.cli_assgn_vars])
    return {"model": "p-median", "p": p, "single_source": True, "sites": sites,
            "objective": float((weights[:, None] * cost * assign).sum()), "by": "spopt PMedian(facility_capacities)"}


def spopt_lscp(cost, weights, capacities, radius):
    m = LSCP.from_cost_matrix(cost, service_radius=radius, demand_quantity_arr=weights,
                              facility_capacity_arr=capacities).solve(SOLVER)
    assert pulp.LpStatus[m.problem.status] == "Optimal"
    sites = [j for j, v in enumerate(m.fac_vars) if v.value() > 0.5]
    return {"model": "lscp", "radius": radius, "single_source": False, "sites": sites,
            "objective": float(len(sites)), "by": "spopt LSCP(demand_quantity_arr, facility_capacity_arr)"}


def pulp_model(cost, weights, capacities, model, p=None, radius=None, single_source=False):
    n, m = cost.shape
    prob = pulp.LpProblem("capacitated", pulp.LpMaximize if model == "mclp" else pulp.LpMinimize)
    y = [pulp.LpVariable(f"y{j}", cat="Binary") for j in range(m)]
    pairs = [(i, j) for i in range(n) for j in range(m) if radius is None or cost[i, j] <= radius]
    cat = "Binary" if single_source else "Continuous"
    x = {(i, j): pulp.LpVariable(f"x{i}_{j}", 0, 1, cat=cat) for i, j in pairs}
    if model == "mclp":
        prob += pulp.lpSum(weights[i] * x[i, j] for i, j in pairs)
    else:
        prob += pulp.lpSum(weights[i] * cost[i, j] * x[i, j] for i, j in pairs)
    for i in range(n):
        row = [x[i, j] for j in range(m) if (i, j) in x]
        prob += (pulp.lpSum(row) <= 1) if model == "mclp" else (pulp.lpSum(row) == 1)
    for j in range(m):
        prob += pulp.lpSum(weights[i] * x[i, j] for i in range(n) if (i, j) in x) <= capacities[j] * y[j]
    for i, j in pairs:
        prob += x[i, j] <= y[j]
    prob += pulp.lpSum(y) == p
    prob.solve(SOLVER)
    assert pulp.LpStatus[prob.status] == "Optimal"
    return {"model": model, "p": p, "radius": radius, "single_source": single_source,
            "sites": [j for j in range(m) if y[j].value() > 0.5], "objective": float(pulp.value(prob.objective)),
            "by": "PuLP formulation in make_hub_capacity_fixtures.py"}


def main():
    rng = np.random.default_rng(20261207)
    demand = np.round(rng.uniform(0, 10_000, (60, 2)), 3)
    candidates = np.round(rng.uniform(0, 10_000, (20, 2)), 3)
    weights = rng.integers(1, 100, 60).astype(float)
    capacities = rng.integers(250, 700, 20).astype(float)
    cost = cdist(demand, candidates)
    results = [
        spopt_p_median(cost, weights, capacities, 6),
        spopt_lscp(cost, weights, capacities, 5_000),
        pulp_model(cost, weights, capacities, "p-median", p=6),
        pulp_model(cost, weights, capacities, "mclp", p=4, radius=2_000),
        pulp_model(cost, weights, capacities, "mclp", p=4, radius=2_000, single_source=True),
    ]
    for r in results:
        print(r)
    path = HERE / "hubs_capacitated.json"
    path.write_text(json.dumps({"made_by": "Tests/PlanningTests/Fixtures/make_hub_capacity_fixtures.py",
                                "versions": {"spopt": spopt.__version__, "pulp": pulp.__version__},
                                "demand": demand.tolist(), "candidates": candidates.tolist(), "weights": weights.tolist(),
                                "capacities": capacities.tolist(), "results": results}, separators=(",", ":")) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
