"""The client: ``Client(api_key, base_url=..., max_retries=..., timeout=...)``."""

from __future__ import annotations

import os

from ._resources import (Account, Analytics, ApiKeys, AuditLog, Campaigns, Contacts, Domains, Emails, Esp,
                         Suppressions, Templates, Usage, Webhooks)
from ._transport import Transport

__all__ = ["Client", "DEFAULT_BASE_URL"]

DEFAULT_BASE_URL = "http://localhost:5080"


class Client:
    """A PenguinMails API client for one key.

    ``api_key``: a ``pm_live_…`` or ``pm_test_…`` key (default: the ``PENGUINMAILS_API_KEY`` environment variable);
    ``base_url``: your server (default ``PENGUINMAILS_BASE_URL`` or ``http://localhost:5080``); ``max_retries``: retries
    of 429, 502/503/504 and connection failures (default 2); ``timeout``: seconds per attempt (connect and each read);
    ``initial_retry_delay``/``max_retry_delay``: the backoff's first cap and its ceiling, in seconds.
    Thread-safe: each call opens its own connection.
    """

    def __init__(self, api_key: str | None = None, *, base_url: str | None = None, max_retries: int = 2,
                 timeout: float = 30.0, initial_retry_delay: float = 0.5, max_retry_delay: float = 30.0,
                 user_agent: str | None = None) -> None:
        key = api_key if api_key is not None else os.environ.get("PENGUINMAILS_API_KEY")
        if not key or not isinstance(key, str) or any(c.isspace() for c in key):
            raise ValueError("An API key is required (pm_live_… or pm_test_…): pass api_key or set PENGUINMAILS_API_KEY.")
        self._transport = Transport(
            key, base_url=base_url or os.environ.get("PENGUINMAILS_BASE_URL") or DEFAULT_BASE_URL, timeout=timeout,
            max_retries=max_retries, initial_retry_delay=initial_retry_delay, max_retry_delay=max_retry_delay,
            user_agent=user_agent)
        self.account = Account(self._transport)
        self.api_keys = ApiKeys(self._transport)
        self.audit_log = AuditLog(self._transport)
        self.contacts = Contacts(self._transport)
        self.emails = Emails(self._transport)
        self.campaigns = Campaigns(self._transport)
        self.analytics = Analytics(self._transport)
        self.usage = Usage(self._transport)
        self.templates = Templates(self._transport)
        self.suppressions = Suppressions(self._transport)
        self.esp = Esp(self._transport)
        self.domains = Domains(self._transport)
        self.webhooks = Webhooks(self._transport)

    @property
    def base_url(self) -> str:
        return self._transport.base_url

    def __repr__(self) -> str:
        return f"Client(base_url={self._transport.base_url!r}, api_key=<hidden>)"
