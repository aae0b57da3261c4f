"""A user's network link: what moving bytes costs in simulated seconds."""

from __future__ import annotations

from dataclasses import dataclass

FAST_KBPS = 100_000
FAST_LATENCY_MS = 20


@dataclass(frozen=True)
class Link:
    bandwidth_kbps: float = FAST_KBPS
    latency_ms: float = FAST_LATENCY_MS

    def __post_init__(self) -> None:
        if self.bandwidth_kbps <= 0:
            raise ValueError(f"bandwidth_kbps must be positive, got {self.bandwidth_kbps}")
        if self.latency_ms < 0:
            raise ValueError(f"latency_ms must be zero or more, got {self.latency_ms}")

    def seconds(self, nbytes: int, round_trips: int = 1) -> float:
        """Time to move ``nbytes`` in ``round_trips`` requests: latency plus bytes over bandwidth."""
        return round_trips * self.latency_ms / 1000 + nbytes * 8 / (self.bandwidth_kbps * 1000)
