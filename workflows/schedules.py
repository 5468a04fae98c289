"""Beat entries of the signing process: viewflow's DB timers (reminders, deadlines) fire here."""

WORKFLOW_BEAT_SCHEDULE = {
    "workflow-fire-due-timers": {"task": "workflows.fire_due_timers", "schedule": 60.0},
}
