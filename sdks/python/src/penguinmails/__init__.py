"""PenguinMails API client (standard library only; Python 3.11+).

    import penguinmails
    client = penguinmails.Client("pm_live_...", base_url="https://mail.example.com")
    client.emails.send({"to": "user@example.com", "subject": "Hello", "html_body": "<h1>Hello World</h1>"})
"""

from . import webhooks
from ._client import DEFAULT_BASE_URL, Client
from ._errors import (APIConnectionError, AuthenticationError, ConflictError, ErrorDetailItem, NotFoundError,
                      PenguinMailsError, PermissionDeniedError, RateLimitError, ServerError, ValidationError)
from ._models import *  # noqa: F403
from ._paging import Page
from ._version import __version__
from .webhooks import WebhookVerificationError

__all__ = [
    "Client", "DEFAULT_BASE_URL", "Page", "webhooks", "WebhookVerificationError", "__version__",
    "PenguinMailsError", "APIConnectionError", "AuthenticationError", "PermissionDeniedError", "NotFoundError",
    "ValidationError", "ConflictError", "RateLimitError", "ServerError", "ErrorDetailItem",
]
