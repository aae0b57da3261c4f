"""Make the parity examples from a checkout of Microsoft's documentation: each request of a page
(the block its ``<!-- {"blockType": "request"} -->`` marks) with the response that follows it
(``"blockType": "response"``), as data, with the page it came from.

Run by hand, never by the tests: ``python tests/data/parity/extract.py REPO_DIR OWNER/NAME COMMIT
OUT.json PAGE.md...`` (REPO_DIR a git checkout of OWNER/NAME holding COMMIT; pages as paths inside
it). The tests replay what it wrote (tests/tools/servers/test_parity.py). dataverse.json holds the
examples of one Dataverse page in the same shape, copied as the page writes them: that
documentation repository is too large to check out here.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from typing import Any

#: a block's annotation, then its fenced code (```http, ```msgraph-interactive, ```json ...)
_BLOCK = re.compile(r"<!--\s*(\{(?:(?!-->).)*?\})\s*-->\s*(?:#[^\n]*\n\s*)?``` ?[\w-]*\n(.*?)```", re.S)
_KIND = re.compile(r'"blockType"\s*:\s*"(\w+)"')
_TRUNCATED = re.compile(r'"truncated"\s*:\s*true')
_NAME = re.compile(r'"name"\s*:\s*"([^"]+)"')


def page_examples(text: str, path: str) -> list[dict[str, Any]]:
    """The (request, response) pairs of one page, in its order."""
    examples: list[dict[str, Any]] = []
    request: dict[str, Any] | None = None
    for annotation, code in _BLOCK.findall(text):
        kind = _KIND.search(annotation)
        if kind is None:
            continue
        if kind[1] == "request":
            name = _NAME.search(annotation)
            request = {"name": name[1] if name else "", **_request(code)}
        elif kind[1] == "response" and request is not None:
            response = {**_response(code), "truncated": bool(_TRUNCATED.search(annotation))}
            examples.append(
                {"page": path, "example": len(examples) + 1, "request": request, "response": response}
            )
            request = None
    return examples


def _message(code: str) -> tuple[str, dict[str, str], str | None]:
    """The first line, the headers and the body of an HTTP message as the page writes it."""
    lines = code.strip("\n").split("\n")
    first, headers, at = lines[0].strip(), {}, 1
    while (
        at < len(lines)
        and lines[at].strip()
        and ":" in lines[at]
        and not lines[at].lstrip().startswith(("{", "["))
    ):
        name, _, value = lines[at].partition(":")
        headers[name.strip()] = value.strip()
        at += 1
    body = "\n".join(lines[at:]).strip()
    return first, headers, body or None


def _request(code: str) -> dict[str, Any]:
    first, headers, body = _message(code)
    method, _, url = first.partition(" ")
    return {"method": method.upper(), "url": url.strip(), "headers": headers, "body": body}


def _response(code: str) -> dict[str, Any]:
    first, headers, body = _message(code)
    status = re.search(r"\b(\d{3})\b", first)
    return {"status": int(status[1]) if status else 0, "headers": headers, "body": body}


def main(argv: list[str]) -> None:
    repo, repository, commit, out, *pages = argv
    examples = []
    for path in pages:
        shown = subprocess.run(
            ["git", "-C", repo, "show", f"{commit}:{path}"], check=True, capture_output=True, text=True
        )
        examples += page_examples(shown.stdout, path)
    data = {"repository": repository, "commit": commit, "examples": examples}
    with open(out, "w", encoding="utf-8") as file:
        json.dump(data, file, indent=1, ensure_ascii=False)
        file.write("\n")
    print(f"{len(examples)} examples from {len(pages)} pages -> {out}")


if __name__ == "__main__":
    main(sys.argv[1:])
