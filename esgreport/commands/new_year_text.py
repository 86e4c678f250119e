"""What `new-year` says about the texts it carried forward (prepare/rollforward.py does the work)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from esgreport.commands.console import Progress, relative
from esgreport.project import Project

if TYPE_CHECKING:
    from esgreport.commands.new_year import NewYear


def say_rolled(created: "NewYear", project: Project, progress: Progress) -> None:
    """The ordinal and frameworks of report.yaml, the years written as words, and every line that still
    writes out an earlier year (what `check` will list), each as file:line."""
    from esgreport.markup.years import year_mentions

    rolled = created.rolled
    if rolled is None:
        return
    folder = relative(created.folder, project.root)
    for said in rolled.manifest:
        progress.say(f"report.yaml: {said}")
    if rolled.carried:
        progress.say(f"carried {rolled.carried} mention{'s' if rolled.carried != 1 else ''} of the year forward as "
                     "words of report.yaml ({{ year }}, {{ year - 1 }}, {{ period_end() }} …)")
    if rolled.left:
        year = int(created.folder.name)
        progress.say(f"{len(rolled.left)} line{'s' if len(rolled.left) != 1 else ''} still write out an earlier "
                     "year, as written (an event's date, or what new-year cannot decide); `check` lists them "
                     "until each is rewritten or marked as history:")
        for path, number, line in rolled.left:
            years = ", ".join(dict.fromkeys(str(y) for _, y in year_mentions(line, year)))
            progress.say(f"  {folder}/{path.as_posix()}:{number}: {years}")
