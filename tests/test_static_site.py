"""The built website is self-contained: no page or stylesheet loads anything from the internet."""

import re
from html.parser import HTMLParser

import pytest
from _book import HTML, built_pages, chapter_sources

# Attributes that make the browser fetch something when the page loads.
LOADING = {
    ("script", "src"),
    ("link", "href"),
    ("img", "src"),
    ("iframe", "src"),
    ("source", "src"),
    ("video", "src"),
    ("audio", "src"),
    ("embed", "src"),
    ("object", "data"),
}


class _Loads(HTMLParser):
    def __init__(self):
        super().__init__()
        self.external = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if (tag, name) in LOADING and value and re.match(r"^(https?:)?//", value):
                # <link rel="canonical"> etc. would not load anything; stylesheets, icons,
                # preloads and scripts do. Treat every <link> as loading, to be strict.
                self.external.append(f"<{tag} {name}={value}>")


def test_every_chapter_is_built():
    pages = {p.stem for p in built_pages() if p.parent.name == "chapters"}
    assert pages == {p.stem for p in chapter_sources()}


@pytest.mark.parametrize("page", built_pages(), ids=lambda p: p.name)
def test_page_loads_nothing_external(page):
    parser = _Loads()
    text = page.read_text(encoding="utf-8")
    parser.feed(text)
    assert parser.external == []
    assert not re.search(r"@import\s+url\(\s*['\"]?https?:", text)


def test_stylesheets_load_nothing_external():
    offenders = []
    for css in HTML.joinpath("_static").rglob("*.css"):
        for match in re.finditer(
            r"(?:url\(|@import\s+)['\"]?(https?:)?//[^)'\"]+",
            css.read_text(encoding="utf-8", errors="replace"),
        ):
            offenders.append(f"{css.relative_to(HTML)}: {match.group(0)}")
    assert offenders == []


def test_mathjax_is_local():
    assert (HTML / "_static" / "mathjax" / "input" / "tex" / "extensions").is_dir()
    assert (HTML / "_static" / "mathjax" / "tex-svg.js").exists()


@pytest.mark.parametrize("source", chapter_sources(), ids=lambda p: p.name)
def test_chapter_offers_notebook_and_source_downloads(source):
    page = (HTML / "chapters" / f"{source.stem}.html").read_text(encoding="utf-8")
    assert f"_sources/chapters/{source.stem}.ipynb" in page
    assert f"_sources/chapters/{source.stem}.md" in page
    nb = HTML / "_sources" / "chapters" / f"{source.stem}.ipynb"
    assert nb.exists() and '"outputs": [' in nb.read_text(encoding="utf-8")


@pytest.mark.parametrize("page", built_pages(), ids=lambda p: p.name)
def test_every_image_has_alt_text(page):
    imgs = re.findall(r"<img\b[^>]*>", page.read_text(encoding="utf-8"))
    missing = [tag[:120] for tag in imgs if not re.search(r'\balt="[^"]+"', tag)]
    assert missing == []
