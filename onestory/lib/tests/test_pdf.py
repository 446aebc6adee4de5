"""onestory/lib/pdf.py: WeasyPrint makes every PDF from HTML and reads only our own built
static files (moved here from the family's copy, which now uses it, with the exports)."""

from __future__ import annotations

import logging
import socket
from pathlib import Path

import pytest

from onestory.lib import pdf


def test_the_url_fetcher_serves_only_the_built_static_files(tmp_path: Path) -> None:
    root = pdf.static_root()
    some_file = next(path for path in root.rglob("*") if path.is_file())
    assert pdf.static_file_for(some_file.as_uri(), root) == some_file.resolve()
    outside = tmp_path / "secret.txt"
    outside.write_text("not ours")
    for refused in (
        "http://169.254.169.254/latest/meta-data/",
        "https://example.org/logo.png",
        "ftp://example.org/x.png",
        "data:text/plain,hello",
        "file:///etc/passwd",
        outside.as_uri(),
        f"{root.as_uri()}/../../../etc/passwd",
        f"{root.as_uri()}/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        f"file://otherhost{some_file}",
        f"{root.as_uri()}/no-such-file.png",
    ):
        with pytest.raises(pdf.RefusedURL):
            pdf.static_file_for(refused, root)


def test_weasyprint_never_fetches_from_the_network_or_the_disk(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("WeasyPrint tried to reach the network")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    caplog.set_level(logging.INFO, logger="weasyprint")
    made = pdf.render_pdf(
        "<html><body><p>Hello</p>"
        '<img src="http://127.0.0.1:9/tracker.png">'
        '<img src="file:///etc/passwd">'
        '<link rel="stylesheet" href="file:///etc/passwd">'
        '<img src="../../../../etc/passwd">'
        "</body></html>"
    )
    assert made.startswith(b"%PDF")
    text = pdf.pdf_text(made)
    assert "Hello" in text
    assert "root:" not in text
    refused = caplog.text
    assert "http://127.0.0.1:9/tracker.png" in refused
    assert refused.count("RefusedURL") >= 3


def test_inline_svg_charts_are_drawn_in_the_pdf() -> None:
    """The reports draw their charts as inline SVG, with the text inside it printed."""
    made = pdf.render_pdf(
        "<html><body><h1>Chart</h1>"
        '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40" viewBox="0 0 200 40">'
        '<rect x="0" y="0" width="120" height="20" fill="#1d70b8"></rect>'
        '<text x="4" y="34" font-size="12">Good</text></svg>'
        "</body></html>"
    )
    text = pdf.pdf_text(made)
    assert "Chart" in text and "Good" in text
