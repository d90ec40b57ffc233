"""`flask privacy retention`: anonymise and purge what the retention rules say is due."""

import click

from app.extensions import db
from app.privacy import bp
from app.privacy.retention import RetentionSchedule, apply_retention, plan_retention


@bp.cli.command("retention")
@click.option("--dry-run", is_flag=True, help="Only say what would change; change nothing.")
def retention(dry_run: bool) -> None:
    """Anonymise old contacts and expired consents, and purge old answer text."""
    schedule = plan_retention()
    _print_settings(schedule)
    for kind in schedule.kinds:
        done = "purged" if kind.kind == "answers" else "anonymised"
        click.echo(f"{kind.label} ({kind.rule.lower()}): {kind.due_count} "
                   f"{'would be ' if dry_run else ''}{done}.")
        if kind.next_due_on:
            click.echo(f"  Next batch falls due on {kind.next_due_on.isoformat()} "
                       f"({kind.upcoming[0][1]} record{'s' if kind.upcoming[0][1] != 1 else ''}).")
    if dry_run:
        click.echo("Dry run: nothing was changed.")
        return
    apply_retention(schedule)
    db.session.commit()
    click.echo("Done. The run is in the audit log.")


def _print_settings(schedule: RetentionSchedule) -> None:
    raw_text = (f"{schedule.raw_text_months} months" if schedule.raw_text_months
                else "kept (RAW_TEXT_RETENTION_MONTHS is 0)")
    click.echo(f"Retention on {schedule.today.isoformat()}: contacts "
               f"{schedule.contact_months} months; words of long-text answers {raw_text}.")
