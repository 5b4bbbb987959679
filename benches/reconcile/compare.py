"""The reconciliation of `pagoefectivo reconcile run` done with pandas (merge) or polars (join), for the benchmark.

Same files, same rules (docs/reconciliation.md): duplicates per side, match by CIP then by
transaction code, the same class priority, tolerance, T+n business days on the Peruvian
calendar (numpy/polars business-day offsets with the same holidays). Amounts become integer
cents (exact for the two-decimal amounts the generator writes). Prints the class counts and
checks them against the generator's expected.json; writes the exceptions as CSV.

usage: compare.py pandas|polars ORDERS.csv REPORT.csv EXPECTED.json OUT_DIR
"""

import datetime as dt
import json
import sys
import time

T0 = time.perf_counter()
ENGINE, ORDERS, REPORT, EXPECTED, OUT = sys.argv[1:6]
EXP = json.load(open(EXPECTED))
AS_OF = dt.datetime.fromisoformat(EXP["asOf"])
AS_OF_DAY = AS_OF.date().isoformat()
# Every time in the files is written with -05:00, so Lima times compare as text.
AS_OF_TEXT = EXP["asOf"]
TOL = 5  # cents: the default 0.05
N_DAYS = 3
FIXED = [(1, 1, 0), (5, 1, 0), (6, 7, 2024), (6, 29, 0), (7, 23, 2024), (7, 28, 0), (7, 29, 0), (8, 6, 2022),
         (8, 30, 0), (10, 8, 0), (11, 1, 0), (12, 8, 0), (12, 9, 2022), (12, 25, 0)]


def easter(y):
    # Anonymous Gregorian algorithm (Meeus/Jones/Butcher), as the computus crate.
    a, b, c = y % 19, y // 100, y % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l) // 451
    month = (h + l - 7 * m + 114) // 31
    day = (h + l - 7 * m + 114) % 31 + 1
    return dt.date(y, month, day)


def holidays(years):
    out = []
    for y in years:
        out += [dt.date(y, m, d) for m, d, since in FIXED if y >= since]
        sunday = easter(y)
        out += [sunday - dt.timedelta(days=3), sunday - dt.timedelta(days=2)]
    return sorted(out)


HOLIDAYS = holidays(range(AS_OF.year - 2, AS_OF.year + 2))
CLASSES = ["matched", "unpaid", "missed_notification", "not_paid_at_pagoefectivo", "amount_mismatch",
           "currency_mismatch", "duplicate", "unknown_reference", "refund_not_reflected", "expired_open",
           "settlement_overdue"]


def run_pandas():
    import numpy as np
    import pandas as pd

    text = {c: str for c in ["order_id", "transaction_code", "currency", "status", "expires_at", "paid_at", "settled_at"]}
    read = lambda f: pd.read_csv(f, dtype={**text, "cip": "Int64"}, keep_default_na=False, na_values={"cip": [""]})
    o, r = read(ORDERS), read(REPORT)
    for df in (o, r):
        df["amt"] = (df["amount"].astype("float64") * 100).round().astype("int64")
        df["ref"] = (pd.to_numeric(df["refunded_amount"], errors="coerce").fillna(0) * 100).round().astype("int64")
    o_dup = (o["cip"].notna() & o.duplicated("cip")) | (o["cip"].isna() & o.duplicated("order_id"))
    r_dup = r.duplicated("cip")
    O, R = o.add_suffix("_o"), r.add_suffix("_r")
    oc, on, rf = O[~o_dup & O["cip_o"].notna()], O[~o_dup & O["cip_o"].isna()], R[~r_dup]
    m = oc.merge(rf, left_on="cip_o", right_on="cip_r", how="outer", indicator=True)
    pairs, alone, lr = m[m["_merge"] == "both"], m[m["_merge"] == "left_only"][O.columns], m[m["_merge"] == "right_only"][R.columns]
    m2 = on.merge(lr, left_on="order_id_o", right_on="transaction_code_r", how="outer", indicator=True)
    pairs = pd.concat([pairs, m2[m2["_merge"] == "both"]], ignore_index=True)
    alone = pd.concat([alone, m2[m2["_merge"] == "left_only"][O.columns]], ignore_index=True)
    rest = m2[m2["_merge"] == "right_only"][R.columns]
    second = rest["transaction_code_r"].isin(oc["order_id_o"])

    p_paid, o_paid = pairs["status_r"] == "paid", pairs["status_o"] == "paid"
    paid_day = pairs["paid_at_r"].str.slice(0, 10)
    unsettled = (pairs["settled_at_r"] == "") & (paid_day != "")
    due = np.busday_offset(paid_day.where(paid_day != "", AS_OF_DAY).to_numpy(dtype="datetime64[D]"), N_DAYS,
                           roll="backward", holidays=HOLIDAYS)
    overdue = unsettled & (due < np.datetime64(AS_OF_DAY))
    expired = pairs["status_r"].isin(["expired", "deleted"]) | (
        (pairs["expires_at_o"] != "") & (pairs["expires_at_o"] <= AS_OF_TEXT))
    cls = np.select(
        [pairs["currency_o"] != pairs["currency_r"], (pairs["amt_o"] - pairs["amt_r"]).abs() > TOL,
         p_paid & ~o_paid, p_paid & ((pairs["ref_o"] - pairs["ref_r"]).abs() > TOL), p_paid & overdue, p_paid,
         o_paid, (pairs["status_o"] == "pending") & expired],
        ["currency_mismatch", "amount_mismatch", "missed_notification", "refund_not_reflected",
         "settlement_overdue", "matched", "not_paid_at_pagoefectivo", "expired_open"], "unpaid")
    a_exp = (alone["expires_at_o"] != "") & (alone["expires_at_o"] <= AS_OF_TEXT)
    a_cls = np.select([alone["status_o"] == "paid", (alone["status_o"] == "pending") & a_exp],
                      ["not_paid_at_pagoefectivo", "expired_open"], "unpaid")
    key = lambda df, cls, oid, cip: pd.DataFrame({"class": cls, "order_id": df[oid].to_numpy(), "cip": df[cip].to_numpy()})
    out = pd.concat([
        key(pairs, cls, "order_id_o", "cip_r"), key(alone, a_cls, "order_id_o", "cip_o"),
        key(o[o_dup], "duplicate", "order_id", "cip"), key(r[r_dup], "duplicate", "transaction_code", "cip"),
        key(rest, np.where(second, "duplicate", "unknown_reference"), "transaction_code_r", "cip_r")], ignore_index=True)
    counts = {k: int(v) for k, v in out["class"].value_counts().items()}
    out[~out["class"].isin(["matched", "unpaid"])].to_csv(f"{OUT}/exceptions-pandas.csv", index=False)
    return counts


def run_polars():
    import polars as pl

    s = {"order_id": pl.Utf8, "transaction_code": pl.Utf8, "cip": pl.Int64, "currency": pl.Utf8, "status": pl.Utf8,
         "amount": pl.Float64, "refunded_amount": pl.Float64, "expires_at": pl.Utf8, "paid_at": pl.Utf8,
         "settled_at": pl.Utf8}
    o = pl.read_csv(ORDERS, schema_overrides=s)
    r = pl.read_csv(REPORT, schema_overrides=s)

    def prep(df):
        return df.with_columns(
            amt=(pl.col("amount") * 100).round().cast(pl.Int64),
            ref=(pl.col("refunded_amount").fill_null(0) * 100).round().cast(pl.Int64))

    o = prep(o).with_row_index("row")
    r = prep(r).with_row_index("row")
    o = o.with_columns(dup=pl.when(pl.col("cip").is_not_null()).then(~pl.col("cip").is_first_distinct())
                       .otherwise(~pl.col("order_id").is_first_distinct()))
    r = r.with_columns(dup=~pl.col("cip").is_first_distinct())
    oc = o.filter(~pl.col("dup") & pl.col("cip").is_not_null())
    on = o.filter(~pl.col("dup") & pl.col("cip").is_null())
    rf = r.filter(~pl.col("dup"))
    pairs = oc.join(rf, on="cip", how="inner", suffix="_r")
    alone = oc.join(rf, on="cip", how="anti")
    left_r = rf.join(oc, on="cip", how="anti")
    pairs2 = on.drop("cip").join(left_r, left_on="order_id", right_on="transaction_code", how="inner", suffix="_r")
    alone = pl.concat([alone, on.join(left_r, left_on="order_id", right_on="transaction_code", how="anti")])
    rest = left_r.join(on, left_on="transaction_code", right_on="order_id", how="anti")
    pairs = pl.concat([pairs.drop("transaction_code"), pairs2.select(pairs.drop("transaction_code").columns)])
    rest = rest.with_columns(second=pl.col("transaction_code").is_in(oc["order_id"].implode()))
    paid_day = pl.col("paid_at_r").str.slice(0, 10).str.to_date("%Y-%m-%d")
    due = paid_day.dt.add_business_days(N_DAYS, holidays=HOLIDAYS, roll="backward")
    as_of_day = AS_OF.date()
    past = (pl.col("expires_at") <= AS_OF_TEXT).fill_null(False)
    expired = pl.col("status_r").is_in(["expired", "deleted"]) | past
    p_paid = pl.col("status_r") == "paid"
    o_paid = pl.col("status") == "paid"
    cls = (pl.when(pl.col("currency") != pl.col("currency_r")).then(pl.lit("currency_mismatch"))
           .when((pl.col("amt") - pl.col("amt_r")).abs() > TOL).then(pl.lit("amount_mismatch"))
           .when(p_paid & ~o_paid).then(pl.lit("missed_notification"))
           .when(p_paid & ((pl.col("ref") - pl.col("ref_r")).abs() > TOL)).then(pl.lit("refund_not_reflected"))
           .when(p_paid & pl.col("settled_at").is_null() & (due < as_of_day)).then(pl.lit("settlement_overdue"))
           .when(p_paid).then(pl.lit("matched"))
           .when(o_paid).then(pl.lit("not_paid_at_pagoefectivo"))
           .when((pl.col("status") == "pending") & expired).then(pl.lit("expired_open"))
           .otherwise(pl.lit("unpaid")))
    pairs = pairs.with_columns(**{"class": cls})
    a_exp = past
    alone = alone.with_columns(**{"class": pl.when(o_paid).then(pl.lit("not_paid_at_pagoefectivo"))
                                  .when((pl.col("status") == "pending") & a_exp).then(pl.lit("expired_open"))
                                  .otherwise(pl.lit("unpaid"))})
    dups = pl.concat([o.filter("dup").select("order_id", "cip"),
                      r.filter("dup").select(pl.col("transaction_code").alias("order_id"), "cip")])
    rest = rest.select(pl.when("second").then(pl.lit("duplicate")).otherwise(pl.lit("unknown_reference")).alias("class"),
                       pl.col("transaction_code").alias("order_id"), "cip")
    out = pl.concat([pairs.select("class", "order_id", "cip"), alone.select("class", "order_id", "cip"),
                     dups.select(pl.lit("duplicate").alias("class"), "order_id", "cip"), rest])
    counts = {k: v for k, v in out.group_by("class").len().iter_rows()}
    out.filter(~pl.col("class").is_in(["matched", "unpaid"])).write_csv(f"{OUT}/exceptions-polars.csv")
    return counts


counts = run_pandas() if ENGINE == "pandas" else run_polars()
wall = time.perf_counter() - T0
want = EXP["counts"]
ok = all(counts.get(c, 0) == want.get(c, 0) for c in CLASSES)
print(json.dumps({"engine": ENGINE, "seconds_in_script": round(wall, 3), "counts_match_expected": ok,
                  "counts": {c: counts.get(c, 0) for c in CLASSES if counts.get(c, 0)}}))
sys.exit(0 if ok else 1)
