"""The web workspace (dashboard, views, REST API) and the public portal."""

from breachdesk.web.app import WebSettings, create_app

__all__ = ["WebSettings", "create_app"]
