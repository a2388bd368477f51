"""The vendored plotly.js partial bundle the chart pages load (static/vendor/plotly/)."""

from django.conf import settings
from django.core.checks import Warning
from plotly.offline import get_plotlyjs_version

# Our own build of scatter, bar and box, the only trace types the charts use, made by
# static/vendor/plotly/build.sh (VENDORED.md). The version in the name lets browsers keep the file.
BUNDLE_VERSION = "4.1.1"
PLOTLY_JS = f"vendor/plotly/plotly-wcc-{BUNDLE_VERSION}.min.js"


def check_plotly_bundle(app_configs=None, **kwargs):
    """The bundle is the plotly.js of the installed Python plotly, which the tests use to
    validate every figure: a different major or minor version may read a figure otherwise."""
    errors = []
    if not (settings.BASE_DIR / "static" / PLOTLY_JS).is_file():
        errors.append(Warning(f"static/{PLOTLY_JS} is missing.", id="leaguetable.W001"))
    installed = get_plotlyjs_version()
    if installed.split(".")[:2] != BUNDLE_VERSION.split(".")[:2]:
        errors.append(
            Warning(
                f"The vendored plotly.js is {BUNDLE_VERSION}; the installed plotly package "
                f"bundles {installed}.",
                hint="Build the matching bundle as static/vendor/plotly/VENDORED.md says.",
                id="leaguetable.W002",
            )
        )
    return errors
