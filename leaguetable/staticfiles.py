"""A static files finder for plotly.js from the installed plotly package: no CDN, no Node build."""

from pathlib import Path

import plotly
from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import Error
from django.core.files.storage import FileSystemStorage
from plotly.offline import get_plotlyjs_version

PACKAGE_DATA = Path(plotly.__file__).resolve().parent / "package_data"
FILE_NAME = "plotly.min.js"
# The version in the path lets a server tell browsers to keep the file: an upgrade changes it.
PREFIX = f"vendor/plotly-{get_plotlyjs_version()}"
PLOTLY_JS = f"{PREFIX}/{FILE_NAME}"


class PlotlyFinder(BaseFinder):
    """Finds only plotly.min.js, not the rest of plotly's package data."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.storage = FileSystemStorage(location=PACKAGE_DATA)
        self.storage.prefix = PREFIX

    def check(self, **kwargs):
        if (PACKAGE_DATA / FILE_NAME).is_file():
            return []
        return [Error(f"plotly.js is missing from {PACKAGE_DATA}: reinstall plotly.")]

    def find(self, path, find_all=False):
        # Like Django's own finders: a path when one is wanted and found, else a list.
        found = [str(PACKAGE_DATA / FILE_NAME)] if path == PLOTLY_JS else []
        return found[0] if found and not find_all else found

    def list(self, ignore_patterns):
        yield FILE_NAME, self.storage
