"""What an operator watches: Prometheus metrics and JSON logs.

- `metrics`: every metric BackCare exports (all named `backcare_*`), with the
  small functions the channels, stores and the action server call to record
  them. Labels hold only values from fixed sets, never message text or ids.
- `conversation_events`: reads the events Rasa saves (stages, warning signs,
  fallbacks) and records them; called by the tracker store.
- `endpoint`: the token-protected `/metrics` answer of both servers.
- `json_logs`: a logging formatter writing one JSON object per line, and the
  logging configuration (`logging.yml`) the servers load with
  `BACKCARE_LOG_FORMAT=json`.
"""
