"""HTTPS for the faces: a certificate authority made at start, for this server alone (trustme).

Microsoft's SDKs refuse to send a bearer token over plain HTTP (``PowerPlatform-Dataverse-Client``
will not take an ``http://`` base URL), and a sync program should verify the server it talks to.
So the server can speak HTTPS with a certificate for its own address, signed by a local CA whose
certificate (the *bundle*) clients are told to trust: ``SYNCSIM_CA_BUNDLE`` for ``--engine-cmd``
programs, a path printed by ``syncsim serve --tls``. Verification is never turned off; the CA's key
lives only in this process, so no one else can sign a certificate it would accept.
"""

from __future__ import annotations

import ipaddress
import shutil
import tempfile
import weakref
from pathlib import Path

import trustme

#: the environment variable an ``--engine-cmd`` program finds the CA bundle in
CA_BUNDLE_VARIABLE = "SYNCSIM_CA_BUNDLE"


class LocalTls:
    """A new CA and a server certificate for ``host`` (and the loopback names), as files in a
    private temporary folder, removed when this object goes: ``bundle`` (the CA certificate, for
    clients) and ``certfile`` (the server's key and certificate chain, for uvicorn)."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="syncsim-tls-"))  # (mode 0700: the key is private)
        weakref.finalize(self, shutil.rmtree, self.folder, True)
        authority = trustme.CA(organization_name="syncsim local test CA")
        names = dict.fromkeys([_host_name(host), "127.0.0.1", "localhost", "::1"])
        server = authority.issue_cert(*names)
        self.bundle = self.folder / "syncsim-ca.pem"
        self.certfile = self.folder / "server.pem"
        authority.cert_pem.write_to_path(str(self.bundle))
        server.private_key_and_cert_chain_pem.write_to_path(str(self.certfile))


def _host_name(host: str) -> str:
    """The name a certificate is issued for: an address as written, without IPv6's brackets."""
    bare = host.strip("[]")
    try:
        return str(ipaddress.ip_address(bare))
    except ValueError:
        return bare
