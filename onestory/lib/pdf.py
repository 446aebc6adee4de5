"""HTML to PDF with WeasyPrint, reading nothing but our own built static files.

Every PDF One Story makes (the family's copy of their story, the reports made in the background
by onestory/exports) is rendered here. WeasyPrint may read nothing but the built static files
(`static_files_only`): an image or stylesheet pointing anywhere else, on the network or on the
server's disk, is refused, and WeasyPrint leaves it out and carries on. A template that is
rendered to PDF therefore draws its charts inline (server-side SVG) and styles itself inline.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from django.conf import settings

PDF = "application/pdf"


def static_root() -> Path:
    """The built static files (scripts/build_assets.mjs), the only files a PDF may use."""
    return Path(settings.STATICFILES_DIRS[0]).resolve()


class RefusedURL(ValueError):
    """WeasyPrint asked for something other than one of our static files."""


def static_file_for(url: str, root: Path) -> Path:
    """The file under `root` that a file: URL names, or RefusedURL for anything else: other
    schemes (http, https, ftp, data), other hosts, and paths that leave `root`."""
    parts = urlsplit(url)
    if parts.scheme.lower() != "file" or parts.netloc not in {"", "localhost"}:
        raise RefusedURL("Only the service's own static files may be used in a PDF.")
    path = Path(url2pathname(unquote(parts.path))).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise RefusedURL("Only the service's own static files may be used in a PDF.")
    return path


def static_files_only(root: Path | None = None) -> Any:
    """A WeasyPrint URL fetcher that serves files under `root` (the built static files) and
    refuses every other URL. WeasyPrint then leaves the resource out and carries on."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse  # type: ignore[import-untyped]

    allowed = (root or static_root()).resolve()

    class StaticFilesOnly(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
            path = static_file_for(url, allowed)
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": kind})

    return StaticFilesOnly(allowed_protocols=["file"], allow_redirects=False)


def render_pdf(html: str) -> bytes:
    """The PDF of a complete HTML document. WeasyPrint is imported here, not at the top: only
    the task worker makes PDFs, and the web processes need not load it."""
    from weasyprint import HTML  # type: ignore[import-untyped]

    root = static_root()
    document = HTML(string=html, base_url=root.as_uri() + "/", url_fetcher=static_files_only(root))
    return bytes(document.write_pdf())


def pdf_text(content: bytes) -> str:
    """The text of a PDF, page after page (pypdf): for tests and checks of what was printed."""
    import io

    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
