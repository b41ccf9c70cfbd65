"""`zzreview status`: the dashboard (no Textual; Rich only where its layout is needed)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import click

from zzreview.analysis.rules import PRESETS
from zzreview.cli.group import cli, session_of
from zzreview.cli.output import emit, format_option, json_text
from zzreview.domain.entry import EntryError, parse_day

if TYPE_CHECKING:
    from zzreview.storage.repository import Repository


def reference_date(repo: Repository) -> date:
    """The date figures are judged at without --as-of: the current meeting's, else the last
    meeting's, else the plan's end.

    The same rule as `meeting.commands.reference_date` (a test holds them together), kept
    here so that a status does not import every command of the meeting layer (~10 ms).
    """
    meeting = repo.current_meeting()
    if meeting is not None:
        return meeting.date
    meetings = repo.meetings()
    return meetings[-1].date if meetings else repo.plan().end


@cli.command()
@click.option(
    "--as-of", "as_of", help="The date figures are judged at (default: the current meeting's date)."
)
@click.option("--area", type=int, help="Only this focus area (1–10).")
@click.option("--rules", type=click.Choice(sorted(PRESETS)), help="The rule preset for lights.")
@format_option
@click.pass_context
def status(
    ctx: click.Context, as_of: str | None, area: int | None, rules: str | None, fmt: str = "table"
) -> None:
    """The dashboard: per area its light, and each indicator's target, current, completion,
    expected-to-date (序时进度), gap and status mark."""
    from zzreview.analysis import plan_status, preset
    from zzreview.meeting.kept import kept_status
    from zzreview.rendering.documents import STATUS_CSV_COLUMNS, status_document, status_rows

    session = session_of(ctx)
    repo = session.repo()
    plan = repo.plan()
    lang = session.lang()
    reference = reference_date(repo)
    day = parse_day(as_of, reference, "as-of") if as_of else reference
    judged_by = preset(rules or session.settings.rules)
    computed = kept_status(
        repo, day, judged_by, lambda: plan_status(plan, repo.data_points(), day, judged_by)
    )
    if area is not None:
        if area not in {a.number for a in plan.areas}:
            raise EntryError("area", f"no area {area}; the plan has areas 1 to {len(plan.areas)}")
        computed = type(computed)(
            plan=computed.plan,
            as_of=computed.as_of,
            rules=computed.rules,
            areas=tuple(a for a in computed.areas if a.area.number == area),
        )
    notice = repo.notice(lang)
    if fmt == "json":
        click.echo(json_text(status_document(computed, lang, notice)))
    elif fmt == "csv":
        emit(status_rows(computed, lang), [(c, c) for c in STATUS_CSV_COLUMNS], "csv", lang)
    else:
        from zzreview.rendering.dashboard import print_dashboard

        print_dashboard(computed, lang, notice)
