"""Path converters: `<year:year_slug>` matches '2009-10' and no other text; `<pct:…>` a PCT code.

Registered in wcc/urls.py, so every URL names a year the same way; views find the year with
`AssessmentYear.objects.by_slug()` (or, on the read side, among the cached published years).
"""

from assurance.models import AssessmentYear


class YearSlugConverter:
    regex = r"[0-9]{4}-[0-9]{2}"

    def to_python(self, value: str) -> str:
        # '2009-11' has the shape but is no financial year: no match, so a 404.
        if AssessmentYear.start_year_from_slug(value) is None:
            raise ValueError(f"{value!r} is not a financial year such as 2009-10")
        return value

    def to_url(self, value) -> str:
        """An AssessmentYear (or anything with a slug, such as a RankedYear) or the slug itself."""
        return value if isinstance(value, str) else value.slug


class PCTCodeConverter:
    """`<pct:pct_code>`: three letters or digits, either case (views look codes up in capitals).

    Anything else, such as a NUL byte that PostgreSQL refuses in a query, is a 404 before any
    view or database sees it.
    """

    regex = r"[0-9A-Za-z]{3}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        """A PCT (or anything with a code) or the code itself."""
        return value if isinstance(value, str) else value.code
