#!/usr/bin/env python3
"""Children's chest breadth by age from the individual records of Snyder et al. 1977.

Snyder RG, Schneider LW, Owings CL, Reynolds HM, Golomb DH, Schork MA, "Anthropometry of Infants,
Children, and Youths to Age 18 for Product Safety Design", UM-HSRI-77-17, University of Michigan
(1977). Its records were published by NIST as "AnthroKids"; a copy of that export is the file
chicos.csv of github.com/solcalloni/talle-zapatos (commit e475a85): one row per child, lengths in
millimetres, 0 = not measured, "AGE IN YEARS" in thousandths of a year, "SEX" 1 = male, 2 = female.

Prints the median "CHEST BREADTH AT AXILLA" (cm) and N for the age groups around 5, 10 and 15 years
(4.5-5.5, 9.5-10.5, 14.5-15.5), by sex: the values
`ChestSectionTests.measuredChestBreadth` holds and checks the fitted phantoms against. Not run by the tests or the product.

    python3 scripts/snyder1977_chest_breadth.py PATH/chicos.csv
"""
import csv
import statistics
import sys


def main(path: str) -> None:
    with open(path, newline="") as f:
        rows = csv.reader(f)
        header = next(rows)
        breadth, age, sex = (header.index(c) for c in ("CHEST BREADTH AT AXILLA", "AGE IN YEARS", "SEX"))
        records = [(float(r[age]) / 1000, r[sex], float(r[breadth]) / 10) for r in rows if r[breadth] not in ("", "0")]
    print("age group (y)   sex   median chest breadth at axilla (cm)   N")
    for low in (4.5, 9.5, 14.5):
        for code, name in (("1", "M"), ("2", "F")):
            values = [b for a, s, b in records if s == code and low <= a < low + 1]
            print(f"{low:4.1f}-{low + 1:4.1f}      {name}     {statistics.median(values):5.1f}                                {len(values)}")


if __name__ == "__main__":
    main(*sys.argv[1:])
