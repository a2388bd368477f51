"""The deployed release: part of every cached page's key and ETag and every shared ranking's key.

Cached pages and shared rankings are keyed by the years' revisions, which only a write changes.
A deploy that changes templates, views or a pickled class changes none of them, so without the
release in the key the new code would serve the old code's pages (and 304s for their ETags)
and unpickle the old code's rankings until the next write.
"""

import hashlib
from pathlib import Path

# What a rendered page or a pickled ranking depends on: the code and templates. Migrations
# change nothing a page shows without a write that bumps a revision anyway.
SOURCE_FOLDERS = (
    "wcc",
    "assurance",
    "leaguetable",
    "directed_development",
    "watchlists",
    "accounts",
    "templates",
)
SOURCE_SUFFIXES = (".py", ".html", ".txt", ".json")


def source_digest(root: Path) -> str:
    """A digest of the code and templates under `root` (and of the static files' manifest, whose
    hashed names the pages link to, where collectstatic wrote one).

    Read once per process at start: about 200 small files, some tens of milliseconds. A deploy
    that sets WCC_RELEASE (say, to the commit) skips it.
    """
    digest = hashlib.blake2b(digest_size=6)
    paths = [
        path
        for folder in SOURCE_FOLDERS
        for path in sorted((root / folder).rglob("*"))
        if path.suffix in SOURCE_SUFFIXES and "migrations" not in path.relative_to(root).parts
    ]
    paths.append(root / "staticfiles" / "staticfiles.json")
    for path in paths:
        if path.is_file():
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return f"source-{digest.hexdigest()}"
