"""The `zzreview` command line.

Headless commands import neither Textual nor the app: importing Textual alone costs about
0.4 s, which a script that records a value or lists overdue actions should not pay. Exit
codes: 0 ok, 1 a check failed, 2 bad usage or unusable input (one line on stderr).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import click

from zzreview import __version__
from zzreview.analysis.rules import PRESETS
from zzreview.config import ConfigError, Settings, load_settings
from zzreview.domain import ActionItem, ActionStatus, IndicatorKind, Meeting
from zzreview.domain.dates import ACCEPTED_FORMS, DateParseError, parse_date
from zzreview.i18n import MESSAGES, t
from zzreview.plans.loader import PlanError
from zzreview.storage.errors import StoreError
from zzreview.storage.repository import RecordError, Repository, ValueRow

FORMATS = ("table", "json", "csv")


class UsageProblem(click.ClickException):
    """Bad usage or unusable input: one line on stderr, exit code 2."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        click.echo(f"zzreview: {self.format_message()}", err=True)


@dataclass
class Session:
    """What every command shares: settings, and the repository once opened."""

    settings: Settings
    _repo: Repository | None = field(default=None, repr=False)

    @property
    def db_path(self) -> Path:
        from zzreview.locations import default_database

        return self.settings.db or default_database()

    def repo(self) -> Repository:
        """Open the database (the per-user default is made from the demo on first use)."""
        if self._repo is None:
            from zzreview.storage.store import Store

            path = self.db_path
            if self.settings.db is None and not path.exists():
                _create_database(path, plan_file=None, demo=True, force=False)
            store = Store.open(path)
            self._repo = Repository(store, who=self.settings.user, seat="cli")
        return self._repo

    def lang(self) -> str:
        return self.settings.lang or self.repo().plan().language

    def close(self) -> None:
        if self._repo is not None:
            store = self._repo.store
            if not store.readonly and store.journal_length():
                store.checkpoint()
            store.close()
            self._repo = None


def _create_database(path: Path, *, plan_file: Path | None, demo: bool, force: bool) -> None:
    from zzreview.plans.demo import initial_tables, shipped_demo
    from zzreview.plans.loader import read_plan_file, shipped_plan
    from zzreview.storage.store import Store

    plan = read_plan_file(plan_file) if plan_file else shipped_plan()
    demo_data = None
    if demo:
        if plan_file is not None and plan.id != shipped_plan().id:
            raise UsageProblem(f"--demo holds data for the shipped plan only, not for {plan_file}")
        demo_data = shipped_demo(plan)
    path.parent.mkdir(parents=True, exist_ok=True)
    tables = initial_tables(plan, demo_data, plan_source=str(plan_file) if plan_file else "shipped")
    Store.create(path, tables, force=force).close()


def _session(ctx: click.Context) -> Session:
    return ctx.ensure_object(Session)


def _parse_date(text: str | None, reference: date, option: str) -> date | None:
    if text is None:
        return None
    try:
        return parse_date(text, reference)
    except DateParseError as error:
        raise UsageProblem(f"{option}: {error}") from None


def _reference_date(repo: Repository) -> date:
    """The date relative dates count from: the current meeting's, else the plan's end."""
    meeting = repo.current_meeting()
    if meeting is not None:
        return meeting.date
    meetings = repo.meetings()
    return meetings[-1].date if meetings else repo.plan().end


def _text_cell(value: Any) -> Any:
    from rich.text import Text

    if value is None:
        return Text("—")
    if isinstance(value, list | tuple):
        return Text("、".join(str(v) for v in value))
    return Text(str(value))


NARROW_CONSOLE = 110
"""Below this width printed tables leave out their secondary columns."""

SECONDARY = {"lead_unit", "supporting_units", "measure", "meeting", "source", "evidence", "place"}
"""Columns a narrow printed table leaves out."""

UNBROKEN = {"id", "date", "due", "status", "state", "measure", "meeting", "indicator", "value"}
"""Columns a printed table never wraps."""

WORDS = {"status": "action", "state": "meeting"}
"""Columns whose machine values (open, in_progress …) read as words in a printed table."""


def _word(column: str, value: Any, lang: str) -> Any:
    prefix = WORDS.get(column)
    key = f"{prefix}.{value}"
    return t(key, lang) if prefix and isinstance(value, str) and key in MESSAGES else value


def emit(rows: Sequence[dict[str, Any]], columns: Sequence[tuple[str, str]], fmt: str, lang: str) -> None:
    """Print rows as a table (Rich, literal text), JSON (a list of objects) or CSV."""
    if fmt == "json":
        click.echo(json.dumps(list(rows), ensure_ascii=False, indent=2))
        return
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow([key for key, _ in columns])
        for row in rows:
            writer.writerow(
                [
                    "|".join(row[k]) if isinstance(row[k], list) else ("" if row[k] is None else row[k])
                    for k, _ in columns
                ]
            )
        click.echo(buffer.getvalue(), nl=False)
        return
    from rich.console import Console
    from rich.table import Table

    if not rows:
        click.echo(t("cli.nothing", lang))
        return
    console = Console(highlight=False)
    if console.width < NARROW_CONSOLE:
        # A narrow terminal keeps what identifies and schedules an item; --format shows the rest.
        columns = [(key, heading) for key, heading in columns if key not in SECONDARY] or columns
    table = Table(show_edge=False, pad_edge=False)
    for key, heading in columns:
        # Ids, dates and states stay whole; text wraps.
        table.add_column(
            t(heading, lang), no_wrap=key in UNBROKEN, overflow="fold", ratio=3 if key == "text" else None
        )
    for row in rows:
        table.add_row(*(_text_cell(_word(key, row[key], lang)) for key, _ in columns))
    console.print(table)


format_option = click.option(
    "--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True, help="Output format."
)


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (StoreError, PlanError, RecordError, ConfigError) as error:
            raise UsageProblem(str(error)) from None
        finally:
            session = ctx.obj
            if isinstance(session, Session):
                try:
                    session.close()
                except StoreError as error:
                    raise UsageProblem(str(error)) from None


@click.group(
    cls=_Group, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]}
)
@click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The database file (also ZZREVIEW_DB). Default: a per-user file made from the demo on first use.",
)
@click.option("--lang", type=click.Choice(["zh", "en"]), help="Language of output (default: the plan's).")
@click.option("--user", help="Who is making changes, for the event log (default: your login name).")
@click.version_option(__version__, prog_name="zzreview")
@click.pass_context
def cli(ctx: click.Context, db: Path | None, lang: str | None, user: str | None) -> None:
    """Run progress review meetings (调度会) on a plan: targets, 序时进度, action items, minutes.

    Without a command, opens the meeting app on the current meeting.
    """
    try:
        settings = load_settings(db=db, lang=lang, user=user)
    except ConfigError as error:
        raise UsageProblem(str(error)) from None
    ctx.obj = Session(settings)
    if ctx.invoked_subcommand is None:
        ctx.invoke(run)


@cli.command()
@click.option(
    "--plan", "plan_file", type=click.Path(dir_okay=False, path_type=Path), help="A plan file (TOML)."
)
@click.option("--demo", is_flag=True, help="Add the shipped illustrative demo data (示例数据).")
@click.option("--force", is_flag=True, help="Replace an existing database (it is backed up first).")
@click.pass_context
def init(ctx: click.Context, plan_file: Path | None, demo: bool, force: bool) -> None:
    """Create a database from a plan file (default: the shipped Zhengzhou 2024 H2 plan)."""
    session = _session(ctx)
    path = session.db_path
    if path.exists() and not force:
        raise UsageProblem(f"{path} already exists; add --force to replace it (a backup is kept)")
    _create_database(path, plan_file=plan_file, demo=demo, force=force)
    click.echo(t("cli.created", session.settings.lang or "zh", path=path))


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
    from zzreview.rendering.status import status_document, status_rows

    session = _session(ctx)
    repo = session.repo()
    plan = repo.plan()
    lang = session.lang()
    day = _parse_date(as_of, _reference_date(repo), "--as-of") or _reference_date(repo)
    computed = plan_status(plan, repo.data_points(), day, preset(rules or session.settings.rules))
    if area is not None:
        if area not in {a.number for a in plan.areas}:
            raise UsageProblem(f"--area: no area {area}; the plan has areas 1 to {len(plan.areas)}")
        computed = type(computed)(
            plan=computed.plan,
            as_of=computed.as_of,
            rules=computed.rules,
            areas=tuple(a for a in computed.areas if a.area.number == area),
        )
    notice = repo.notice(lang)
    if fmt == "json":
        click.echo(json.dumps(status_document(computed, lang, notice), ensure_ascii=False, indent=2))
    elif fmt == "csv":
        rows = status_rows(computed, lang)
        from zzreview.rendering.status import STATUS_CSV_COLUMNS

        emit(rows, [(c, c) for c in STATUS_CSV_COLUMNS], "csv", lang)
    else:
        from rich.console import Console

        from zzreview.rendering.dashboard import render_dashboard

        Console(highlight=False).print(render_dashboard(computed, lang, notice))


# -- values ------------------------------------------------------------------------------


@cli.group()
def values() -> None:
    """Record indicator values, milestone states and evidence."""


@values.command("set")
@click.argument("indicator")
@click.argument("value")
@click.option("--date", "on", help="The date the value is for (default: the current meeting's date).")
@click.option("--source", default="", help="Where the figure comes from (e.g. 市统计局).")
@click.option("--evidence", default="", help="A line of evidence (milestones, qualitative measures).")
@click.option("--note", default="", help="A note kept with the value.")
@click.pass_context
def values_set(
    ctx: click.Context, indicator: str, value: str, on: str | None, source: str, evidence: str, note: str
) -> None:
    """Record VALUE for INDICATOR (e.g. `4.2.1 512.3`).

    VALUE is a number for a target indicator, a state for a milestone (not_started,
    in_progress, done, slipped), or an assessment for a qualitative one (achieved, on_track,
    attention, off_track).
    """
    session = _session(ctx)
    repo = session.repo()
    day = _parse_date(on, _reference_date(repo), "--date") or _reference_date(repo)
    row = _value_row(repo, indicator, value, day, source, evidence, note, line=0)
    repo.record_values([row])
    click.echo(t("cli.value_recorded", session.lang(), indicator=indicator, date=day.isoformat()))


_NUMBER = re.compile(r"[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?")


def _parse_number(text: str) -> float | None:
    """A number as typed: `1234.5`, `1,234.5` (commas only between groups of three); else None."""
    cleaned = text.strip().replace("，", ",")
    if not _NUMBER.fullmatch(cleaned):
        return None
    return float(cleaned.replace(",", ""))


def _value_row(
    repo: Repository, indicator: str, value: str, day: date, source: str, evidence: str, note: str, line: int
) -> ValueRow:
    kinds = {i.id: i.kind for i in repo.plan().indicators}
    where = f"line {line}: " if line else ""
    kind = kinds.get(indicator)
    if kind is None:
        raise RecordError(f"{where}no indicator {indicator!r} in the plan; `zzreview status` lists the ids")
    if kind is IndicatorKind.TARGET:
        number = _parse_number(value)
        if number is None:
            raise RecordError(f"{where}{indicator}: expected a number, got {value!r}")
        return ValueRow(indicator, day, value=number, source=source, evidence=evidence, note=note, line=line)
    return ValueRow(
        indicator, day, state=value.strip(), source=source, evidence=evidence, note=note, line=line
    )


@values.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
def values_import(ctx: click.Context, file: Path) -> None:
    """Import values from a CSV file with columns indicator,date,value,source
    (optional: evidence,note). All rows or none: a bad row is reported by line number."""
    session = _session(ctx)
    repo = session.repo()
    try:
        text = file.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UsageProblem(f"{file}: no such file") from None
    except UnicodeDecodeError:
        raise UsageProblem(f"{file}: not UTF-8 text; save the CSV as UTF-8") from None
    reader = csv.DictReader(io.StringIO(text))
    required = {"indicator", "date", "value"}
    headers = {h.strip().lower() for h in reader.fieldnames or []}
    if not required <= headers:
        missing = ", ".join(sorted(required - headers))
        raise UsageProblem(
            f"{file}: line 1: the header lacks {missing}; expected indicator,date,value,source"
        )
    reference = _reference_date(repo)
    rows, problems = [], []
    for record in reader:
        line = reader.line_num
        record = {(k or "").strip().lower(): (v or "") for k, v in record.items() if k is not None}
        try:
            day = parse_date(record["date"], reference)
            rows.append(
                _value_row(
                    repo,
                    record["indicator"].strip(),
                    record["value"],
                    day,
                    record.get("source", ""),
                    record.get("evidence", ""),
                    record.get("note", ""),
                    line=line,
                )
            )
        except DateParseError as error:
            problems.append(f"line {line}: date: {error}")
        except RecordError as error:
            problems.append(str(error))
    problems += repo.check_values(rows)
    problems.sort(key=lambda problem: int(problem.split(":")[0].removeprefix("line ") or 0))
    if problems:
        shown = "; ".join(problems[:5]) + (f"; and {len(problems) - 5} more" if len(problems) > 5 else "")
        raise UsageProblem(f"{file}: nothing imported: {shown}")
    if not rows:
        raise UsageProblem(f"{file}: no rows to import")
    try:
        repo.record_values(rows)
    except RecordError as error:
        raise UsageProblem(f"{file}: nothing imported: {error}") from None
    click.echo(t("cli.values_imported", session.lang(), count=len(rows)))


@values.command("list")
@click.option("--indicator", help="Only this indicator.")
@format_option
@click.pass_context
def values_list(ctx: click.Context, indicator: str | None, fmt: str) -> None:
    """List recorded values, oldest first."""
    session = _session(ctx)
    repo = session.repo()
    rows = []
    for ident, points in sorted(repo.data_points().items()):
        if indicator and ident != indicator:
            continue
        for point in points:
            rows.append(
                {
                    "indicator": ident,
                    "date": point.as_of.isoformat(),
                    "value": point.value if point.value is not None else point.state,
                    "source": point.source,
                    "evidence": point.evidence,
                    "entered_by": point.entered_by,
                }
            )
    columns = [
        ("indicator", "col.indicator"),
        ("date", "col.date"),
        ("value", "col.value"),
        ("source", "col.source"),
        ("evidence", "col.evidence"),
    ]
    emit(rows, columns, fmt, session.lang())


# -- actions -----------------------------------------------------------------------------


@cli.group()
def actions() -> None:
    """Action items (交办事项): add, list, update, close."""


@actions.command("add")
@click.argument("text")
@click.option("--owner", required=True, help="Who answers for it (牵头领导 or person).")
@click.option("--due", help=f"When it is due: {ACCEPTED_FORMS}.")
@click.option("--area", type=int, help="The focus area (1–10).")
@click.option("--measure", default="", help="The linked measure, e.g. 4.2.")
@click.option("--lead-unit", default="", help="The lead unit (牵头单位).")
@click.option("--support", "supporting", multiple=True, help="A supporting unit (配合单位); repeat for more.")
@click.option(
    "--meeting", "meeting_id", help="The meeting it belongs to (default: in progress, else next planned)."
)
@click.option(
    "--format", "fmt", type=click.Choice(FORMATS), default="table", help="How to print the new item."
)
@click.pass_context
def actions_add(
    ctx: click.Context,
    text: str,
    owner: str,
    due: str | None,
    area: int | None,
    measure: str,
    lead_unit: str,
    supporting: tuple[str, ...],
    meeting_id: str | None,
    fmt: str,
) -> None:
    """Add an action item TEXT; it belongs to the meeting in progress, or else the next planned one."""
    session = _session(ctx)
    repo = session.repo()
    due_date = _parse_date(due, _reference_date(repo), "--due")
    item = repo.add_action(
        text,
        owner,
        due=due_date,
        area_number=area,
        measure_id=measure.strip(),
        lead_unit=lead_unit,
        supporting_units=supporting,
        meeting_id=meeting_id,
    )
    if fmt == "table":
        click.echo(t("cli.action_added", session.lang(), id=item.id, meeting=item.meeting_id, text=item.text))
    else:
        emit([action_row(item, _reference_date(repo))], ACTION_COLUMNS, fmt, session.lang())


ACTION_COLUMNS = [
    ("id", "col.id"),
    ("text", "col.text"),
    ("owner", "col.owner"),
    ("lead_unit", "col.lead_unit"),
    ("supporting_units", "col.supporting_units"),
    ("due", "col.due"),
    ("status", "col.state"),
    ("measure", "col.measure"),
    ("meeting", "col.meeting"),
]


def action_row(item: ActionItem, as_of: date) -> dict[str, Any]:
    """An action item as a flat row, the same for table, JSON and CSV."""
    return {
        "id": item.id,
        "text": item.text,
        "owner": item.owner,
        "lead_unit": item.lead_unit,
        "supporting_units": list(item.supporting_units),
        "due": item.due.isoformat() if item.due else None,
        "status": item.status.value,
        "overdue": item.is_overdue(as_of),
        "measure": item.measure_id or None,
        "area": item.area_number,
        "meeting": item.meeting_id,
    }


@actions.command("list")
@click.option("--owner", help="Only this owner's items.")
@click.option(
    "--status", "status_", type=click.Choice([s.value for s in ActionStatus]), help="Only this status."
)
@click.option("--overdue", is_flag=True, help="Only open items past their due date.")
@click.option("--meeting", "meeting_id", help="Only items raised at this meeting.")
@click.option("--area", type=int, help="Only this focus area.")
@click.option("--as-of", "as_of", help="The date overdue is judged at (default: the current meeting's date).")
@format_option
@click.pass_context
def actions_list(
    ctx: click.Context,
    owner: str | None,
    status_: str | None,
    overdue: bool,
    meeting_id: str | None,
    area: int | None,
    as_of: str | None,
    fmt: str,
) -> None:
    """List action items, in the order they were raised."""
    session = _session(ctx)
    repo = session.repo()
    day = _parse_date(as_of, _reference_date(repo), "--as-of") or _reference_date(repo)
    items = [
        a
        for a in repo.actions()
        if (owner is None or a.owner == owner)
        and (status_ is None or a.status.value == status_)
        and (not overdue or a.is_overdue(day))
        and (meeting_id is None or a.meeting_id == meeting_id)
        and (area is None or a.area_number == area)
    ]
    emit([action_row(a, day) for a in items], ACTION_COLUMNS, fmt, session.lang())


@actions.command("done")
@click.argument("action_id")
@click.option("--evidence", required=True, help="A line of evidence that it is done (销号依据).")
@click.pass_context
def actions_done(ctx: click.Context, action_id: str, evidence: str) -> None:
    """Close (销号) an action item, with a line of evidence."""
    session = _session(ctx)
    item = session.repo().update_action(action_id, status=ActionStatus.DONE, evidence=evidence)
    click.echo(t("cli.action_done", session.lang(), id=item.id))


@actions.command("update")
@click.argument("action_id")
@click.option("--status", "status_", type=click.Choice([s.value for s in ActionStatus]), required=True)
@click.option("--evidence", default="", help="A line on what changed.")
@click.pass_context
def actions_update(ctx: click.Context, action_id: str, status_: str, evidence: str) -> None:
    """Change an action item's status (open, in_progress, done, dropped)."""
    session = _session(ctx)
    item = session.repo().update_action(action_id, status=ActionStatus(status_), evidence=evidence)
    click.echo(f"{item.id}: {t('action.' + item.status.value, session.lang())}")


# -- meetings ----------------------------------------------------------------------------


@cli.group()
def meetings() -> None:
    """Meetings: plan a new one, list them, show one, close one."""


@meetings.command("new")
@click.option("--date", "on", required=True, help="The meeting's date (the as-of date of its figures).")
@click.option("--title", default="", help="Title (default from the plan and the month).")
@click.option("--place", default="")
@click.option("--chair", default="")
@click.option("--secretary", default="")
@click.pass_context
def meetings_new(ctx: click.Context, on: str, title: str, place: str, chair: str, secretary: str) -> None:
    """Plan a new meeting, with every focus area on its agenda."""
    session = _session(ctx)
    repo = session.repo()
    day = _parse_date(on, _reference_date(repo), "--date")
    assert day is not None
    meeting = repo.new_meeting(day, title=title, place=place, chair=chair, secretary=secretary)
    click.echo(t("cli.meeting_added", session.lang(), id=meeting.id, title=meeting.title))


def meeting_row(meeting: Meeting, repo: Repository) -> dict[str, Any]:
    """A meeting as a flat row."""
    raised = [a for a in repo.actions() if a.meeting_id == meeting.id]
    return {
        "id": meeting.id,
        "date": meeting.date.isoformat(),
        "title": meeting.title,
        "place": meeting.place,
        "state": meeting.state.value,
        "actions": len(raised),
    }


@meetings.command("list")
@format_option
@click.pass_context
def meetings_list(ctx: click.Context, fmt: str) -> None:
    """List meetings by date."""
    session = _session(ctx)
    repo = session.repo()
    rows = [meeting_row(m, repo) for m in repo.meetings()]
    columns = [
        ("id", "col.id"),
        ("date", "col.date"),
        ("title", "col.title"),
        ("place", "col.place"),
        ("state", "col.state"),
    ]
    emit(rows, columns, fmt, session.lang())


@meetings.command("show")
@click.argument("meeting_id", required=False)
@format_option
@click.pass_context
def meetings_show(ctx: click.Context, meeting_id: str | None, fmt: str) -> None:
    """Show a meeting (default: the current one): people, agenda, decisions, carried items."""
    from zzreview.storage.codec import to_doc

    session = _session(ctx)
    repo = session.repo()
    lang = session.lang()
    meeting = repo.meeting(meeting_id) if meeting_id else repo.current_meeting()
    if meeting is None:
        raise UsageProblem("no meeting in progress or planned; name one (`zzreview meetings list`)")
    figures = repo.figures(meeting)  # a closed meeting: as frozen when it closed
    carried = figures.carried(meeting, repo.meetings())
    raised = [a for a in figures.actions if a.meeting_id == meeting.id]
    if fmt != "table":
        doc = to_doc(meeting) | {
            "carried_over": [action_row(a, meeting.date) for a in carried],
            "actions": [action_row(a, meeting.date) for a in raised],
        }
        if fmt == "json":
            click.echo(json.dumps(doc, ensure_ascii=False, indent=2))
        else:
            emit(
                [meeting_row(meeting, repo)],
                [(k, k) for k in ("id", "date", "title", "place", "state", "actions")],
                "csv",
                lang,
            )
        return
    from rich.console import Console
    from rich.text import Text

    console = Console(highlight=False)
    console.print(Text(meeting.title, style="bold"))
    facts = [
        (t("col.date", lang), meeting.date.isoformat()),
        (t("col.place", lang), meeting.place),
        (t("meeting.chair", lang), meeting.chair),
        (t("meeting.secretary", lang), meeting.secretary),
        (t("col.state", lang), t(f"meeting.{meeting.state.value}", lang)),
    ]
    for label, value in facts:
        console.print(Text(f"{label}: {value or '—'}"))
    if meeting.attendees:
        console.print(Text(t("meeting.attendees", lang), style="bold"))
        for person in meeting.attendees:
            extra = f" → {person.deputy}" if person.deputy else ""
            console.print(
                Text(f"  {person.name} ({person.unit}) {t('presence.' + person.presence.value, lang)}{extra}")
            )
    if meeting.decisions:
        console.print(Text(t("meeting.decisions", lang), style="bold"))
        for decision in meeting.decisions:
            console.print(Text(f"  {decision.id}. {decision.text}"))
    console.print(Text(t("meeting.carried", lang, count=len(carried)), style="bold"))
    emit([action_row(a, meeting.date) for a in carried], ACTION_COLUMNS, "table", lang)
    if raised:
        console.print(Text(t("meeting.actions", lang), style="bold"))
        emit([action_row(a, meeting.date) for a in raised], ACTION_COLUMNS, "table", lang)


@meetings.command("close")
@click.argument("meeting_id")
@click.pass_context
def meetings_close(ctx: click.Context, meeting_id: str) -> None:
    """Close a meeting: its figures and actions are frozen for the minutes."""
    session = _session(ctx)
    meeting = session.repo().close_meeting(meeting_id, rules=session.settings.rules)
    click.echo(t("cli.meeting_closed", session.lang(), id=meeting.id))


# -- check -------------------------------------------------------------------------------


@cli.command()
@click.pass_context
def check(ctx: click.Context) -> None:
    """Verify the database: every document readable, every reference known. Exit 1 if not."""
    from zzreview.storage.checks import check_repository

    session = _session(ctx)
    repo = session.repo()
    problems = check_repository(repo)
    if problems:
        for problem in problems:
            click.echo(f"{session.db_path}: {problem}", err=True)
        ctx.exit(1)
    click.echo(t("cli.check_ok", session.settings.lang or "zh", path=session.db_path))


@cli.command()
@click.option(
    "--meeting", "meeting_id", help="The meeting to open (default: in progress, else next planned)."
)
@click.option(
    "--role",
    type=click.Choice(["chair", "secretary", "viewer"]),
    default="chair",
    show_default=True,
    help="This seat's role; every seat walks the meeting the same way for now.",
)
@click.option("--theme", help="Theme name (projector-light, projector-dark, high-contrast, or your own).")
@click.option("--lang", "run_lang", type=click.Choice(["zh", "en"]), help="Language of the screens.")
@click.pass_context
def run(
    ctx: click.Context, meeting_id: str | None, role: str, theme: str | None, run_lang: str | None
) -> None:
    """The meeting app: walk the room through the plan, full screen, keyboard only."""
    from zzreview.ui.launch import launch

    session = _session(ctx)
    repo = session.repo()
    meeting = repo.meeting(meeting_id) if meeting_id else repo.current_meeting()
    if meeting is None:
        raise UsageProblem(
            "no meeting in progress or planned: plan one with `zzreview meetings new --date …`"
        )
    launch(session, meeting.id, role=role, theme=theme, lang=run_lang)


# -- export ------------------------------------------------------------------------------


@cli.command()
@click.argument("meeting_id", required=False)
@click.option(
    "-o", "--output", default="-", show_default=True, help="The Markdown file to write; `-` for stdout."
)
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
@click.option("--actions-only", is_flag=True, help="Only the action-item list (交办事项清单).")
@click.pass_context
def export(ctx: click.Context, meeting_id: str | None, output: str, force: bool, actions_only: bool) -> None:
    """The minutes (会议纪要) of MEETING as Markdown (default: the current meeting).

    A closed meeting's minutes come from the figures frozen when it closed, so they are the
    same bytes every time; an open meeting's use the latest data as of its date.
    """
    from zzreview.reports import minutes_markdown

    session = _session(ctx)
    repo = session.repo()
    meeting = repo.meeting(meeting_id) if meeting_id else repo.current_meeting()
    if meeting is None:
        raise UsageProblem("no meeting in progress or planned; name one (`zzreview meetings list`)")
    lang = session.lang()
    text = minutes_markdown(repo, meeting.id, lang, actions_only=actions_only, rules=session.settings.rules)
    data = text.encode("utf-8")
    if output == "-":
        stream = click.get_binary_stream("stdout")
        stream.write(data)
        stream.flush()
        return
    path = Path(output)
    from zzreview.storage.durable import WriteError, write_new_file

    try:
        write_new_file(path, data, replace=force)
    except WriteError as error:
        raise UsageProblem(str(error)) from None
    click.echo(t("cli.minutes_written", lang, path=path), err=True)


def main() -> None:
    """The console-script entry point."""
    cli(prog_name="zzreview")


if __name__ == "__main__":
    main()
