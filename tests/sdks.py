"""Microsoft's own SDKs as clients of a syncsim server: the Graph SDK for Python (msgraph-sdk)
and the Dataverse SDK for Python (PowerPlatform-Dataverse-Client), each with a user's bearer token
from the server, over HTTPS verified by the server's local CA when it has one."""

from __future__ import annotations

import asyncio
import ssl
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from syncsim.harness.tools.servers.app import Server


class GraphToken:
    """An access token provider for the Graph SDK: this server's token, for this server's host."""

    def __init__(self, token: str, host: str) -> None:
        from kiota_abstractions.authentication import AllowedHostsValidator

        self.token, self.hosts = token, AllowedHostsValidator([host])

    async def get_authorization_token(self, uri: str, additional_authentication_context: Any = None) -> str:
        return self.token

    def get_allowed_hosts_validator(self) -> Any:
        return self.hosts


@asynccontextmanager
async def graph_client(server: Server, user: str = "alice") -> AsyncIterator[Any]:
    """A GraphServiceClient for ``user`` on ``server``, with the SDK's default middleware (its
    retry handler among them), verifying the server's certificate when it speaks HTTPS; its
    connections closed at the end."""
    import httpx
    from kiota_abstractions.authentication import BaseBearerTokenAuthenticationProvider
    from msgraph import GraphRequestAdapter, GraphServiceClient
    from msgraph.graph_request_adapter import options
    from msgraph_core import GraphClientFactory

    token = GraphToken(server.backend.token_for(user), server.host)
    provider = BaseBearerTokenAuthenticationProvider(token)  # type: ignore[arg-type]
    verify: Any = ssl.create_default_context(cafile=str(server.tls.bundle)) if server.tls else True
    async with httpx.AsyncClient(verify=verify) as plain:
        # (the SDK's own middleware options: "me" and all)
        http = GraphClientFactory.create_with_default_middleware(client=plain, options=options)
        adapter = GraphRequestAdapter(provider, client=http)
        adapter.base_url = f"{server.url}/v1.0"
        yield GraphServiceClient(request_adapter=adapter)
    await asyncio.sleep(0.01)  # (the event loop sends TLS's close to the server before it ends)


class StaticCredential:
    """What the Dataverse SDK asks of a credential (azure-core's TokenCredential): a token."""

    def __init__(self, token: str) -> None:
        self.token = token

    def get_token(self, *scopes: str, **options: Any) -> Any:
        from azure.core.credentials import AccessToken

        return AccessToken(self.token, int(time.time()) + 3600)


def dataverse_client(server: Server, monkeypatch: Any, user: str = "alice") -> Any:
    """A DataverseClient for ``user`` on ``server`` (HTTPS only: the SDK sends no token in plain
    text), trusting the server's local CA and no other, the way requests is told which CA to
    trust (REQUESTS_CA_BUNDLE: what a program does with SYNCSIM_CA_BUNDLE)."""
    from PowerPlatform.Dataverse.client import DataverseClient

    assert server.tls is not None, "the Dataverse SDK speaks HTTPS only"
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(server.tls.bundle))
    return DataverseClient(server.url, StaticCredential(server.backend.token_for(user)))
