"""Load on the Dataverse face: N contacts created over HTTP by C concurrent clients, then read back
with server-driven paging; nothing lost, nothing duplicated.

    python bench/http_load.py [--contacts 10000] [--clients 4] [--page 500]

Everything runs in this one process: uvicorn serving the faces on 127.0.0.1 in a thread, and the
clients (httpx) in threads of their own, each with a kept-alive connection. Printed: requests a
second for the writes and for the pages, and the ratio of one write to one page of reads.
"""

from __future__ import annotations

import argparse
import threading
import time
from collections import Counter

import httpx

from syncsim.harness.tools.servers.app import Server
from syncsim.harness.tools.servers.backend import Backend
from syncsim.harness.world import World

API = "/api/data/v9.2"


def create(url: str, token: str, client_number: int, count: int, made: list[str], errors: list[str]) -> None:
    headers = {"Authorization": f"Bearer {token}", "Prefer": "return=representation"}
    with httpx.Client(base_url=url, headers=headers, timeout=30) as http:
        for number in range(count):
            body = {"firstname": f"Client{client_number}", "lastname": f"Contact{number:06d}"}
            answer = http.post(f"{API}/contacts", json=body)
            if answer.status_code != 201:
                errors.append(f"{answer.status_code} {answer.text[:200]}")
                continue
            made.append(answer.json()["contactid"])


def read_all(url: str, token: str, page: int) -> tuple[list[dict[str, str]], int]:
    headers = {"Authorization": f"Bearer {token}", "Prefer": f"odata.maxpagesize={page}"}
    found: list[dict[str, str]] = []
    pages = 0
    with httpx.Client(base_url=url, headers=headers, timeout=60) as http:
        link: str | None = f"{API}/contacts?$select=fullname"
        while link:
            body = http.get(link).json()
            found += body["value"]
            link = body.get("@odata.nextLink")
            pages += 1
    return found, pages


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--contacts", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--page", type=int, default=500, help="Prefer: odata.maxpagesize (default 500)")
    args = parser.parse_args()
    world = World(seed=1)
    world.add_user("alice")
    with Server(Backend(world)) as server:
        token = server.backend.token_for("alice")
        made: list[str] = []
        errors: list[str] = []
        share = args.contacts // args.clients
        threads = [
            threading.Thread(target=create, args=(server.url, token, n, share, made, errors))
            for n in range(args.clients)
        ]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        writing = time.perf_counter() - started
        started = time.perf_counter()
        found, pages = read_all(server.url, token, args.page)
        reading = time.perf_counter() - started
    ids = Counter(record["contactid"] for record in found)
    names = Counter(record["fullname"] for record in found)
    lost = set(made) - set(ids)
    duplicated = [key for key, n in ids.items() if n > 1] + [name for name, n in names.items() if n > 1]
    per_write, per_record = writing / len(made), reading / len(found)
    print(
        f"{len(made):,} contacts created by {args.clients} clients in {writing:.2f} s: {1 / per_write:,.0f}/s"
    )
    print(
        f"read back in {pages} pages of up to {args.page} in {reading:.2f} s: {1 / per_record:,.0f} records/s"
    )
    print(
        f"one write {per_write * 1000:.2f} ms, one record read {per_record * 1000:.3f} ms: "
        f"{per_write / per_record:.0f}x"
    )
    stored = world.crm.count("contact")
    print(f"errors: {len(errors)}; lost: {len(lost)}; duplicated: {len(duplicated)}; stored: {stored:,}")
    ok = not errors and not lost and not duplicated and len(found) == len(made) == share * args.clients
    print("nothing lost or duplicated" if ok else "LOST OR DUPLICATED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
