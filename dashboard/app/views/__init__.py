"""One module per view of the dashboard: its section of the page and the callbacks it owns.

Each gives `section(...)`, the part of the layout it fills, and, when it has callbacks of its
own, `register(app)`. The order of the tabs is dashboard.app.routing.VIEWS.
"""

from collections.abc import Callable

from dash import Dash, Input, Output, State, no_update

from dashboard.app import ids
from dashboard.app.articles import Analysis, analysis


def draw_when_shown(app: Dash, component: str, view: str,
                    draw: Callable[[Analysis], object]) -> None:
    """Fill `component` with `draw(analysis)` only while `view` is shown. Every component the
    page holds, shown or hidden, slows the browser's drawing of the view on screen (the checks
    panel and the article's text cost the other views up to a second). The component keeps the
    article it was drawn for (`data-article`), so that coming back to the view sends nothing;
    a hidden one of another article, or one whose article is gone, is emptied."""

    @app.callback(
        Output(component, "children"), Output(component, "data-article"),
        Input(ids.ARTICLE_KEY, "data"), Input(ids.VIEW_TABS, "value"),
        State(component, "data-article"),
    )
    def show(key, shown, drawn_for):
        if key == drawn_for:
            return no_update, no_update
        if shown != view:
            return ([], None) if drawn_for is not None else (no_update, no_update)
        found = analysis(key)
        if found is None:
            return [], None
        return draw(found), key
