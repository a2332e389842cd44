"""One module per view of the dashboard: its section of the page and the callbacks it owns.

Each gives `section(...)`, the part of the layout it fills, and, when it has callbacks of its
own, `register(app)`. The order of the tabs is dashboard.app.routing.VIEWS.
"""
