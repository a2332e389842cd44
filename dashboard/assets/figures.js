// The figures view's client-side callbacks (dashboard/app/views/figures.py calls them by name,
// namespace "figures"). The ids written here are those of dashboard/app/ids.py.
window.dash_clientside = window.dash_clientside || {};
window.dash_clientside.figures = {
    // The figure a URL selects (`figure=<figure id>`), read as dashboard/app/routing.py's
    // figure_in reads it; nothing to change when the URL names none.
    figureInUrl: function (search) {
        var figure = typeof search === "string" ?
            new URLSearchParams(search).get("figure") : null;
        return figure || window.dash_clientside.no_update;
    },

    // Asks the grid for its rows again; the time, so that the output changes.
    refreshRows: function () {
        try { dash_ag_grid.getApi("figures-grid").purgeInfiniteCache(); }
        catch (error) { /* no grid yet: it asks for its rows when it starts */ }
        return Date.now();
    },

    // The figure a click selects, from a row of the grid or a highlight in the article; a
    // highlight's click selects its row too.
    selectFigure: function (rows, clicks) {
        var ctx = window.dash_clientside.callback_context;
        var none = window.dash_clientside.no_update;
        if (!ctx.triggered.length) { return [none, none]; }
        var trigger = ctx.triggered[0];
        if (trigger.prop_id === "figures-grid.selectedRows") {
            return [rows && rows.length ? rows[0].figure_id : null, none];
        }
        if (!trigger.value) { return [none, none]; }  // a redraw, not a click
        var id = JSON.parse(trigger.prop_id.slice(0, trigger.prop_id.lastIndexOf(".")));
        return [id.index, {ids: [id.index]}];
    },

    // Marks the selected figure and its sentence in the article and scrolls to it.
    showSelection: function (selected, children) {
        var panel = document.getElementById("article-text");
        if (!panel) { return window.dash_clientside.no_update; }
        panel.querySelectorAll("mark.selected").forEach(function (mark) {
            mark.classList.remove("selected");
            mark.removeAttribute("data-selected");
        });
        panel.querySelectorAll(".selected-sentence").forEach(function (sentence) {
            sentence.classList.remove("selected-sentence");
        });
        var mark = selected && Array.prototype.find.call(
            panel.querySelectorAll("mark[data-figure]"),
            function (m) { return m.getAttribute("data-figure") === selected; });
        if (mark) {
            mark.classList.add("selected");
            mark.setAttribute("data-selected", "true");
            var sentence = mark.closest(".sentence");
            if (sentence) { sentence.classList.add("selected-sentence"); }
            mark.scrollIntoView({block: "center"});
        }
        return selected || null;
    }
};
