#!/usr/bin/env python3
"""The Python forecasting anchors for Prescient's forecast benchmark (never a runtime dependency).

Runs statsforecast's SeasonalNaive(24), SeasonalNaive(168), AutoETS(24), MSTL(24, 168) and
AutoTheta(24), and Prophet, as a Python user would call them (library defaults), on a long-format
CSV (unique_id, ds, y), in rolling-origin cross-validation: h steps, `windows` origins `step` apart,
the last one h steps before each series' end. Writes statsforecast's cross-validation layout
(unique_id, ds, cutoff, y, <model>, <model>-lo-80, <model>-hi-80) and the seconds each model took.

Gaps (empty y) are filled before fitting, because these libraries need complete series: with the
value one week earlier where there is one, else by linear interpolation. Prescient reads the same
file with its gaps and handles them itself. Prophet gets the same holiday table as Prescient
(--holidays); statsforecast's models have no holiday input.

Every model sees at most the last `input_size` observations before each origin (statsforecast's
`input_size`; Prescient's `backtest --input-size`), so all are compared on the same history.

usage: forecast_anchors.py IN.csv OUT_CV.csv OUT_TIMES.csv [--h 24] [--windows 7] [--step 24] [--input-size N]
"""
import argparse
import logging
import time
import warnings

import numpy as np
import pandas as pd

warnings.filterwarnings("ignore")
logging.getLogger("cmdstanpy").setLevel(logging.ERROR)
logging.getLogger("prophet").setLevel(logging.ERROR)


def fill_gaps(df: pd.DataFrame) -> pd.DataFrame:
    out = []
    for uid, g in df.groupby("unique_id", sort=True):
        g = g.sort_values("ds").set_index("ds")
        y = g["y"].copy()
        week = y.shift(168)
        y = y.fillna(week).interpolate(limit_direction="both")
        out.append(pd.DataFrame({"unique_id": uid, "ds": y.index, "y": y.values}))
    return pd.concat(out, ignore_index=True)


def run_statsforecast(df, h, windows, step, input_size):
    from statsforecast import StatsForecast
    from statsforecast.models import MSTL, AutoETS, AutoTheta, SeasonalNaive

    models = [
        SeasonalNaive(season_length=24, alias="SeasonalNaive24"),
        SeasonalNaive(season_length=168, alias="SeasonalNaive168"),
        AutoETS(season_length=24),
        MSTL(season_length=[24, 168]),
        AutoTheta(season_length=24),
    ]
    frames, seconds = [], {}
    for m in models:
        sf = StatsForecast(models=[m], freq="h", n_jobs=1)
        t0 = time.perf_counter()
        cv = sf.cross_validation(df=df, h=h, n_windows=windows, step_size=step, level=[80], input_size=input_size)
        seconds[str(m)] = time.perf_counter() - t0
        frames.append(cv.reset_index() if "unique_id" not in cv.columns else cv)
    merged = frames[0]
    for f in frames[1:]:
        merged = merged.merge(f.drop(columns=["y"]), on=["unique_id", "ds", "cutoff"])
    return merged, seconds


def run_prophet(df, h, windows, step, input_size, holidays):
    from prophet import Prophet

    rows = []
    t0 = time.perf_counter()
    for uid, g in df.groupby("unique_id", sort=True):
        g = g.sort_values("ds").reset_index(drop=True)
        n = len(g)
        for w in range(windows):
            c = n - h - (windows - 1 - w) * step
            train = g.iloc[max(0, c - input_size) if input_size else 0:c]
            model = Prophet(interval_width=0.8, holidays=holidays)
            model.fit(train[["ds", "y"]])
            future = pd.DataFrame({"ds": g["ds"].iloc[c:c + h].values})
            p = model.predict(future)
            for i in range(len(future)):
                rows.append({"unique_id": uid, "ds": future["ds"].iloc[i], "cutoff": train["ds"].iloc[-1],
                             "Prophet": p["yhat"].iloc[i], "Prophet-lo-80": p["yhat_lower"].iloc[i],
                             "Prophet-hi-80": p["yhat_upper"].iloc[i]})
    return pd.DataFrame(rows), {"Prophet": time.perf_counter() - t0}


def speed(path, count):
    """Seconds per series for AutoETS(24) and MSTL(24, 168), h = 24, on the first `count` series."""
    from statsforecast import StatsForecast
    from statsforecast.models import MSTL, AutoETS

    df = pd.read_csv(path, parse_dates=["ds"])
    ids = sorted(df["unique_id"].unique())[:count]
    df = fill_gaps(df[df["unique_id"].isin(ids)])
    for m in [AutoETS(season_length=24), MSTL(season_length=[24, 168])]:
        t0 = time.perf_counter()
        StatsForecast(models=[m], freq="h", n_jobs=1).forecast(df=df, h=24, level=[80, 98])
        dt = time.perf_counter() - t0
        print(f"  {str(m):17s} {len(ids) / dt:8.2f} series/s  ({dt / len(ids) * 1000:.1f} ms each, {len(ids)} series, statsforecast)")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("input"); ap.add_argument("cv_out"); ap.add_argument("times_out")
    ap.add_argument("--h", type=int, default=24)
    ap.add_argument("--windows", type=int, default=7)
    ap.add_argument("--step", type=int, default=24)
    ap.add_argument("--input-size", type=int, default=None)
    ap.add_argument("--holidays", default=None, help="ds,holiday table given to Prophet (the others take none)")
    ap.add_argument("--speed", type=int, default=0, help="time AutoETS and MSTL on this many series of IN.csv instead")
    a = ap.parse_args()
    if a.speed:
        speed(a.input, a.speed)
        return
    df = pd.read_csv(a.input, parse_dates=["ds"])
    df = fill_gaps(df)
    cv, seconds = run_statsforecast(df, a.h, a.windows, a.step, a.input_size)
    holidays = pd.read_csv(a.holidays, parse_dates=["ds"])[["ds", "holiday"]] if a.holidays else None
    pr, ps = run_prophet(df, a.h, a.windows, a.step, a.input_size, holidays)
    seconds.update(ps)
    cv = cv.merge(pr, on=["unique_id", "ds", "cutoff"], how="left")
    cv.to_csv(a.cv_out, index=False, date_format="%Y-%m-%d %H:%M:%S")
    pd.DataFrame({"model": list(seconds), "seconds": list(seconds.values())}).to_csv(a.times_out, index=False)
    for k, v in seconds.items():
        print(f"  {k}: {v:.1f} s")


if __name__ == "__main__":
    main()
