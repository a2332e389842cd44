"""Who said what: the article's figures by who asserts them and how (claim, data, the article's
own reporting), one bar per speaker, the figures themselves in the hover and the CSV."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts import article
from dashboard.charts.style import STANCE_COLOURS, STANCE_LABELS, empty, frame, plain

NAME = "speakers"
COLUMNS = ("speaker", "stance", "figures", "surfaces", "unit", "source")
MAX_SPEAKERS = 15  # bars of one chart; the rest are summed as "everyone else"
OTHERS = "everyone else"
NOBODY = "nobody named"
SHOWN = ("claim", "data", "reported")  # page furniture is nobody's statement


def speakers_data(figures: pd.DataFrame, checks: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per speaker and stance: how many figures, which ones. `checks` is not used."""
    stated = figures[figures["stance"].isin(SHOWN)]
    if stated.empty:
        return pd.DataFrame(columns=list(COLUMNS))
    who = stated["speaker"].astype("string").fillna(NOBODY)
    totals = who.value_counts()
    kept = set(totals.index[:MAX_SPEAKERS])
    who = who.where(who.isin(kept), OTHERS)
    credit = article.provenance(figures)
    rows = []
    for (speaker, stance), part in stated.groupby([who, stated["stance"]], sort=False):
        rows.append({"speaker": speaker, "stance": stance, "figures": len(part),
                     "surfaces": ", ".join(part["surface"].astype(str).head(12)),
                     "unit": "figure", "source": credit})
    data = pd.DataFrame(rows, columns=list(COLUMNS))
    order = data.groupby("speaker")["figures"].sum().sort_values(ascending=False)
    rank = {name: at for at, name in enumerate(order.index)}
    return data.sort_values(by="speaker", key=lambda s: s.map(rank),
                            kind="stable").reset_index(drop=True)


def speakers_figure(data: pd.DataFrame) -> go.Figure:
    """Stacked horizontal bars, the speaker with most figures on top."""
    if data.empty:
        return empty(NAME, title="Nobody in the article states a figure",
                     subtitle="The article's figures by who asserts them.",
                     message="The article has no figure of a claim, data or reporting.",
                     sources=["Source: the article's figures table, in which no figure is "
                              "stated by anyone"])
    # Speakers' names and surfaces come from the article: plotly must draw them as text.
    order = [plain(s) for s in dict.fromkeys(data["speaker"])]
    fig = go.Figure()
    for stance in SHOWN:
        part = data[data["stance"] == stance]
        if part.empty:
            continue
        fig.add_bar(y=[plain(s) for s in part["speaker"]], x=part["figures"], orientation="h",
                    name=STANCE_LABELS[stance], marker={"color": STANCE_COLOURS[stance]},
                    customdata=[plain(s) for s in part["surfaces"]],
                    hovertemplate="%{y} (speaker): %{x} figures (" + stance + ")<br>%{customdata}"
                                  "<extra></extra>")
    fig.update_layout(barmode="stack")
    fig.update_yaxes(categoryorder="array", categoryarray=order[::-1], title_text="speaker",
                     automargin=True)
    fig.update_xaxes(title_text="figures", dtick=1 if data["figures"].max() < 10 else None)
    total = int(data["figures"].sum())
    top = data.groupby("speaker", sort=False)["figures"].sum()
    first, count = top.index[0], int(top.iloc[0])
    claims = data[data["stance"] == "claim"]
    said = (f"; {int(claims['figures'].sum())} are claims by "
            f"{claims['speaker'].nunique()} speaker{'s' if claims['speaker'].nunique() > 1 else ''}"
            if len(claims) else "; none is a speaker's claim")
    return frame(fig, chart=NAME,
                 title=f"{first} states {count} of the article's {total} figures{said}",
                 subtitle="The article's figures by who asserts them, as claims, as data from a "
                          "statistical source, or as the article's own reporting (figures).",
                 notes=[f"at most {MAX_SPEAKERS} speakers are drawn; the rest are summed as "
                        f"\u201c{OTHERS}\u201d"] if OTHERS in order else [],
                 sources=list(dict.fromkeys(data["source"].dropna())),
                 units={"x": "figures", "y": "speaker"}, left=160)
