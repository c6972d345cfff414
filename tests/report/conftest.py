"""Conversations written into a real tracker store through Rasa's own `SQLTrackerStore`.

`CONVERSATIONS` is a small month of BackCare (March 2025) with a few sessions
around it, written as the events Rasa and the actions produce; `EXPECTED`
holds what the report must count for March. The sender ids and what people
wrote are personal: `SENDER_IDS` and `user_texts()` are what must never reach
a report.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone
from typing import Any, Dict, Iterator, List, Optional, Tuple

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    Event,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bot import paths

DOMAIN = Domain.load(str(paths.DOMAIN_FILE))


def at(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2025, month, day, hour, minute, tzinfo=timezone.utc)


class Script:
    """One conversation id's events, each a few seconds after the one before."""

    def __init__(self) -> None:
        self.events: List[Event] = []
        self.moment = 0.0

    def _stamp(self, seconds: float = 2.0) -> float:
        self.moment += seconds
        return self.moment

    def session(self, start: datetime, remembered: Tuple[str, ...] = ()) -> Script:
        """A new session; `remembered`: warning signs brought back from an earlier one."""
        self.moment = start.timestamp()
        self.events += [ActionExecuted("action_session_start", timestamp=self.moment)]
        if remembered:
            self.events.append(
                BotUttered("Last time you told me about a warning sign.", timestamp=self.moment)
            )
        self.events.append(SessionStarted(timestamp=self.moment))
        if remembered:
            self.events += [
                SlotSet("red_flags", list(remembered), timestamp=self.moment),
                SlotSet("remembered_flags", list(remembered), timestamp=self.moment),
                SlotSet("red_flag_urgency", "emergency", timestamp=self.moment),
                SlotSet("triage", "urgent", timestamp=self.moment),
            ]
        self.events.append(ActionExecuted("action_listen", timestamp=self.moment))
        return self

    def wait(self, seconds: float) -> Script:
        self.moment += seconds
        return self

    def says(self, text: str, intent: str) -> Script:
        self.events.append(UserUttered(text, {"name": intent, "confidence": 0.9}, timestamp=self._stamp(20)))
        return self

    def reminder(self) -> Script:
        """A check-in `backcare reminders` triggers through the HTTP API: nobody typed it."""
        external = UserUttered.create_external("EXTERNAL_check_in_reminder")
        external.timestamp = self._stamp(1)
        self.events.append(external)
        return self

    def bot(self, action: str, *slots: Tuple[str, Any], reply: str = "", listen: bool = True) -> Script:
        """`action` runs: its reply, then its events, as Rasa logs a custom action."""
        self.events.append(ActionExecuted(action, timestamp=self._stamp()))
        if reply:
            self.events.append(BotUttered(reply, timestamp=self._stamp(0.1)))
        for name, value in slots:
            if name == "active_loop":
                self.events.append(ActiveLoop(value, timestamp=self._stamp(0.1)))
            else:
                self.events.append(SlotSet(name, value, timestamp=self._stamp(0.1)))
        if listen:
            self.events.append(ActionExecuted("action_listen", timestamp=self._stamp(0.1)))
        return self

    def reverted(self) -> Script:
        self.events.append(UserUtteranceReverted(timestamp=self._stamp(0.1)))
        return self


def full_assessment(script: Script, stage: str, pain: float, weeks: float, exercise: str) -> Script:
    """Pain, duration, leg pain and the screening answered; the stage; the first exercise."""
    return (
        script.bot("assessment_form", ("pain_level", pain), ("requested_slot", "pain_duration_weeks"))
        .says("about three days now, it started when I lifted my daughter", "inform")
        .bot("assessment_form", ("pain_duration_weeks", weeks), ("requested_slot", "leg_pain"))
        .says("it stays in my lower back, nothing in the legs", "inform")
        .bot("assessment_form", ("leg_pain", "none"), ("requested_slot", "red_flags_screened"))
        .says("no none of those thankfully", "deny")
        .bot(
            "assessment_form",
            ("screening_done", ["nerve_signs", "leg_chest_signs", "injury_infection_signs", "history_signs"]),
            ("red_flags_screened", True),
            ("active_loop", None),
            ("requested_slot", None),
            listen=False,
        )
        .bot("action_triage", ("triage", stage), reply="Here is what helps in this stage.", listen=False)
        .bot(
            "action_offer_exercises",
            ("exercises_done", []),
            ("current_exercise", exercise),
            ("current_step", 1.0),
            reply="Let's start with an exercise.",
        )
    )


def conversations() -> Dict[str, Script]:
    """Every conversation id's sessions (see the module docstring); comments say what each counts."""
    ski = Script()
    # 3 March: the whole assessment, acute; one exercise completed, another that hurt. 9 messages.
    ski.session(at(3, 10)).says("my lower back hurts since the ski trip in Davos, 6 out of 10", "report_pain")
    full_assessment(ski, "acute", 6.0, 0.4, "pelvic_tilt_seated")
    ski.says("next", "next_step").bot("action_next_step", ("current_step", 2.0))
    ski.says("next", "next_step").bot("action_next_step", ("current_step", 3.0))
    ski.says("done, next", "next_step").bot(
        "action_next_step",
        ("exercises_done", ["pelvic_tilt_seated"]),
        ("current_exercise", None),
        ("current_step", None),
        reply="Well done!",
    )
    ski.says("another one please", "another_exercise").bot(
        "action_another_exercise", ("current_exercise", "cat_camel"), ("current_step", 1.0)
    )
    ski.says("ouch that really hurts my knee", "it_hurts").bot(
        "action_exercise_hurts",
        ("current_exercise", None),
        ("current_step", None),
        ("exercises_hurt", ["cat_camel"]),
        reply="Stop there and rest.",
    )
    # 20 March, the same person: the pain level only, then gone; one message not understood. 4 messages.
    ski.session(at(20, 18)).says("hello again BackCare it is me", "greet").bot("action_greet")
    ski.says("my back is bad again after the flight", "report_pain").bot(
        "assessment_form", ("active_loop", "assessment_form"), ("requested_slot", "pain_level")
    )
    ski.says("asdfgh qwertzuiop lkjh", "nlu_fallback").bot("action_unclear_message")
    ski.says("7", "inform").bot(
        "assessment_form", ("pain_level", 7.0), ("requested_slot", "pain_duration_weeks")
    )

    anna = Script()
    # 5 March: a warning sign in the middle of the assessment: urgent, emergency. 3 messages.
    anna.session(at(5, 9)).says("back pain 8/10 since the fall at the Hauptbahnhof", "report_pain")
    anna.bot("assessment_form", ("pain_level", 8.0), ("requested_slot", "pain_duration_weeks"))
    anna.says("two weeks ago it began", "inform").bot(
        "assessment_form", ("pain_duration_weeks", 2.0), ("requested_slot", "leg_pain")
    )
    anna.says("I can't feel my bottom when I wipe since Tuesday", "report_red_flag").bot(
        "action_red_flag_alert",
        ("red_flags", ["saddle_numbness"]),
        ("red_flag_urgency", "emergency"),
        ("triage", "urgent"),
        ("current_exercise", None),
        ("requested_slot", None),
        ("active_loop", None),
        ("safety_check", "alert"),
        reply="Please go to the emergency department now.",
    )
    # 6 March: the sign is remembered at session start (no new one). 2 messages.
    anna.session(at(6, 9), remembered=("saddle_numbness",)).says("hi there", "greet").bot("action_greet")
    anna.says("should I really go to A&E in Leipzig now?", "ask_urgency").bot(
        "utter_urgent_follow_up", reply="Yes, please go now."
    )

    bob = Script()
    # 12 March: two messages not understood (NLU fallback, then Rasa's core fallback), a question. 3 messages.
    bob.session(at(12, 14)).says("blorp florp zibble", "nlu_fallback").bot("action_unclear_message")
    bob.says("what about my aunt Gertrude's sofa", "greet").bot(
        "action_default_fallback", reply="Sorry, I didn't get that.", listen=False
    ).reverted().bot("action_listen", listen=False)
    bob.says("is heat good for my back or should I use ice", "faq").bot(
        "action_answer_faq", ("faq_answered", ["heat_or_cold"]), reply="Heat usually helps."
    )

    reminded = Script()
    # 15 March: a reminder nobody answered: not a conversation.
    reminded.session(at(15, 8)).reminder().bot("action_check_in_reminder", ("time_zone", "Europe/Berlin"))
    # 31 March 23:50, on past midnight: chronic, an exercise started. 3 messages; counted in March.
    reminded.session(at(31, 23, 50)).says("my back has hurt for 4 months, about 5/10", "report_pain")
    reminded.bot(
        "assessment_form", ("pain_level", 5.0), ("pain_duration_weeks", 17.0), ("requested_slot", "leg_pain")
    )
    reminded.says("it goes down into my left thigh", "inform").bot(
        "assessment_form", ("leg_pain", "above_knee"), ("requested_slot", "red_flags_screened")
    )
    reminded.wait(900).says("no nothing like that at all", "deny").bot(
        "assessment_form",
        ("red_flags_screened", True),
        ("active_loop", None),
        ("requested_slot", None),
        listen=False,
    )
    reminded.bot("action_triage", ("triage", "chronic"), listen=False).bot(
        "action_offer_exercises",
        ("exercises_done", []),
        ("current_exercise", "knee_to_chest"),
        ("current_step", 1.0),
    )

    carol = Script()
    # Outside March: 20 February (recovery), 28 February 23:50 on past midnight, 1 April.
    carol.session(at(20, 11, month=2)).says("my back is a little stiff, 2 out of 10", "report_pain")
    full_assessment(carol, "recovery", 2.0, 3.0, "hamstring_stretch")
    carol.session(at(28, 23, 50, month=2)).says("sore back again, maybe 4 of 10", "report_pain")
    carol.bot("assessment_form", ("pain_level", 4.0), ("requested_slot", "pain_duration_weeks"))
    carol.wait(1800).says("since last Thursday when I moved house", "inform").bot(
        "assessment_form", ("pain_duration_weeks", 1.0), ("requested_slot", "leg_pain")
    )
    carol.session(at(1, 10, month=4)).says("gibberish wobble wubble", "nlu_fallback").bot(
        "action_unclear_message"
    )

    return {
        "telegram:4815162342": ski,
        "web:anna-7f3a9c-secret-session": anna,
        "rest-bob-0042": bob,
        "telegram:1234567": reminded,
        "rest-carol-99": carol,
    }


SENDER_IDS = tuple(conversations())


def user_texts() -> List[str]:
    """What people wrote (and the bot replied) in the stored conversations."""
    texts = []
    for script in conversations().values():
        for event in script.events:
            if isinstance(event, (UserUttered, BotUttered)) and event.text:
                texts.append(event.text)
    return texts


# What the report must count for 1-31 March 2025.
EXPECTED: Dict[str, Any] = {
    "conversations": 6,
    "silent_sessions": 1,
    "chats": 4,
    "user_turns": 24,  # 9 + 4 + 3 + 2 + 3 + 3
    "fallback_turns": 3,
    "turns": {9: 1, 4: 1, 3: 3, 2: 1},
    "markers": {
        "assessment_started": 4,
        "pain_level_answered": 4,
        "pain_duration_answered": 3,
        "leg_pain_answered": 2,
        "screening_completed": 2,
        "stage_reached": 4,
        "urgent_referral": 2,
        "crisis_support": 0,
        "exercise_started": 2,
        "exercise_completed": 1,
        "it_hurts": 1,
        "fallback": 2,
    },
    # Furthest step of the 4 that started: stage (ski, anna, reminded), pain level (ski again).
    "funnel_reached": [4, 4, 3, 3, 3, 3],
    "funnel_stopped": [0, 1, 0, 0, 0, 3],
    "outcomes": {"acute": 1, "urgent": 2, "chronic": 1, "assessment_unfinished": 1, "no_assessment": 1},
    "urgencies": {"emergency": 2},
    "new_referrals": 1,
    "new_signs": {"saddle_numbness": 1},
    "remembered_signs": {"saddle_numbness": 1},
    "exercises_started": 3,
    "exercises_completed": 1,
    "it_hurts": 1,
}


def write_conversations(url: str, scripts: Optional[Dict[str, Script]] = None) -> None:
    """Stores every conversation through Rasa's own SQLTrackerStore (as `rasa run` would)."""
    store = SQLTrackerStore(DOMAIN, host=url)
    try:
        for sender_id, script in (scripts or conversations()).items():
            tracker = DialogueStateTracker.from_events(sender_id, script.events, slots=DOMAIN.slots)
            asyncio.run(store.save(tracker))
    finally:
        store.engine.dispose()


@pytest.fixture(scope="module")
def tracker_store_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A SQLite tracker store holding `conversations()`."""
    url = f"sqlite:///{tmp_path_factory.mktemp('store') / 'conversations.db'}"
    write_conversations(url)
    yield url
