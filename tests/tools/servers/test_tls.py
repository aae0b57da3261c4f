"""HTTPS for the faces: a certificate from a local CA made at start, verified by clients that are
given the CA's certificate, and by no client that is not; an --engine-cmd program is told where
the CA is."""

from __future__ import annotations

import os
import signal
import ssl
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import httpx
import pytest

from syncsim.harness.tools.servers.app import Server, free_port
from syncsim.harness.tools.servers.backend import Backend
from syncsim.harness.tools.servers.command import CommandEngine
from syncsim.harness.world import World


def _verified(bundle: Path) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(bundle))


def test_a_client_that_trusts_the_local_ca_is_served_over_https_and_one_that_does_not_is_refused():
    world = World(seed=3)
    world.add_user("alice")
    with Server(Backend(world), tls=True) as server:
        assert server.url.startswith("https://127.0.0.1:")
        assert server.tls is not None
        token = server.backend.token_for("alice")
        with httpx.Client(base_url=server.url, verify=_verified(server.tls.bundle)) as http:
            answer = http.get("/api/data/v9.2/WhoAmI", headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 200
        assert answer.json()["UserId"] == world.user("alice").systemuserid
        with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
            httpx.get(f"{server.url}/api/data/v9.2/", verify=True)  # (the system's CAs only)
        with pytest.raises(httpx.HTTPError):  # plain HTTP is not spoken on an HTTPS port
            httpx.get(server.url.replace("https", "http") + "/api/data/v9.2/", timeout=5)


def test_each_server_has_its_own_ca(tmp_path):
    with Server(Backend(World(seed=1)), tls=True) as one, Server(Backend(World(seed=1)), tls=True) as two:
        assert one.tls and two.tls and one.tls.bundle.read_bytes() != two.tls.bundle.read_bytes()
        with pytest.raises(httpx.ConnectError):
            httpx.get(f"{one.url}/v1.0/me", verify=_verified(two.tls.bundle))


def test_an_engine_cmd_program_finds_the_ca_in_its_environment_and_verifies_the_server(tmp_path):
    program = tmp_path / "whoami.py"
    program.write_text(
        textwrap.dedent(
            """
            import json, os, ssl, urllib.request
            context = ssl.create_default_context(cafile=os.environ["SYNCSIM_CA_BUNDLE"])
            request = urllib.request.Request(
                os.environ["SYNCSIM_DATAVERSE_URL"] + "WhoAmI",
                headers={"Authorization": "Bearer " + os.environ["SYNCSIM_TOKEN"]},
            )
            with urllib.request.urlopen(request, context=context) as answer:
                user = json.load(answer)["UserId"]
            open(os.path.join(os.environ["SYNCSIM_STATE_DIR"], "me"), "w").write(user)
            """
        )
    )
    with Server(Backend(World(seed=0)), tls=True) as server:
        engine = CommandEngine(f"{sys.executable} {program}", server)
        world = World(seed=4, engine=engine)
        engine.attach(world)
        world.add_user("alice")
        report = world.sync()
        assert not report.cycles[0].failed, report.cycles[0].events
        assert (engine.state / "alice" / "me").read_text() == world.user("alice").systemuserid


def test_syncsim_serve_tls_prints_the_ca_it_made_and_serves_https_with_it(tmp_path):
    port = free_port()
    serving = subprocess.Popen(
        [sys.executable, "-m", "syncsim.harness.tools.cli", "serve", "--tls", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "COLUMNS": "300"},
    )
    try:
        lines = [serving.stdout.readline() for _ in range(2)] if serving.stdout else []
        assert lines[0].startswith(f"Dataverse Web API: https://127.0.0.1:{port}/api/data/v9.2/")
        bundle = Path(lines[1].rpartition(": ")[2].strip())
        assert bundle.read_text().startswith("-----BEGIN CERTIFICATE-----")
        give_up_at = time.monotonic() + 20
        while True:
            try:
                answer = httpx.get(f"https://127.0.0.1:{port}/api/data/v9.2/", verify=_verified(bundle))
                break
            except httpx.ConnectError:
                if time.monotonic() > give_up_at:
                    raise
                time.sleep(0.1)
        assert answer.status_code == 401  # (no token: the face answers, over HTTPS)
    finally:
        serving.send_signal(signal.SIGINT)
        serving.wait(timeout=10)
