"""syncsim's benchmark: population, initial and incremental cycles, a published peer, the floor, memory.

    python bench/sync_bench.py [--sizes 1000,10000,100000] [--json]

Everything is measured in this one run on this machine, and reported as seconds and as ratios:

1. population: our pooled Faker factories vs calling Faker field by field for the same fields;
2. our initial cycle for N CRM contacts, and incremental cycles with 100 and with 1% changes;
3. vdirsyncer (``pip install -e ".[bench]"``) syncing the same N contacts between two in-memory
   storages, initial and incremental, as the ratio ours / theirs (below 1: we are faster);
4. the floor: copying N records dict to dict, as the ratio of our initial cycle to it;
5. peak memory (RSS) of a process holding 100k contacts on each side after the initial sync.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

from faker import Faker

from syncsim.harness import World

ROUNDS = 3


def timed(work: Callable[[], Any]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


# -- 1. population -------------------------------------------------------------------------------


def faker_field_by_field(n: int, seed: int = 1) -> None:
    """The naive way: one Faker call per field per record, the same fields our factory fills."""
    fake = Faker("en_US")
    fake.seed_instance(seed)
    for _ in range(n):
        first, last = fake.first_name(), fake.last_name()
        {
            "firstname": first,
            "lastname": last,
            "jobtitle": fake.job(),
            "emailaddress1": fake.email(),
            "telephone1": fake.phone_number(),
            "mobilephone": fake.phone_number(),
            "address1_line1": fake.street_address(),
            "address1_city": fake.city(),
            "address1_stateorprovince": fake.state(),
            "address1_postalcode": fake.postcode(),
            "address1_country": fake.country(),
        }


def populated(n: int) -> tuple[World, Any, float]:
    world = World(seed=1)
    user = world.add_user("user")
    seconds = timed(lambda: world.populate(user, contacts=n, side="crm"))
    return world, user, seconds


# -- 2. our cycles ---------------------------------------------------------------------------------


def incremental(world: World, ids: list[str], round_: int) -> float:
    """Edit these contacts in CRM, then time one cycle; returns its seconds."""
    for crm_id in ids:
        world.crm.update("contact", crm_id, {"jobtitle": f"Title {round_}"})
    return timed(world.sync)


# -- 3. vdirsyncer -------------------------------------------------------------------------------


def vcard(uid: int, record: dict[str, Any], title: str = "") -> str:
    return (
        "BEGIN:VCARD\r\nVERSION:3.0\r\n"
        f"UID:{uid}\r\nFN:{record['firstname']} {record['lastname']}\r\n"
        f"N:{record['lastname']};{record['firstname']};;;\r\n"
        f"EMAIL:{record['emailaddress1']}\r\nTITLE:{title or record['jobtitle']}\r\n"
        f"ADR;TYPE=WORK:;;{record.get('address1_line1', '')};{record.get('address1_city', '')};;;\r\n"
        "END:VCARD\r\n"
    )


def vdirsyncer_run(records: list[dict[str, Any]], changes: list[int]) -> dict[str, float] | None:
    try:
        from vdirsyncer.storage.memory import MemoryStorage
        from vdirsyncer.sync import sync
        from vdirsyncer.sync.status import SqliteStatus
        from vdirsyncer.vobject import Item
    except ImportError:
        return None

    async def run() -> dict[str, float]:
        a, b, status = MemoryStorage(), MemoryStorage(), SqliteStatus(":memory:")
        hrefs = []
        for uid, record in enumerate(records):
            href, _ = await a.upload(Item(vcard(uid, record)))
            hrefs.append(href)
        out = {}
        start = time.perf_counter()
        await sync(a, b, status)
        out["initial"] = time.perf_counter() - start
        for label, count in zip(("100", "1%"), changes, strict=True):
            for uid in range(count):
                etag = a.items[hrefs[uid]][0]
                await a.update(hrefs[uid], Item(vcard(uid, records[uid], f"Title {label}")), etag)
            start = time.perf_counter()
            await sync(a, b, status)
            out[label] = time.perf_counter() - start
        return out

    return asyncio.run(run())


# -- 4. the floor and 5. memory ------------------------------------------------------------------


def floor(world: World) -> float:
    records = {r["contactid"]: r for r in world.crm.query("contact")}
    return timed(lambda: {key: dict(value) for key, value in records.items()})


# VmHWM, not ru_maxrss: ru_maxrss survives exec, so a child forked from this (large) process
# would report the parent's memory.
PEAK_SCRIPT = """
import resource
from pathlib import Path
from syncsim.harness import World
world = World(seed=1)
user = world.add_user("user")
world.populate(user, contacts=100_000, side="crm")
world.sync()
assert world.outlook(user).count("contact") == 100_000
status = Path("/proc/self/status")
lines = status.read_text().splitlines() if status.exists() else []
hwm = [int(line.split()[1]) for line in lines if line.startswith("VmHWM:")]
print(hwm[0] if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def peak_rss_mb() -> float:
    out = subprocess.run([sys.executable, "-c", PEAK_SCRIPT], capture_output=True, text=True, check=True)
    return int(out.stdout.strip()) / 1024


# -- the run -------------------------------------------------------------------------------------


def measure(n: int) -> dict[str, Any]:
    row: dict[str, Any] = {"n": n}
    world, _, row["populate_s"] = populated(n)
    row["faker_field_by_field_s"] = timed(lambda: faker_field_by_field(n))
    records = world.crm.query("contact")
    row["floor_copy_s"] = floor(world)
    row["initial_s"] = timed(world.sync)
    ids = [record["contactid"] for record in records]
    hundreds = [ids[r * 100 : (r + 1) * 100] for r in range(ROUNDS)]
    row["incr_100_s"] = statistics.median(incremental(world, batch, r) for r, batch in enumerate(hundreds))
    one_percent = max(1, n // 100)
    percents = [ids[len(ids) - (r + 1) * one_percent :][:one_percent] for r in range(ROUNDS)]
    row["incr_1pct_s"] = statistics.median(
        incremental(world, batch, ROUNDS + r) for r, batch in enumerate(percents)
    )
    theirs = vdirsyncer_run(records, [100, one_percent])
    if theirs:
        row.update(vdir_initial_s=theirs["initial"], vdir_incr_100_s=theirs["100"])
        row["vdir_incr_1pct_s"] = theirs["1%"]
    return row


def ratios(row: dict[str, Any], base: dict[str, Any]) -> dict[str, float]:
    out = {
        "populate_speedup_vs_faker": row["faker_field_by_field_s"] / row["populate_s"],
        "initial_vs_floor": row["initial_s"] / row["floor_copy_s"],
        "incr_100_vs_smallest_n": row["incr_100_s"] / base["incr_100_s"],
    }
    if "vdir_initial_s" in row:
        out["initial_ours_over_vdirsyncer"] = row["initial_s"] / row["vdir_initial_s"]
        out["incr_1pct_ours_over_vdirsyncer"] = row["incr_1pct_s"] / row["vdir_incr_1pct_s"]
        out["incr_100_ours_over_vdirsyncer"] = row["incr_100_s"] / row["vdir_incr_100_s"]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="contact counts, comma-separated")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--no-memory", action="store_true", help="skip the 100k peak-memory run")
    args = parser.parse_args()
    try:
        sizes = [int(size) for size in args.sizes.split(",")]
    except ValueError:
        parser.error(f"--sizes {args.sizes!r}: whole numbers separated by commas")
    rows = []
    for n in sizes:
        print(f"measuring N={n} ...", file=sys.stderr)
        rows.append(measure(n))
    for row in rows:
        row["ratios"] = ratios(row, rows[0])
    result = {
        "machine": f"{platform.machine()}, {platform.processor() or '?'}, Python {platform.python_version()}",
        "rows": rows,
        "peak_rss_mb_100k_each_side": None if args.no_memory else peak_rss_mb(),
        "own_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print_table(result)


def print_table(result: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"syncsim benchmark ({result['machine']})")
    columns = [
        ("N", "n", "{}"),
        ("populate s", "populate_s", "{:.3f}"),
        ("Faker/field s", "faker_field_by_field_s", "{:.3f}"),
        ("floor copy s", "floor_copy_s", "{:.4f}"),
        ("initial s", "initial_s", "{:.3f}"),
        ("incr 100 ms", "incr_100_s", "ms"),
        ("incr 1% ms", "incr_1pct_s", "ms"),
        ("vdir initial s", "vdir_initial_s", "{:.3f}"),
        ("vdir incr 1% ms", "vdir_incr_1pct_s", "ms"),
    ]
    for title, _, _ in columns:
        table.add_column(title, justify="right")
    for row in result["rows"]:
        cells = []
        for _, key, fmt in columns:
            value = row.get(key)
            cells.append(
                "-" if value is None else f"{value * 1000:.1f}" if fmt == "ms" else fmt.format(value)
            )
        table.add_row(*cells)
    ratio_table = Table(title="ratios (measured in this run)")
    names = list(result["rows"][0]["ratios"])
    ratio_table.add_column("N", justify="right")
    for name in names:
        ratio_table.add_column(name.replace("_", " "), justify="right")
    for row in result["rows"]:
        ratio_table.add_row(str(row["n"]), *(f"{row['ratios'][name]:.2f}" for name in names))
    console = Console(width=160)
    console.print(table)
    console.print(ratio_table)
    if result["peak_rss_mb_100k_each_side"]:
        console.print(f"peak RSS, 100k contacts on each side: {result['peak_rss_mb_100k_each_side']:.0f} MB")


if __name__ == "__main__":
    main()
