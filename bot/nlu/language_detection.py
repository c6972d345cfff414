"""Decides which of BackCare's languages a message is written in.

Runs after the classifiers. For each message it may add the entity
`language` (`en` or `de`), which fills the `language` slot, so the person is
answered in the language they write:

- a request to switch ("English please", "auf Deutsch bitte", "Sprechen Sie
  Deutsch?") names the language; a short request also becomes the intent
  `switch_language`, a longer message keeps its own intent;
- a message clearly in English or German (lingua, restricted to the two)
  names its language; a short, mixed or unclear message ("ok", "ja", "7")
  names none, so the person's language stays as it was;
- a message in another language (French, Spanish ...) gets `other_language`.

The SafetyGuard runs after this component: a warning sign or crisis wins
over a switch request, and is answered in the language detected here.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Dict, List, Optional, Text

import lingua
from lingua import Language, LanguageDetectorBuilder
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_NAME_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.languages import ENGLISH, GERMAN, LANGUAGE_SLOT
from bot.nlu.intent_override import IntentOverride, force_intent
from bot.nlu.other_languages import is_other_language

SWITCH_INTENT = "switch_language"
OTHER_LANGUAGE_INTENT = "other_language"
LANGUAGE_ENTITY = LANGUAGE_SLOT
EXTRACTOR = "LanguageDetector"

# At 0.9 not one of ~2,600 English training, held-out and clinical messages
# read as German (lingua's high-accuracy mode; the low-accuracy mode read
# "i wanna die" and "ok bye" as German); docs/languages.md has the figures.
MIN_CONFIDENCE = 0.9
# Fewer letters than this say nothing about the language ("ok", "ja", "7/10").
MIN_LETTERS = 4
# A one-word message needs this many letters ("weiter", "thanks").
MIN_LETTERS_ONE_WORD = 5
# A switch request with more words than this is a message of its own that
# also asks for a language: its intent is kept.
MAX_WORDS_OF_A_SWITCH = 8

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# Keyboard mashing ("xcvxcv") has n-grams of some language too.
_VOWEL = re.compile(r"[aeiouyäöü]", re.IGNORECASE)
# A one-word message the classifier did not understand says nothing either.
_NOT_UNDERSTOOD = {"nlu_fallback", "out_of_scope"}
_SWITCH_REQUESTS = {
    GERMAN: re.compile(
        r"\b(?:auf|in) deutsch\b|\bdeutsch (?:bitte|sprechen|reden|schreiben)\b"
        r"|\b(?:sprich|sprichst|sprechen|redest|reden|kannst|können|koennen)\b.{0,20}\bdeutsch\b"
        r"|\b(?:speak|talk|write|answer|reply|switch|change|continue|chat)\b.{0,15}\b(?:german|deutsch)\b"
        r"|\bgerman,? please\b|\bin german\b|^\W*(?:deutsch|german)\W*$",
        re.IGNORECASE,
    ),
    ENGLISH: re.compile(
        r"\b(?:auf|in) englisch\b|\benglisch (?:bitte|sprechen|reden|schreiben)\b"
        r"|\b(?:sprich|sprichst|sprechen|redest|reden|kannst|können|koennen)\b.{0,20}\benglisch\b"
        r"|\b(?:speak|talk|write|answer|reply|switch|change|continue|chat)\b.{0,15}\benglish\b"
        r"|\benglish,? please\b|\bin english\b|^\W*(?:english|englisch)\W*$",
        re.IGNORECASE,
    ),
}
LINGUA_CODES = {Language.ENGLISH: ENGLISH, Language.GERMAN: GERMAN}
# Short replies too short for lingua that still name their language when
# every word is one of these ("Hallo", "ja bitte", "danke, tschüss"). Words
# both languages use ("ok", "hi", "super") are in neither list.
SHORT_REPLY_WORDS = {
    GERMAN: frozenset(
        "hallo servus moin grüß gott guten tag morgen abend danke dankeschön vielen tschüss tschüs tschuess "
        "ja jawohl jo nein nö nee bitte gerne genau klar weiter fertig nochmal".split()
    ),
    ENGLISH: frozenset(
        "hello yes yeah yep nope thanks thank you please cheers bye goodbye next done".split()
    ),
}
MAX_WORDS_OF_A_SHORT_REPLY = 3
# Common words of one language that are not words of the other (no "was",
# "die", "will", "man", "hat", "gut"): two of one and none of the other decide,
# as lingua hesitates on short sentences ("Hallo, mein Rücken tut weh": 0.88).
FUNCTION_WORDS = {
    GERMAN: frozenset(
        "ich mich mir mein meine meinen meinem meiner nicht und ist sind habe hab hast haben tut weh seit "
        "sehr auch aber oder wie warum bitte danke rücken ruecken schmerzen schmerz kreuz kann können "
        "koennen der das dem ein eine einen einem einer mit beim vom zum zur noch schon jetzt heute gestern "
        "nein ja wenn dass weil kein keine nur wird werden soll darf muss weiter über ueber für fuer auf bei "
        "nach unten oben rechts beine bein tage tagen wochen woche monate wieder immer etwas bisschen".split()
    ),
    # Not "an", "am", "after": German words too ("am Rücken", "am After").
    ENGLISH: frozenset(
        "the and my is it i im have has hurts hurt hurting pain back since for with this that what how can "
        "do does not no yes please thanks of to at been very really lower feel feels get got when where "
        "why you your me are be on a about days weeks week months just because if".split()
    ),
}
MIN_FUNCTION_WORDS = 2
_OWN_NAME = re.compile(r"\bback\s?care\b", re.IGNORECASE)


@lru_cache(maxsize=1)
def detector() -> lingua.LanguageDetector:
    """One detector per process, its models loaded now rather than at the first message."""
    return LanguageDetectorBuilder.from_languages(*LINGUA_CODES).with_preloaded_language_models().build()


def requested_language(text: Text) -> Optional[Text]:
    """The language a message asks to be spoken to in, if it asks."""
    for language, pattern in _SWITCH_REQUESTS.items():
        if pattern.search(text):
            return language
    return None


# Cached: the LanguageFeaturizer asks for the same text before the detector does.
@lru_cache(maxsize=4096)
def written_language(text: Text) -> Optional[Text]:
    """`en` or `de` when the text is clearly written in it; None when short, mixed or unclear."""
    text = _OWN_NAME.sub(" ", text)  # "hallo backcare": the name is in no language
    words = _WORD.findall(text)
    if 0 < len(words) <= MAX_WORDS_OF_A_SHORT_REPLY:
        lowered = {word.lower() for word in words}
        for language, vocabulary in SHORT_REPLY_WORDS.items():
            if lowered <= vocabulary:
                return language
    lowered_words = [word.lower() for word in words]
    hits = {
        language: sum(word in vocabulary for word in lowered_words)
        for language, vocabulary in FUNCTION_WORDS.items()
    }
    for language, other in ((GERMAN, ENGLISH), (ENGLISH, GERMAN)):
        if hits[language] >= MIN_FUNCTION_WORDS and hits[other] == 0:
            return language
    letters = sum(len(word) for word in words)
    if letters < MIN_LETTERS or (len(words) == 1 and letters < MIN_LETTERS_ONE_WORD):
        return None
    if len(_VOWEL.findall(text)) < 2:
        return None
    best = detector().compute_language_confidence_values(text)[0]
    if best.value < MIN_CONFIDENCE:
        return None
    return LINGUA_CODES[best.language]


def _add_language_entity(message: Message, language: Text) -> None:
    text = message.get(TEXT) or ""
    entity = {
        "entity": LANGUAGE_ENTITY,
        "value": language,
        "start": 0,
        "end": len(text),
        "extractor": EXTRACTOR,
    }
    others = [item for item in message.get(ENTITIES) or [] if item.get("entity") != LANGUAGE_ENTITY]
    message.set(ENTITIES, [*others, entity], add_to_output=True)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class LanguageDetector(IntentOverride):
    """Names the language of each message that is clearly English or German, or asks for one."""

    def __init__(self, config: Dict[Text, Any]) -> None:
        super().__init__(config)
        detector()  # the models load with the model, not during someone's first turn

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if not text.strip() or text.startswith("/"):
                continue
            requested = requested_language(text)
            if requested:
                _add_language_entity(message, requested)
                if len(_WORD.findall(text)) <= MAX_WORDS_OF_A_SWITCH:
                    force_intent(message, SWITCH_INTENT)
                continue
            if is_other_language(text):
                force_intent(message, OTHER_LANGUAGE_INTENT)
                continue
            one_unclear_word = (
                len(_WORD.findall(text)) == 1
                and (message.get(INTENT) or {}).get(INTENT_NAME_KEY) in _NOT_UNDERSTOOD
            )
            written = None if one_unclear_word else written_language(text)
            if written:
                _add_language_entity(message, written)
        return messages
