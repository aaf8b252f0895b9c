"""The HTTP server (`scholarflow serve`): a JSON API and an OpenAI-compatible endpoint.

from scholarflow.server import create_app, serve
serve(port=8321)                     # blocks; loopback only
app = create_app(catalog_path=path)  # an ASGI app, for tests or another ASGI server
"""

from __future__ import annotations

from scholarflow.server.app import create_app, serve

__all__ = ["create_app", "serve"]
