"""The built website is self-contained: no page or stylesheet loads anything from the internet."""

import re
from html.parser import HTMLParser
from urllib.parse import unquote

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


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("name"):
            self.ids.add(attrs["name"])
        for key in ("href", "src"):
            value = attrs.get(key)
            if value and not re.match(r"^([a-z]+:|//)", value):  # relative: inside the site
                self.hrefs.append(value)


def _parse(path):
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_every_internal_link_and_anchor_resolves():
    built_pages()  # skips (or fails in CI) when the book is not built
    # Pages only: _static holds the theme's template fragments, not pages.
    pages = sorted(p for p in HTML.rglob("*.html") if "_static" not in p.relative_to(HTML).parts)
    parsed = {page.resolve(): _parse(page) for page in pages}
    broken, checked = [], 0
    for page, parser in parsed.items():
        for href in parser.hrefs:
            target, _, anchor = href.partition("#")
            target = unquote(target.split("?", 1)[0])
            path = (page.parent / target).resolve() if target else page
            checked += 1
            if not path.exists():
                broken.append(f"{page.relative_to(HTML.resolve())}: {href} (no such file)")
            elif anchor and path.suffix == ".html":
                ids = parsed[path].ids if path in parsed else _parse(path).ids
                if anchor not in ids:
                    broken.append(f"{page.relative_to(HTML.resolve())}: {href} (no such anchor)")
    assert checked > 100 and broken == [], broken[:20]


def test_every_page_player_has_every_frame_and_no_two_alike():
    """The full players as published: one distinct frame per combination of slider values."""
    import json
    from math import prod

    players = 0
    for page in built_pages():
        text = page.read_text(encoding="utf-8")
        for blob in re.findall(r'class="lessonlib-player-data">(.*?)</script>', text, flags=re.S):
            data = json.loads(blob.replace("<\\/", "</"))
            n = prod(len(values) for values in data["labels"].values())
            assert len(data["frames"]) == n == len(data["alts"]), page.name
            assert len(set(data["frames"].values())) == n, f"{page.name}: repeated frames"
            players += 1
    assert players == len(chapter_sources())  # one player per chapter


def test_no_page_shows_a_path_of_the_build_machine():
    from _book import HTML, ROOT, built_pages

    pages = built_pages()
    machine = str(ROOT)
    leaks = [p.name for p in pages if machine in p.read_text(encoding="utf-8")]
    assert leaks == [], f"{machine} appears in {leaks}"
    assert HTML.exists()


def test_player_frames_are_files_next_to_the_page():
    """_ext/page_players.py moves each player's frames out of the page into image files."""
    import json

    from _book import HTML, built_pages

    players = 0
    for page in built_pages():
        text = page.read_text(encoding="utf-8")
        blocks = re.findall(
            r'<script type="application/json" class="lessonlib-player-data">(.*?)</script>',
            text,
            re.S,
        )
        players += len(blocks)
        for block in blocks:
            frames = json.loads(block.replace("<\\/", "</"))["frames"]
            assert not any(src.startswith("data:") for src in frames.values())
            missing = [s for s in frames.values() if not (page.parent / s).resolve().exists()]
            assert missing == [], missing[:3]
        assert "data:image/png;base64" not in text or "lessonlib-player" not in text
    assert players == 5 and HTML.exists()


@pytest.mark.parametrize("source", chapter_sources(), ids=lambda p: p.name)
def test_self_checks_share_one_library_on_the_page_and_travel_whole_in_the_notebook(source):
    import json

    from lessonlib.selfcheck import LIB_END, LIB_START, library_script

    page = (HTML / "chapters" / f"{source.stem}.html").read_text(encoding="utf-8")
    asked = source.read_text(encoding="utf-8").count("checks.ask(")
    # On the page: each question is a container and a one-line call; the library is one
    # file, loaded once, identical to what the notebook outputs carry.
    assert page.count('class="lessonlib-quiz"') == asked
    assert page.count("window.lessonlibQuiz.show(") == asked
    assert LIB_START not in page and "show_questions" not in page
    assert page.count("lessonlib-selfcheck.js") == 1
    shared = (HTML / "_static" / "lessonlib-selfcheck.js").read_text(encoding="utf-8")
    assert shared == library_script()
    # In the downloadable notebook every question carries the library, so each works on
    # its own once the notebook is trusted or the cell re-run.
    nb = json.loads((HTML / "_sources" / "chapters" / f"{source.stem}.ipynb").read_text())
    quiz_html = [
        "".join(out["data"]["text/html"])
        for cell in nb["cells"]
        for out in cell.get("outputs", [])
        if "lessonlib-quiz" in "".join(out.get("data", {}).get("text/html", ""))
    ]
    assert len(quiz_html) == asked
    assert all(LIB_START in h and LIB_END in h and "show_questions" in h for h in quiz_html)
