"""Browser tests' screenshots: kept as artefacts, and refused when they show nothing."""

from __future__ import annotations

import io
import os
import re
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# A page that drew anything (anti-aliased text, a border) has many colours; an empty page, a
# crashed renderer's grey or a white page with one rule line has one or two.
MIN_COLOURS = 8


def artefacts() -> Path:
    """The folder that keeps test artefacts: $DEMOZONE_ARTEFACTS, else tests/artefacts
    (git-ignored), so CI can upload it."""
    return Path(os.environ.get("DEMOZONE_ARTEFACTS") or ROOT / "tests" / "artefacts")


def blank(png: bytes) -> str | None:
    """Why the PNG image shows nothing (fewer than MIN_COLOURS distinct colours), or None
    when it shows something."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        colours = image.convert("RGB").getcolors(maxcolors=MIN_COLOURS)
    if colours is None:  # Pillow's answer when there are more than maxcolors colours
        return None
    listed = ", ".join(f"#{r:02x}{g:02x}{b:02x}" for _count, (r, g, b) in colours)
    return f"only {len(colours)} colour(s): {listed}"


def screenshot(driver, name: str) -> Path:
    """Save the browser's viewport as artefacts()/screenshots/NAME.png and return its path;
    an AssertionError naming the file when the screenshot is blank."""
    folder = artefacts() / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^\w.-]+", "-", name).strip("-") or "screenshot"
    path = folder / f"{safe}.png"
    png = driver.get_screenshot_as_png()
    path.write_bytes(png)
    why = blank(png)
    assert why is None, f"the screenshot {path} is blank: {why}"
    return path


def downloaded(driver, name: str, *, seconds: float = 30.0) -> Path:
    """The file NAME once the browser has finished downloading it into driver.download_dir
    (the `chrome` fixture's folder); an AssertionError listing the folder if it never comes."""
    path = Path(driver.download_dir) / name
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        # Chrome writes NAME.crdownload and renames it when the download is complete
        if path.exists() and not path.with_name(name + ".crdownload").exists():
            return path
        time.sleep(0.1)
    found = sorted(p.name for p in Path(driver.download_dir).iterdir())
    raise AssertionError(f"{name} was not downloaded in {seconds:g} s; the folder holds {found}")
