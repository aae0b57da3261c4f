"""syncsim whatif on big exports: a vCard file and a CRM CSV of N contacts (seeded Faker data,
made by this script), then `syncsim whatif` on them in a fresh process, timed, with its peak memory.

    python bench/whatif_bench.py [--contacts 100000] [--shape generated|outlook21] [--keep DIR]

``generated`` (the default): vCard 3.0 as syncsim writes it. The pair is what an administrator
exports before switching "Address synchronization for contacts" from mailing address only to all
three addresses: Outlook holds a second address for every contact, CRM only the mailing one, so
every contact would lose values. Printed: seconds and MB for reading and comparing, the records a
second, and the ratio to the 30 s / 1.5 GB targets.

``outlook21``: cards as Outlook writes them, vCard 2.1 with quoted-printable LABELs continued over
soft line breaks, CHARSET and CRLF, made from the vCard 2.1 example of Wikipedia's vCard article
(public, quoted by many projects' tests) with varied names, and a matching CRM CSV. Printed, all
from this one run: `syncsim inspect --json` CPU seconds against a plain vobject loop over the same
file (vobject reads it once the soft line breaks are joined: it cannot itself) and its peak memory,
whatif's seconds and peak, and whatif on a pair whose one value is a megabyte, against the
targets (2x vobject's CPU, 1 GB, 60 s, 5 s).
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from faker import Faker

from syncsim.harness import mapping
from syncsim.harness.tools.formats.crmfiles import write_csv
from syncsim.harness.tools.formats.vcard import write_vcf
from syncsim.harness.world import World

TARGET_SECONDS, TARGET_MB = 30.0, 1536.0
#: the outlook21 shape's targets: inspect CPU against vobject's, inspect MB, whatif s, 1 MB value s
TARGET_CPU_RATIO, TARGET_INSPECT_MB, TARGET_WHATIF_21, TARGET_MEGABYTE_VALUE = 2.0, 1024.0, 60.0, 5.0
#: the vCard 2.1 example of Wikipedia's "vCard" article, as Outlook-era exports write it (CRLF,
#: quoted-printable LABELs with soft line breaks); the name and e-mail vary per card
OUTLOOK_21 = """BEGIN:VCARD
VERSION:2.1
N:{last};{first};;Mr.
FN:{first} {last}
ORG:Bubba Gump Shrimp Co.
TITLE:Shrimp Man
PHOTO;GIF:http://www.example.com/dir_photos/my_photo.gif
TEL;WORK;VOICE:(111) 555-1212
TEL;HOME;VOICE:(404) 555-1212
ADR;WORK;PREF:;;100 Waters Edge;Baytown;LA;30314;United States of America
LABEL;WORK;PREF;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:100 Waters Edge=0D=
 =0ABaytown\\, LA 30314=0D=0AUnited States of America
ADR;HOME:;;42 Plantation St.;Baytown;LA;30314;United States of America
LABEL;HOME;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:42 Plantation St.=0D=0A=
 Baytown, LA 30314=0D=0AUnited States of America
EMAIL:{email}
REV:20080424T195243Z
END:VCARD
"""
VOBJECT_LOOP = """
import sys, vobject
text = open(sys.argv[1], encoding="utf-8", newline="").read().replace("=\\r\\n ", "").replace("=\\r\\n", "")
print(sum(1 for _ in vobject.readComponents(text)))
"""
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


def make_outlook21(folder: Path, count: int) -> tuple[Path, Path]:
    """N cards of Outlook's 2.1 shape with seeded names, and the CRM records they came from (the
    mailing address only, under the current setting)."""
    fake = Faker()
    fake.seed_instance(2021)
    vcf, csv = folder / "outlook21.vcf", folder / "crm21.csv"
    records = []
    with vcf.open("w", encoding="utf-8", newline="") as out:
        for n in range(count):
            first, last = fake.first_name(), fake.last_name()
            email = f"{first}.{last}.{n}@example.com".lower()
            out.write(OUTLOOK_21.format(first=first, last=last, email=email).replace("\n", "\r\n"))
            records.append(
                {
                    "firstname": first,
                    "lastname": last,
                    "emailaddress1": email,
                    "jobtitle": "Shrimp Man",
                    "telephone1": "(111) 555-1212",
                    "telephone2": "(404) 555-1212",
                    "address1_line1": "100 Waters Edge",
                    "address1_city": "Baytown",
                    "address1_stateorprovince": "LA",
                    "address1_postalcode": "30314",
                    "address1_country": "United States of America",
                }
            )
    write_csv(csv, "contact", records, list(records[0]))
    return vcf, csv


def measured(argv: list[str]) -> tuple[float, float, float, subprocess.CompletedProcess[str]]:
    """Wall seconds, CPU seconds and peak MB of one fresh process (``argv`` after the python)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, *argv], capture_output=True, text=True)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return seconds, cpu, after.ru_maxrss / 1024, done


def outlook21(folder: Path, count: int) -> int:
    started = time.perf_counter()
    vcf, csv = make_outlook21(folder, count)
    made = time.perf_counter() - started
    print(f"{count:,} Outlook 2.1 cards ({vcf.stat().st_size / 2**20:,.0f} MB): made in {made:.1f} s")
    _, vobject_cpu, _, done = measured(["-c", VOBJECT_LOOP, str(vcf)])
    print(f"  vobject loop: {vobject_cpu:.1f} s CPU ({done.stdout.strip() or done.stderr[-200:]} cards)")
    _, inspect_cpu, _, done = measured(["-c", COMMAND, "inspect", str(vcf), "--json"])
    inspect_mb = _peak_mb(done)
    print(
        f"  syncsim inspect --json: {inspect_cpu:.1f} s CPU, {inspect_cpu / vobject_cpu:.2f}x vobject's "
        f"(target {TARGET_CPU_RATIO:.0f}x), peak {inspect_mb:,.0f} MB (target {TARGET_INSPECT_MB:,.0f}), "
        f"exit {done.returncode}"
    )
    report = folder / "whatif21.json"
    argv = ["whatif", "--crm", str(csv), "--outlook", str(vcf), "--set", "contact_address_sync=all-three"]
    seconds, _, _, done = measured(["-c", COMMAND, *argv, "--report", str(report)])
    summary = [line for line in done.stdout.splitlines() if "read;" in line]
    print(
        f"  syncsim whatif: {seconds:.1f} s (target {TARGET_WHATIF_21:.0f}), peak {_peak_mb(done):,.0f} MB, "
        f"exit {done.returncode}"
    )
    print("    " + (summary[-1][:300] if summary else done.stderr[-400:]))
    big_crm, big_vcf = folder / "megabyte.csv", folder / "megabyte.vcf"
    big_crm.write_text("emailaddress1,firstname,lastname,description\nann@example.com,Ann,Lee,short\n")
    note = "word " * 200_000  # a million characters
    big_vcf.write_text(
        f"BEGIN:VCARD\nVERSION:3.0\nN:Lee;Ann;;;\nFN:Ann Lee\nEMAIL:ann@example.com\nNOTE:{note}\nEND:VCARD\n"
    )
    argv = [
        "whatif",
        "--crm",
        str(big_crm),
        "--outlook",
        str(big_vcf),
        "--field",
        "contact.description=outlook-to-crm",
    ]
    seconds, _, _, done = measured(["-c", COMMAND, *argv, "--report", str(folder / "megabyte.md")])
    print(
        f"  whatif with a 1 MB value: {seconds:.1f} s (target {TARGET_MEGABYTE_VALUE:.0f}), "
        f"exit {done.returncode}"
    )
    return 0


def _peak_mb(done: subprocess.CompletedProcess[str]) -> float:
    peak = [int(line.split()[1]) for line in done.stderr.splitlines() if line.startswith("VmHWM")]
    return peak[0] / 1024 if peak else float("nan")


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
    parser.add_argument(
        "--shape",
        choices=("generated", "outlook21"),
        default="generated",
        help="the cards: syncsim's vCard 3.0 (default) or Outlook's 2.1 with quoted-printable",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        if args.shape == "outlook21":
            return outlook21(folder, args.contacts)
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
