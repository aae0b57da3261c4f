"""syncsim whatif on big exports: a vCard 3.0 file and a CRM CSV of N contacts (seeded Faker data,
made by this script), then `syncsim whatif` on them in a fresh process, timed, with its peak memory.

    python bench/whatif_bench.py [--contacts 100000] [--keep DIR]

The pair is what an administrator exports before switching "Address synchronization for contacts"
from mailing address only to all three addresses: Outlook holds a second address for every
contact, CRM only the mailing one, so every contact would lose values. Printed: seconds and MB
for reading and comparing, the records a second, and the ratio to the 30 s / 1.5 GB targets.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from syncsim.harness import mapping
from syncsim.harness.tools.formats.crmfiles import write_csv
from syncsim.harness.tools.formats.vcard import write_vcf
from syncsim.harness.world import World

TARGET_SECONDS, TARGET_MB = 30.0, 1536.0
COMMAND = """
import resource, sys
from pathlib import Path
from syncsim.harness.tools.cli import main
code = main(sys.argv[1:])
lines = Path("/proc/self/status").read_text().splitlines()
print("VmHWM", [int(l.split()[1]) for l in lines if l.startswith("VmHWM:")][0], file=sys.stderr)
sys.exit(code)
"""


def make_pair(folder: Path, count: int) -> tuple[Path, Path]:
    """N Outlook contacts with two addresses (mailing: Business), and their CRM side under
    mailing-only (Address 1 only)."""
    world = World(seed=2026)
    outlook = [world.factory.outlook_contact(addresses=2) for _ in range(count)]
    for contact in outlook:
        contact["SelectedMailingAddress"] = "business"
    crm = []
    for contact in outlook:
        record = {p.crm: contact[p.outlook] for p in mapping.CONTACT if contact.get(p.outlook)}
        record.update(
            {
                p.crm: contact[p.outlook]
                for p in mapping.address_pairs(1, "business")
                if contact.get(p.outlook)
            }
        )
        crm.append(record)
    vcf, csv = folder / "outlook.vcf", folder / "crm.csv"
    write_vcf(vcf, outlook)
    columns = sorted({p.crm for p in mapping.contact_pairs("all-three", None)})
    write_csv(csv, "contact", crm, columns)
    return vcf, csv


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument(
        "--keep", type=Path, help="write the files and the report here (default: a temporary folder)"
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="with --keep: use the files already there (made for the same --contacts)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        vcf, csv = folder / "outlook.vcf", folder / "crm.csv"
        if not (args.reuse and args.keep and vcf.exists() and csv.exists()):
            vcf, csv = make_pair(folder, args.contacts)
        made = time.perf_counter() - started
        report = folder / "whatif.json"
        argv = ["whatif", "--crm", str(csv), "--outlook", str(vcf), "--set", "contact_address_sync=all-three"]
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", COMMAND, *argv, "--report", str(report)], capture_output=True, text=True
        )
        seconds = time.perf_counter() - started
    peak = [int(line.split()[1]) for line in done.stderr.splitlines() if line.startswith("VmHWM")]
    mb = peak[0] / 1024 if peak else float("nan")
    print(f"{args.contacts:,} contacts: files made in {made:.1f} s ({vcf.name}, {csv.name})")
    print(f"syncsim whatif: {seconds:.1f} s, peak {mb:,.0f} MB, exit {done.returncode}")
    print(
        f"  {args.contacts / seconds:,.0f} contacts a second; "
        f"{seconds / TARGET_SECONDS:.2f} of the 30 s target, {mb / TARGET_MB:.2f} of 1.5 GB"
    )
    summary = [line for line in done.stdout.splitlines() if "records and" in line or "read;" in line]
    print("  " + (summary[-1] if summary else done.stdout[-400:]))
    if done.returncode not in (0, 1):
        print(done.stderr[-2000:])
    return 0 if done.returncode in (0, 1) else 1


if __name__ == "__main__":
    raise SystemExit(main())
