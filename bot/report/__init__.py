"""`backcare report`: an operator's report read from Rasa's tracker store.

One pass over the `events` table of Rasa's SQLTrackerStore (SQLite or
PostgreSQL), streamed and ordered by conversation id, so a large store never
has to fit in memory:

- `store`: reads the rows (no message text leaves the database) with a progress bar;
- `sessions`: cuts them into conversations (Rasa sessions), one at a time;
- `facts`: what one conversation did (markers that applied, stage, signs, exercises);
- `aggregate`: adds the facts up; nothing is kept per conversation;
- `markdown`, `charts`: write `report.md`, `funnel.png` and `outcomes.png`;
- `definitions`: what is counted, in the domain's names, and the Rasa markers
  of `markers.yml` that mark the same events;
- `run`: the command's work, `period`: the days it covers.

The report holds counts only: no message text, no conversation ids.
"""
