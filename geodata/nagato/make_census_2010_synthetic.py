#!/usr/bin/env python3
"""Makes census_age_2010_synthetic.csv: a SYNTHETIC 2010 small-area table for the Nagato sample,
in the layout of census_age_2015_synthetic.csv (e-Stat T001082: population by sex and 5-year age
group), so that `chiiki project` has two censuses five years apart.

Nothing here is the real 2010 census. Each area's 2010 cohorts are its 2015 cohorts worked back
through cohort change ratios typical of a shrinking rural city (young adults leave at 15-24, a
few return at 25-29, mortality from the 60s), varied by ±4 % per area and group with a fixed seed:
    P2010(g) = P2015(g + 1) / r(g);  70-74 and 75+ of 2010 share P2015(75+) / r(open) as 1 : 2.
Suppression flags (HTKSYORI, HTKSAKI, GASSAN), unknown ages and the municipality row follow the
2015 table. Run from the repository root: python3 geodata/nagato/make_census_2010_synthetic.py
"""
import csv
import random

SOURCE = "geodata/nagato/census_age_2015_synthetic.csv"
TARGET = "geodata/nagato/census_age_2010_synthetic.csv"
# r(g): 2015 group g+1 over 2010 group g, g = 0-4 … 65-69; then the open group 70+ → 75+.
RATIOS = [0.98, 0.99, 0.93, 0.55, 1.05, 1.00, 0.99, 0.99, 0.99, 0.99, 0.98, 0.98, 0.97, 0.95]
OPEN = 0.80


def back(groups, rng):
    """The 2010 groups (16) from the 2015 ones (16)."""
    out = [0] * 16
    for g in range(14):
        r = RATIOS[g] * (1 + rng.uniform(-0.04, 0.04))
        out[g] = round(groups[g + 1] / r)
    seventy_plus = groups[15] / (OPEN * (1 + rng.uniform(-0.04, 0.04)))
    out[14] = round(seventy_plus / 3)
    out[15] = round(seventy_plus - out[14])
    return out


def columns(groups, total_with_unknown):
    """One sex's 20 cells: total (unknown ages included), 15 groups, <15, 15-64, 65+, 75+."""
    return [total_with_unknown] + groups[:15] + [sum(groups[:3]), sum(groups[3:13]), sum(groups[13:]), groups[15]]


with open(SOURCE, encoding="cp932", newline="") as f:
    rows = list(csv.reader(f))
header, labels, data = rows[0], rows[1], rows[2:]
out_rows = []
sums = None
for row in data:
    ident, cells = row[:7], row[7:]
    if "X" in cells:
        out_rows.append(row)
        continue
    values = [int(c) if c not in ("-", "") else 0 for c in cells]
    rng = random.Random(int(row[0]) * 7919 + 2010)
    male15, female15 = values[21:36] + [values[39]], values[41:56] + [values[59]]
    male, female = back(male15, rng), back(female15, rng)
    unknown_m = values[20] - sum(male15)
    unknown_f = values[40] - sum(female15)
    m = columns(male, sum(male) + unknown_m)
    fm = columns(female, sum(female) + unknown_f)
    both = [a + b for a, b in zip(m, fm)]
    out_rows.append(ident + [str(v) for v in both + m + fm])
# The municipality row is the sum of its areas (the host row already holds its absorbed area).
areas = [r for r in out_rows if r[1] != "1" and "X" not in r[7:]]
totals = [sum(int(r[7 + i]) for r in areas) for i in range(len(header) - 7)]
out_rows = [r if r[1] != "1" else r[:7] + [str(v) for v in totals] for r in out_rows]
with open(TARGET, "w", encoding="cp932", newline="") as f:
    w = csv.writer(f, lineterminator="\r\n")
    w.writerow(header)
    w.writerow(labels)
    w.writerows(out_rows)
print(f"wrote {TARGET}: {len(out_rows)} rows, municipality {totals[0]} people")
