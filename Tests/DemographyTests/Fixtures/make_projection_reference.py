#!/usr/bin/env python3
"""An independent Hamilton–Perry projection of the Nagato sample, for ProjectionTests:
2010 and 2015 (synthetic) tables → 2045, areas under 200 people or with a ratio above 3 (or a
child–woman ratio above 1) take the municipality's ratios (the sample has no other parent rows),
suppressed areas (HTKSYORI 2) left to their host. Plain Python, written apart from the Swift code.
Run from the repository root; writes projection_nagato_reference.csv beside this script."""
import csv
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def read(path):
    rows = list(csv.reader(open(path, encoding="cp932")))[2:]
    out = {}
    for r in rows:
        cells = r[7:]
        if "X" in cells:
            continue
        v = [float(c) if c not in ("-", "") else 0.0 for c in cells]
        male = v[21:36] + [v[39]]
        female = v[41:56] + [v[59]]
        out[r[0]] = {"level": int(r[1]), "suppressed": r[4] == "2", "male": male, "female": female}
    return out


def ratios(old, new):
    res = {}
    for sex in ("male", "female"):
        o, n = old[sex], new[sex]
        if any(o[g] == 0 for g in range(14)) or o[14] + o[15] == 0:
            return None
        res[sex] = [n[g + 1] / o[g] for g in range(14)] + [n[15] / (o[14] + o[15])]
    mothers = sum(new["female"][3:10])
    if mothers == 0:
        return None
    res["cwr"] = (new["male"][0] / mothers, new["female"][0] / mothers)
    if max(res["male"] + res["female"]) > 3 or max(res["cwr"]) > 1:
        return None
    return res


def step(p, r):
    nxt = {}
    for sex in ("male", "female"):
        q = p[sex]
        out = [0.0] * 16
        for g in range(14):
            out[g + 1] = r[sex][g] * q[g]
        out[15] = r[sex][14] * (q[14] + q[15])
        nxt[sex] = out
    mothers = sum(nxt["female"][3:10])
    nxt["male"][0] = r["cwr"][0] * mothers
    nxt["female"][0] = r["cwr"][1] * mothers
    return nxt


old = read("geodata/nagato/census_age_2010_synthetic.csv")
new = read("geodata/nagato/census_age_2015_synthetic.csv")
municipality = ratios(old["35211"], new["35211"])
with open(os.path.join(HERE, "projection_nagato_reference.csv"), "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["id", "year", "population", "aged_65_plus", "ratios_from"])
    for key in sorted(new):
        a = new[key]
        if a["level"] == 1 or a["suppressed"]:
            continue
        own = ratios(old[key], a) if key in old else None
        size = sum(a["male"]) + sum(a["female"])
        r, source = (own, key) if own is not None and size >= 200 else (municipality, "35211")
        p = {"male": a["male"], "female": a["female"]}
        for year in range(2015, 2050, 5):
            if year > 2015:
                p = step(p, r)
            pop = sum(p["male"]) + sum(p["female"])
            aged = sum(p["male"][13:]) + sum(p["female"][13:])
            w.writerow([key, year, f"{pop:.6f}", f"{aged:.6f}", source])
print("wrote projection_nagato_reference.csv")
