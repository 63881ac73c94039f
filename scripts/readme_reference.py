"""Writes the config reference (generated from the option table) into README.md.

    python scripts/readme_reference.py          # update README.md
    python scripts/readme_reference.py --check  # exit 1 if README.md is out of date
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from focusguard.core.config import reference_markdown

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCK = re.compile(r"(<!-- config-reference:start -->\n).*?(<!-- config-reference:end -->)", re.S)


def render(text: str) -> str:
    body = reference_markdown().replace("## Configuration reference", "### Reference", 1).strip()
    body = re.sub(r"^### `", "#### `", body, flags=re.M)
    return BLOCK.sub(lambda m: m.group(1) + body + "\n" + m.group(2), text)


def main() -> int:
    text = README.read_text(encoding="utf-8")
    updated = render(text)
    if "--check" in sys.argv:
        return 0 if updated == text else 1
    README.write_text(updated, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
