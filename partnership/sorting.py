"""Tables sorted by a heading: each sortable heading links to the same page sorted by it
(the other way round when it already is), keeping the page's filters, and tells screen
readers how the table is sorted (``aria-sort``)."""

from collections.abc import Collection, Sequence

from django.http import QueryDict

# (sort key or None, heading, numeric)
Column = tuple[str | None, str, bool]


def sort_headers(
    query: QueryDict,
    columns: Sequence[Column],
    current: str,
    *,
    descending_first: Collection[str] = (),
) -> list[dict]:
    """The table's headings for ``templates/includes/sort_headers.html``. ``current`` is
    the sort in force (``key`` or ``-key``); a column in ``descending_first`` sorts the
    biggest first on its first click, as a ranking does."""
    headers = []
    for key, heading, numeric in columns:
        header = {"heading": heading, "numeric": numeric, "aria_sort": None, "href": None}
        if key:
            header["aria_sort"] = (
                "ascending" if current == key else "descending" if current == f"-{key}" else "none"
            )
            if current == key:
                next_sort = f"-{key}"
            elif current == f"-{key}":
                next_sort = key
            else:
                next_sort = f"-{key}" if key in descending_first else key
            linked = query.copy()
            linked["sort"] = next_sort
            linked.pop("page", None)
            header["href"] = f"?{linked.urlencode()}"
        headers.append(header)
    return headers
