"""The article panel: the document text with every figure highlighted, as Dash components.

Pure functions of the text and the figures table, so they are tested without a browser. Text
goes into components as strings, never as HTML, so an article's markup is shown, not run.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping

import pandas as pd
from dash import html

from dashboard.charts.style import STANCE_LABELS, VERDICT_ORDER
from dashboard.extract.sentences import paragraphs, sentences

MARK_TYPE = "figure-mark"
# Each highlight and sentence is a component the browser builds and the page's click callback
# watches: a report of 100,000 figures made a 170 MB panel that took minutes to draw. Past this
# many highlights, the rest of the text is plain, a paragraph at a time.
MAX_MARKS = 500


def mark_title(row) -> str:
    """The tooltip of a highlight: what the figure is, in a few words, with its unit."""
    value = "" if pd.isna(row.value) else f"{row.value:,.6g} "
    if pd.isna(row.value) and not pd.isna(row.value_low):
        high = "" if pd.isna(row.value_high) else f"{row.value_high:,.6g}"
        value = f"{row.value_low:,.6g}-{high} "
    unit = "" if pd.isna(row.unit) else str(row.unit)
    date = "" if pd.isna(row.date) else f" {row.date}"
    speaker = "" if pd.isna(row.speaker) else f"; {row.speaker}"
    return f"{row.quantity_kind}: {value}{unit}{date} ({row.qualifier}{speaker}, {row.stance})"


def article_components(text: str, figures: pd.DataFrame, colours: dict[str, str],
                       selected: str | None = None,
                       verdicts: Mapping[str, str] | None = None) -> list:
    """Paragraphs of sentences of text and highlights. The selected figure's highlight has the
    class `selected` and `data-selected="true"` (the page scrolls to it); its sentence has the
    class `selected-sentence`. A figure the checks gave a verdict (`verdicts`: figure id ->
    verdict) is underlined in its verdict's colour and says the verdict in its tooltip."""
    verdicts = verdicts or {}
    ordered = figures.sort_values("char_start")
    note, last = [], len(text)
    if len(ordered) > MAX_MARKS:
        ordered = ordered.head(MAX_MARKS)
        last = int(ordered["char_end"].iloc[-1])
        note = [html.P(f"The first {MAX_MARKS:,} of the article's {len(figures):,} figures are "
                       f"highlighted, up to character {last:,}; the table lists them all.",
                       className="article-note")]
    starts = ordered["char_start"].astype(int).tolist()
    rows = list(ordered.itertuples(index=False))
    selected_row = next((r for r in rows if r.figure_id == selected), None)
    paragraph_spans = paragraphs(text)
    sentence_spans = _joined(sentences(text, paragraph_spans), ordered)
    sentence_starts = [s for s, _ in sentence_spans]
    chosen_sentence = None
    if selected_row is not None:
        index = bisect.bisect_right(sentence_starts, int(selected_row.char_start)) - 1
        chosen_sentence = sentence_spans[index] if index >= 0 else None
    out = []
    for p_start, p_end in paragraph_spans:
        if p_start >= last:  # past the highlights: plain text, a component per paragraph
            out.append(html.P(text[p_start:p_end], className="article-paragraph"))
            continue
        lo = bisect.bisect_left(sentence_starts, p_start)
        hi = bisect.bisect_left(sentence_starts, p_end)
        children: list = []
        cursor = p_start
        for s_start, s_end in sentence_spans[lo:hi]:
            if s_start > cursor:
                children.append(text[cursor:s_start])
            classes = "sentence selected-sentence" if (s_start, s_end) == chosen_sentence \
                else "sentence"
            children.append(html.Span(_highlighted(text, s_start, s_end, starts, rows, colours,
                                                   selected, verdicts), className=classes))
            cursor = s_end
        if p_end > cursor:
            children.append(text[cursor:p_end])
        out.append(html.P(children, className="article-paragraph"))
    return note + out


def _joined(spans: list[tuple[int, int]], figures: pd.DataFrame) -> list[tuple[int, int]]:
    """Sentence spans, those a figure reaches across joined into one, as the figures table joins
    them: an over-long sentence is cut at a fixed length, which may fall inside a figure."""
    starts = [start for start, _ in spans]
    join_next = set()  # indexes of spans that run on into the next one
    for start, end in zip(figures["char_start"].astype(int), figures["char_end"].astype(int),
                          strict=True):
        first = bisect.bisect_right(starts, start) - 1
        last = bisect.bisect_right(starts, end - 1) - 1
        join_next.update(range(max(first, 0), last))
    joined: list[tuple[int, int]] = []
    for index, span in enumerate(spans):
        if index - 1 in join_next:
            joined[-1] = (joined[-1][0], span[1])
        else:
            joined.append(span)
    return joined


def _highlighted(text: str, start: int, end: int, starts: list[int], rows: list,
                 colours: dict[str, str], selected: str | None,
                 verdicts: Mapping[str, str]) -> list:
    pieces: list = []
    cursor = start
    for index in range(bisect.bisect_left(starts, start), bisect.bisect_left(starts, end)):
        row = rows[index]
        f_start, f_end = int(row.char_start), int(row.char_end)
        if f_start < cursor or f_end > end:
            continue
        if f_start > cursor:
            pieces.append(text[cursor:f_start])
        is_selected = row.figure_id == selected
        verdict = verdicts.get(row.figure_id)
        pieces.append(html.Mark(
            text[f_start:f_end],
            id={"type": MARK_TYPE, "index": row.figure_id},
            n_clicks=0,
            title=mark_title(row) + (f"; verdict: {verdict}" if verdict else ""),
            className=(f"figure stance-{row.stance}" + (f" verdict-{verdict}" if verdict else "")
                       + (" selected" if is_selected else "")),
            style={"backgroundColor": colours.get(row.stance, "#dddddd")},
            # The browser finds a highlight by its figure when a row is selected.
            **{"data-figure": row.figure_id},
            **({"data-selected": "true"} if is_selected else {}),
        ))
        cursor = f_end
    if end > cursor:
        pieces.append(text[cursor:end])
    return pieces


def legend(colours: dict[str, str]) -> html.Div:
    return html.Div(
        [html.Span("Highlights: ", className="legend-title")]
        + [html.Mark(label, className=f"figure stance-{stance}",
                     style={"backgroundColor": colours.get(stance, "#dddddd")})
           for stance, label in STANCE_LABELS.items()]
        + [html.Span("Underlined: ", className="legend-title")]
        + [html.Mark(verdict, className=f"figure verdict-{verdict}")
           for verdict in VERDICT_ORDER],
        className="legend",
    )
